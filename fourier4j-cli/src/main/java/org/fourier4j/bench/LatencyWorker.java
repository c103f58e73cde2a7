package org.fourier4j.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.fourier4j.fft.Timing;
import org.fourier4j.inference.LoadedModel;
import org.fourier4j.inference.ModelDirectory;
import org.fourier4j.inference.engine.EngineChoice;
import org.fourier4j.inference.engine.ModelEngines;
import org.fourier4j.models.FlopCounter;
import org.fourier4j.models.ImageClassifier;
import org.fourier4j.models.ModelOptions;
import org.fourier4j.models.ModelStats;
import org.fourier4j.models.ModelZoo;
import org.fourier4j.onnx.OnnxExportOptions;
import org.fourier4j.plan.InferencePlan;
import org.fourier4j.reparam.Reparameterizer;

/**
 * Times one (model, image size, batch, runtime) configuration in a process of its own, so that
 * {@link LatencyBenchmark} can stop it on a timeout or a memory budget without losing the other
 * rows. Prints one JSON object on stdout: parameters, GFLOPs, median and p90 ms per batch,
 * images/s, peak JVM heap and peak resident memory of the process.
 *
 * <p>Arguments: {@code source size batch patch warmup repeats budgetSeconds deploy runtime threads
 * warmupSeconds}; {@code source} is a {@link ModelSpec} (weights from a fixed seed, so every
 * runtime gets the same ones) or {@code checkpoint=DIR} (a model directory's weights), {@code
 * patch} 0 means the model's own, {@code deploy} true converts the model to its inference form
 * ({@link Reparameterizer}: RepLKNet, FFNet) before timing, {@code runtime} is {@code djl}, {@code
 * onnxruntime} ({@link OnnxLatency}) or {@code auto} (the engine {@link ModelEngines} picks),
 * {@code threads} 0 means all cores. The input is a fixed-seed normal batch, the same in every
 * runtime. DJL runs the model as users run it for inference, through its {@link InferencePlan}.
 */
public final class LatencyWorker {

    /** The prefix of a model-directory source. */
    public static final String CHECKPOINT = "checkpoint=";

    /** The seed of the weights of zoo models and of the input. */
    static final int SEED = 20240;

    private LatencyWorker() {}

    /**
     * Runs the configuration.
     *
     * @param args source, size, batch, patch, warmup, repeats, time budget in seconds, deploy,
     *     runtime, threads, least warm-up time in seconds
     * @throws IOException if /proc cannot be read
     */
    public static void main(String[] args) throws IOException {
        Config c =
                new Config(
                        args[0],
                        Integer.parseInt(args[1]),
                        Integer.parseInt(args[2]),
                        Integer.parseInt(args[3]),
                        Boolean.parseBoolean(args[7]),
                        Integer.parseInt(args[4]),
                        Integer.parseInt(args[5]),
                        Double.parseDouble(args[6]) * 1000,
                        args.length > 8 ? args[8] : "djl",
                        args.length > 9 ? Integer.parseInt(args[9]) : 0,
                        args.length > 10 ? Double.parseDouble(args[10]) * 1000 : 0);
        Map<String, Object> row = run(c);
        System.out.println(new ObjectMapper().writeValueAsString(row));
        System.out.flush();
        System.exit(0);
    }

    /**
     * One configuration.
     *
     * @param source a model spec or {@code checkpoint=DIR}
     * @param size the image size
     * @param batch the batch size
     * @param patch a patch size override, 0 for the model's own
     * @param deploy whether to fuse re-parameterisable units first
     * @param warmup untimed runs
     * @param repeats timed runs at most
     * @param budgetMs the time budget of the timed runs
     * @param runtime one of {@link LatencyBenchmark#RUNTIMES}
     * @param threads intra-op threads, 0 for all cores
     * @param warmupMs the least time the untimed runs take
     */
    record Config(
            String source,
            int size,
            int batch,
            int patch,
            boolean deploy,
            int warmup,
            int repeats,
            double budgetMs,
            String runtime,
            int threads,
            double warmupMs) {}

