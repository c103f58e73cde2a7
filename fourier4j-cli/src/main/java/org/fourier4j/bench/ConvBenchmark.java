package org.fourier4j.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.fourier4j.fft.ConvAlgorithm;
import org.fourier4j.fft.ConvAutoTuner;
import org.fourier4j.fft.ConvDecision;
import org.fourier4j.fft.ConvGeometry;
import org.fourier4j.fft.ConvOptions;
import org.fourier4j.fft.Convolutions;
import org.fourier4j.fft.DirectConvolution;
import org.fourier4j.fft.FftConvolution;
import org.fourier4j.fft.KernelSpectrumCache;
import org.fourier4j.fft.Timing;

/**
 * Depthwise 2-D convolution, DIRECT vs FFT vs AUTO (and optionally the published FFT algorithm),
 * timed side by side: per layer, every algorithm runs once in turn per round, after warm-up, and
 * the medians are reported.
 *
 * <p>Inference mode times the forward pass with no gradient recorded, each layer keeping its kernel
 * spectrum as a block does; training mode times forward plus backward to input and weight, with no
 * spectrum cache.
 */
public final class ConvBenchmark {

    /** A depthwise layer to time: channels, square input size, square kernel, 'same' padding. */
    public static final class Layer {
        final String name;
        final int channels;
        final int size;
        final int kernel;

        /**
         * Creates a layer description.
         *
         * @param name its name in the table
         * @param channels channels (depthwise: groups = channels)
         * @param size input height = width
         * @param kernel kernel height = width (odd: 'same' padding k/2)
         */
        public Layer(String name, int channels, int size, int kernel) {
            this.name = name;
            this.channels = channels;
            this.size = size;
            this.kernel = kernel;
        }
    }

    /** Benchmark settings. */
    public static final class Settings {
        /** Batch size. */
        public int batch = 1;

        /** Untimed runs per algorithm. */
        public int warmup = 2;

        /** Timed rounds. */
        public int repeats = 7;

        /** float32 or float64. */
        public DataType dataType = DataType.FLOAT32;

        /** Forward and backward instead of forward only. */
        public boolean training;

        /** Also time the published algorithm. */
        public boolean baseline;

        /** Also report AUTO over the faster algorithm, paired round by round. */
        public boolean autoVsBest;
    }

    /** Fast calls are repeated back to back until a sample lasts this long. */
    static final double MIN_SAMPLE_MS = 25;

    /**
     * Beyond --repeats rounds, a layer gets more rounds (up to this many) while its timing has used
     * less than {@link #EXTRA_ROUNDS_BUDGET_MS}: on a shared machine the median of 7 rounds of a 1
     * ms layer still moves by tens of percent.
     */
    static final int MAX_ROUNDS = 31;

    /** Time per layer within which rounds beyond --repeats are added. */
    static final double EXTRA_ROUNDS_BUDGET_MS = 4000;

    /** Algorithms within this factor of the faster one are re-timed with AUTO (see below). */
    static final double CLOSE_FACTOR = 3;

    /** Rounds of the close group: at least, at most, and the budget for extra ones. */
    static final int CLOSE_MIN_ROUNDS = 9;

    static final int CLOSE_MAX_ROUNDS = 101;

    static final double CLOSE_BUDGET_MS = 6000;

    private ConvBenchmark() {}

    /**
     * The four large-kernel depthwise layers of RepLKNet-31B at 224x224 input.
     *
     * @return the layers
     */
    public static List<Layer> replknet31b() {
        List<Layer> layers = new ArrayList<>();
        layers.add(new Layer("stage1.large_kernel", 128, 56, 31));
        layers.add(new Layer("stage2.large_kernel", 256, 28, 29));
        layers.add(new Layer("stage3.large_kernel", 512, 14, 27));
        layers.add(new Layer("stage4.large_kernel", 1024, 7, 13));
        return layers;
    }

    /**
     * Kernel sizes at a fixed depthwise shape: the crossover curve.
     *
     * @param channels channels
     * @param size input height = width
     * @param kernels the kernel sizes
     * @return the layers
     */
    public static List<Layer> sweep(int channels, int size, int[] kernels) {
        List<Layer> layers = new ArrayList<>();
        for (int k : kernels) {
            layers.add(new Layer("sweep.k" + k, channels, size, k));
        }
        return layers;
    }

    /**
     * Times every layer.
     *
     * @param layers the layers
     * @param s the settings
     * @param progress called with each finished row (may be null)
     * @return one row per layer
     */
    public static ResultTable run(
            List<Layer> layers,
            Settings s,
            java.util.function.Consumer<Map<String, Object>> progress) {
        ResultTable table = new ResultTable();
        try (NDManager manager = NDManager.newBaseManager()) {
            for (Layer layer : layers) {
                Map<String, Object> row = runLayer(manager, layer, s);
                table.add(row);
                if (progress != null) {
                    progress.accept(row);
                }
            }
        }
        return table;
    }

