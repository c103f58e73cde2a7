package org.fourier4j.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.fourier4j.bench.MixerBenchmark.Grid;
import org.fourier4j.bench.MixerBenchmark.Mixer;
import org.fourier4j.bench.MixerBenchmark.Settings;
import org.fourier4j.fft.Timing;
import org.fourier4j.nn.FfnifiedAttention;

/**
 * How {@link MixerBenchmark} times its mixers: every (mixer, size) pair is built and run once in
 * ascending sizes (a timed warm-up that decides DNF for the larger sizes), then all pairs are timed
 * in interleaved rounds.
 */
final class MixerTiming {

    private MixerTiming() {}

    /** Times of one mixer in one mode, by token count; NaN = DNF. */
    static final class Series {
        final Map<Integer, Double> ms = new LinkedHashMap<>();
        final List<String> notes = new ArrayList<>();
        boolean stopped;
        int lastTokens;
        double lastMs;
    }

    /**
     * Builds every (mixer, size) pair, runs each once in ascending sizes (the first warm-up run,
     * timed, which decides DNF for the larger sizes), then times all pairs in interleaved rounds,
     * so that load from other processes is spread over every size and mixer alike.
     */
    static void measure(
            Settings s,
            List<Grid> grids,
            boolean training,
            Map<Mixer, Series> series,
            Consumer<String> progress) {
        try (NDManager root = NDManager.newBaseManager()) {
            List<Mixer> mixers = new ArrayList<>();
            List<Grid> sizes = new ArrayList<>();
            List<Runnable> tasks = new ArrayList<>();
            for (Grid g : grids) {
                for (Mixer m : s.mixers) {
                    Series ser = series.get(m);
                    String skip = skipReason(s, m, g, training, ser);
                    if (skip != null) {
                        ser.stopped = true;
                        ser.ms.put(g.tokens(), Double.NaN);
                        ser.notes.add(g.tokens() + ": " + skip);
                        continue;
                    }
                    Runnable task = task(root, s, m, g, training);
                    long t0 = System.nanoTime();
                    task.run(); // first warm-up run, timed to catch what the prediction missed
                    double firstMs = (System.nanoTime() - t0) / 1e6;
                    if (firstMs > s.timeoutSeconds * 1000) {
                        ser.stopped = true;
                        ser.ms.put(g.tokens(), Double.NaN);
                        ser.notes.add(
                                String.format(
                                        Locale.ROOT,
                                        "%d: one run took %.1f s > %.0f s",
                                        g.tokens(),
                                        firstMs / 1000,
                                        s.timeoutSeconds));
                        continue;
                    }
                    ser.lastTokens = g.tokens();
                    ser.lastMs = firstMs;
                    mixers.add(m);
                    sizes.add(g);
                    tasks.add(task);
                }
            }
            if (progress != null) {
                progress.accept(
                        String.format(
                                Locale.ROOT,
                                "  %s: %d mixer/size pairs built and run once;"
                                        + " timing them in interleaved rounds",
                                training ? "training" : "inference",
                                tasks.size()));
            }
            if (tasks.isEmpty()) {
                return;
            }
            double[] medians =
                    Timing.interleavedMedians(
                            tasks.toArray(new Runnable[0]),
                            Timing.Rounds.of(Math.max(0, s.warmup - 1), s.repeats)
                                    .budgetMs(600_000));
            for (int i = 0; i < tasks.size(); i++) {
                series.get(mixers.get(i)).ms.put(sizes.get(i).tokens(), medians[i]);
            }
            if (progress != null) {
                for (Grid g : grids) {
                    progress.accept(MixerTable.summary(g, training, series));
                }
            }
        }
    }

    /** Why a mixer is not run at this size, or null. */
    private static String skipReason(Settings s, Mixer m, Grid g, boolean training, Series ser) {
        if (ser.stopped) {
            return "not run (DNF at a smaller size)";
        }
        if (m == Mixer.MULTI_HEAD_SELF_ATTENTION) {
            int heads = s.dim % 64 == 0 ? s.dim / 64 : 1;
            // scores and softmax (and their gradients when training), float32
            double bytes =
                    (double) s.batch
                            * heads
                            * g.tokens()
                            * (double) g.tokens()
                            * 4
                            * (training ? 4 : 2);
            if (bytes > s.maxMemoryGb * 1e9) {
                return String.format(
                        Locale.ROOT,
                        "attention maps need ~%.3g GB > --max-memory-gb %.3g",
                        bytes / 1e9,
                        s.maxMemoryGb);
            }
        }
        if (ser.lastTokens > 0) {
            double ratio = (double) g.tokens() / ser.lastTokens;
            double predicted = ser.lastMs * Math.pow(ratio, growthBound(m));
            if (predicted > s.timeoutSeconds * 1000) {
                return String.format(
                        Locale.ROOT,
                        "predicted %.1f s per run > --timeout-s %.0f",
                        predicted / 1000,
                        s.timeoutSeconds);
            }
        }
        return null;
    }

    /**
     * The exponent used to predict a mixer's time at the next size: 2 for attention; 1.25 for the
     * others, all O(N log N) or O(N), whose cost over a 4x step grows by at most 4 x 1.17.
     */
    static double growthBound(Mixer m) {
        return m == Mixer.MULTI_HEAD_SELF_ATTENTION ? 2 : 1.25;
    }

    /** Builds the mixer for this size and returns one timed run: forward, or forward + backward. */
    private static Runnable task(NDManager root, Settings s, Mixer m, Grid g, boolean training) {
        NDManager params = root.newSubManager();
        Shape shape = m.inputShape(s.batch, s.dim, g);
        Block block = m.build(s.dim, g);
        block.initialize(params, DataType.FLOAT32, shape);
        if (!training && block instanceof FfnifiedAttention) {
            block = ((FfnifiedAttention) block).reparameterize(); // the deployed form
        }
        Block timed = block;
        ParameterStore ps = new ParameterStore(params, false);
        NDArray x = params.randomNormal(shape);
        if (training) {
            x.setRequiresGradient(true);
        }
        return () -> {
            try (NDManager step = params.newSubManager()) {
                if (!training) {
                    NDArray view = x.reshape(shape);
                    view.attach(step);
                    NDArray y = timed.forward(ps, new NDList(view), false).head();
                    y.attach(step);
                    return;
                }
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray view = x.reshape(shape);
                    view.attach(step);
                    NDArray y = timed.forward(ps, new NDList(view), true).head();
                    y.attach(step);
                    NDArray loss = y.sum();
                    loss.attach(step);
                    gc.backward(loss);
                }
            }
        };
    }
}