    static Map<String, Object> run(Config c) throws IOException {
        Map<String, Object> row = new LinkedHashMap<>();
        try (NDManager m = NDManager.newBaseManager()) {
            ImageClassifier net = load(c, m);
            if (c.deploy()) {
                Reparameterizer.toInferenceForm(net); // the form one deploys
            }
            row.put("params_m", round(ModelStats.parameterCount(net) / 1e6, 2));
            row.put("gflops", round(FlopCounter.count(net) / 1e9, 2));
            row.put(
                    "threads",
                    c.threads() > 0 ? c.threads() : Runtime.getRuntime().availableProcessors());
            Shape shape = new Shape(c.batch(), net.options().inChannels(), c.size(), c.size());
            float[] input = input(shape);
            if (c.runtime().equals(LatencyBenchmark.ONNX_RUNTIME)) {
                row.putAll(OnnxLatency.run(net, m, input, shape, c, OnnxExportOptions.defaults()));
            } else if (c.runtime().equals(LatencyBenchmark.ONNX_RUNTIME_DIRECT)) {
                row.putAll(
                        OnnxLatency.run(net, m, input, shape, c, OnnxLatency.TORCH_STYLE_EXPORT));
            } else if (c.runtime().equals(LatencyBenchmark.AUTO)) {
                // fourier4j's inference path as predict runs it: the faster engine for this
                // model and shape, decided (timed once, or read from the cache) before timing
                NDArray x = m.create(input, shape);
                String identity = "bench " + c.source() + (c.deploy() ? " deploy" : "");
                try (ModelEngines engines = new ModelEngines(identity, net, EngineChoice.AUTO)) {
                    row.put("engine", engines.engineFor(x));
                    row.putAll(time(() -> forward(engines::logits, x, m), c));
                }
            } else {
                NDArray x = m.create(input, shape);
                // the model runs as users run it for inference: through its plan
                try (InferencePlan plan = InferencePlan.compile(net)) {
                    row.putAll(time(() -> forward(plan::logits, x, m), c));
                }
            }
        }
        row.put("heap_peak_mb", round(heapPeakBytes() / 1048576.0, 1));
        row.put("rss_peak_mb", round(residentPeakKb() / 1024.0, 1));
        return row;
    }

    /** The zoo model with fixed-seed weights, or a model directory's model, initialised. */
    private static ImageClassifier load(Config c, NDManager m) {
        if (c.source().startsWith(CHECKPOINT)) {
            LoadedModel loaded =
                    ModelDirectory.open(
                            Path.of(c.source().substring(CHECKPOINT.length())),
                            ModelDirectory.OpenOptions.defaults(),
                            m.newSubManager());
            return loaded.model(); // its manager is a child of m, closed with it
        }
        ModelSpec spec = ModelSpec.parse(c.source());
        ModelOptions.Builder options = ModelOptions.builder().imageSize(c.size());
        if (c.patch() > 0) {
            options.override("patch_size", c.patch());
        }
        ImageClassifier net = ModelZoo.create(spec.name(), spec.applyTo(options).build());
        Engine.getInstance().setRandomSeed(SEED); // the same weights in every runtime's process
        net.initialize(
                m, DataType.FLOAT32, new Shape(1, net.options().inChannels(), c.size(), c.size()));
        return net;
    }

    /** A fixed-seed N(0, 1) batch. */
    static float[] input(Shape shape) {
        Random random = new Random(SEED);
        float[] v = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    /** One DJL forward pass, its intermediates freed, waiting for the result. */
    static float[] forward(ImageClassifier net, ParameterStore ps, NDArray x, NDManager m) {
        return forward(in -> net.forward(ps, new NDList(in), false).singletonOrThrow(), x, m);
    }

    /** One run of {@code logits} on x, its intermediates freed with the run. */
    static float[] forward(UnaryOperator<NDArray> logits, NDArray x, NDManager m) {
        try (NDManager step = m.newSubManager()) {
            // results belong to the first operand's manager: a view of the input owned by this run
            // keeps every intermediate out of the long-lived one
            NDArray input = x.reshape(x.getShape());
            input.attach(step);
            NDArray y = logits.apply(input);
            y.attach(step);
            return y.toFloatArray();
        }
    }

    /** Warm-up runs, then timed runs until {@code repeats} or the time budget. */
    static Map<String, Object> time(Runnable forward, Config c) {
        long warmStart = System.nanoTime();
        for (int i = 0;
                i < c.warmup() || (System.nanoTime() - warmStart) / 1e6 < c.warmupMs();
                i++) {
            forward.run();
        }
        double[] times = new double[c.repeats()];
        int n = 0;
        long start = System.nanoTime();
        while (n < c.repeats()) {
            long t0 = System.nanoTime();
            forward.run();
            times[n++] = (System.nanoTime() - t0) / 1e6;
            if ((System.nanoTime() - start) / 1e6 > c.budgetMs()) {
                break;
            }
        }
        double[] measured = java.util.Arrays.copyOf(times, n);
        double median = Timing.median(measured);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("median_ms", round(median, 3));
        row.put("p90_ms", round(Timing.quantile(measured, 0.9), 3));
        row.put("images_per_s", round(c.batch() * 1000.0 / median, 2));
        row.put("runs", n);
        return row;
    }

    private static long heapPeakBytes() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }

    /** Peak resident set size of this process (VmHWM), in KiB; -1 where /proc is missing. */
    static long residentPeakKb() throws IOException {
        return procStatusKb(Path.of("/proc/self/status"), "VmHWM:");
    }

    static long procStatusKb(Path status, String field) {
        List<String> lines;
        try {
            lines = Files.readAllLines(status);
        } catch (IOException e) {
            // the process ended (its /proc entry vanished), possibly between two polls
            return -1;
        }
        for (String line : lines) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.substring(field.length()).replace("kB", "").trim());
            }
        }
        return -1;
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