    private static Map<String, Object> runLayer(NDManager parent, Layer layer, Settings s) {
        try (NDManager m = parent.newSubManager()) {
            Shape inShape = new Shape(s.batch, layer.channels, layer.size, layer.size);
            NDArray x = m.randomNormal(0, 1, inShape, s.dataType);
            NDArray w =
                    m.randomNormal(
                            0,
                            0.02f,
                            new Shape(layer.channels, 1, layer.kernel, layer.kernel),
                            s.dataType);
            NDArray b = m.zeros(new Shape(layer.channels), s.dataType);
            long pad = layer.kernel / 2;
            ConvOptions opts =
                    ConvOptions.builder()
                            .padding(org.fourier4j.fft.Padding.same())
                            .groups(layer.channels)
                            .build();
            if (s.training) {
                x.setRequiresGradient(true);
                w.setRequiresGradient(true);
                b.setRequiresGradient(true);
            }
            KernelSpectrumCache fftCache = new KernelSpectrumCache();
            KernelSpectrumCache autoCache = new KernelSpectrumCache();
            List<Runnable> tasks = new ArrayList<>();
            tasks.add(task(m, s, () -> DirectConvolution.convolve(2, x, w, b, opts)));
            tasks.add(task(m, s, () -> FftConvolution.convolve(2, x, w, b, opts, fftCache)));
            tasks.add(
                    task(
                            m,
                            s,
                            () ->
                                    Convolutions.convolve(
                                            2, x, w, b, opts, ConvAlgorithm.AUTO, autoCache)));
            if (s.baseline) {
                ConvOptions symmetric =
                        ConvOptions.builder().padding(pad, pad).groups(layer.channels).build();
                tasks.add(
                        task(m, s, () -> PublishedFftConvolution.convolve(2, x, w, b, symmetric)));
            }
            Timing.Samples samples =
                    Timing.interleaved(
                            tasks.toArray(new Runnable[0]),
                            Timing.Rounds.of(s.warmup, Math.max(s.repeats, MAX_ROUNDS))
                                    .atLeast(s.repeats)
                                    .budgetMs(EXTRA_ROUNDS_BUDGET_MS)
                                    .minSampleMs(MIN_SAMPLE_MS));
            double[] t = samples.medians();
            Timing.Samples close = retimeTheClose(tasks, t);
            ConvGeometry g = ConvGeometry.resolve(2, x, w, b, opts);
            boolean weightGradient = s.training;
            ConvDecision d = ConvAutoTuner.global().cached(g, weightGradient);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("layer", layer.name);
            row.put("shape", inShape.toString().replace(" ", ""));
            row.put("kernel", layer.kernel);
            row.put("batch", s.batch);
            row.put("direct_ms", round(t[0]));
            row.put("fft_ms", round(t[1]));
            row.put("auto_ms", round(t[2]));
            row.put("auto_choice", d == null ? "?" : d.algorithm().name().toLowerCase(Locale.ROOT));
            row.put("speedup", round(t[0] / t[1]));
            if (s.autoVsBest) {
                row.put("auto_vs_best", round(autoOverBest(close, t)));
            }
            fftCache.clear();
            autoCache.clear();
            if (s.baseline) {
                row.put("baseline_ms", round(t[3]));
                row.put("baseline_speedup", round(t[3] / t[1]));
            }
            return row;
        }
    }

    /**
     * Re-times, alone and back to back, AUTO and every algorithm within {@link #CLOSE_FACTOR} of
     * the faster one ({@code tasks}: direct, FFT, AUTO, ...), and puts their medians into {@code
     * t}. AUTO runs its choice's code plus a lookup, so AUTO against the best is a matter of a few
     * percent, which the main rounds cannot resolve: a slow algorithm's run (a 400 ms direct
     * convolution) sits between the two and leaves room for only a few rounds.
     *
     * @return the close group's samples, for {@link #autoOverBest}; the group is DIRECT, FFT, AUTO
     *     in that order, without whichever algorithm was not close
     */
    private static Timing.Samples retimeTheClose(List<Runnable> tasks, double[] t) {
        double best = Math.min(t[0], t[1]);
        List<Integer> group = closeGroup(t, best);
        Runnable[] runs = group.stream().map(tasks::get).toArray(Runnable[]::new);
        Timing.Samples close =
                Timing.interleaved(
                        runs,
                        Timing.Rounds.of(1, CLOSE_MAX_ROUNDS)
                                .atLeast(CLOSE_MIN_ROUNDS)
                                .budgetMs(CLOSE_BUDGET_MS)
                                .minSampleMs(MIN_SAMPLE_MS));
        double[] medians = close.medians();
        for (int k = 0; k < group.size(); k++) {
            t[group.get(k)] = medians[k];
        }
        return close;
    }

    private static List<Integer> closeGroup(double[] mainMedians, double best) {
        List<Integer> group = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            if (i == 2 || mainMedians[i] <= CLOSE_FACTOR * best) {
                group.add(i);
            }
        }
        return group;
    }

    /**
     * AUTO's time over the faster algorithm's, as the median of the per-round ratios of the close
     * group's rounds (the two ran moments apart, so load that drifts between rounds cancels).
     */
    private static double autoOverBest(Timing.Samples close, double[] t) {
        int best = t[0] <= t[1] ? 0 : 1;
        // the close group holds the faster algorithm: it was within the factor of itself before
        // the re-timing, and the slower one, if it joined, is compared by its new median
        int bestIndex = best == 0 || close.tasks() == 2 ? 0 : 1;
        return close.pairedRatio(close.tasks() - 1, bestIndex);
    }

    private static Runnable task(NDManager m, Settings s, Supplier<NDArray> conv) {
        if (!s.training) {
            return () -> {
                try (NDManager step = m.newSubManager()) {
                    conv.get().attach(step);
                }
            };
        }
        return () -> {
            try (NDManager step = m.newSubManager();
                    GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = conv.get();
                y.attach(step);
                NDArray loss = y.sum();
                loss.attach(step);
                gc.backward(loss);
            }
        };
    }

    private static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }
}
