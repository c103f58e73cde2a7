package org.fourier4j.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
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
import org.fourier4j.fft.Timing;
import org.fourier4j.models.FlopCounter;
import org.fourier4j.models.ImageClassifier;
import org.fourier4j.models.ModelOptions;
import org.fourier4j.models.ModelStats;
import org.fourier4j.models.ModelZoo;
import org.fourier4j.plan.InferencePlan;
import org.fourier4j.reparam.Reparameterizer;

/**
 * Times one (model, image size, batch) configuration in a process of its own, so that {@link
 * LatencyBenchmark} can stop it on a timeout or a memory budget without losing the other rows.
 * Prints one JSON object on stdout: parameters, GFLOPs, median and p90 ms per batch, images/s, peak
 * JVM heap and peak resident memory of the process.
 *
 * <p>Arguments: {@code model size batch patch warmup repeats budgetSeconds deploy}; {@code model}
 * is a {@link ModelSpec}, {@code patch} 0 means the model's own, {@code deploy} true converts the
 * model to its inference form ({@link Reparameterizer}: RepLKNet, FFNet) before timing. The model
 * runs as users run it for inference, through its {@link InferencePlan}.
 */
public final class LatencyWorker {

    private LatencyWorker() {}

    /**
     * Runs the configuration.
     *
     * @param args model spec, size, batch, patch, warmup, repeats, time budget in seconds, deploy
     * @throws IOException if /proc cannot be read
     */
    public static void main(String[] args) throws IOException {
        String model = args[0];
        int size = Integer.parseInt(args[1]);
        int batch = Integer.parseInt(args[2]);
        int patch = Integer.parseInt(args[3]);
        int warmup = Integer.parseInt(args[4]);
        int repeats = Integer.parseInt(args[5]);
        double budgetMs = Double.parseDouble(args[6]) * 1000;
        boolean deploy = Boolean.parseBoolean(args[7]);
        Map<String, Object> row =
                run(ModelSpec.parse(model), size, batch, patch, deploy, warmup, repeats, budgetMs);
        System.out.println(new ObjectMapper().writeValueAsString(row));
        System.out.flush();
        System.exit(0);
    }

    static Map<String, Object> run(
            ModelSpec model,
            int size,
            int batch,
            int patch,
            boolean deploy,
            int warmup,
            int repeats,
            double budgetMs)
            throws IOException {
        ModelOptions.Builder options = ModelOptions.builder().imageSize(size);
        if (patch > 0) {
            options.override("patch_size", patch);
        }
        ImageClassifier net = ModelZoo.create(model.name(), model.applyTo(options).build());
        Map<String, Object> row = new LinkedHashMap<>();
        try (NDManager m = NDManager.newBaseManager()) {
            net.initialize(
                    m, DataType.FLOAT32, new Shape(1, net.options().inChannels(), size, size));
            if (deploy) {
                Reparameterizer.toInferenceForm(net); // the form one deploys
            }
            row.put("params_m", round(ModelStats.parameterCount(net) / 1e6, 2));
            row.put("gflops", round(FlopCounter.count(net) / 1e9, 2));
            NDArray x = m.randomNormal(new Shape(batch, net.options().inChannels(), size, size));
            InferencePlan plan = InferencePlan.compile(net);
            Runnable forward =
                    () -> {
                        try (NDManager step = m.newSubManager()) {
                            // results belong to the first operand's manager: a view of the input
                            // owned by this run keeps every intermediate out of the long-lived one
                            NDArray input = x.reshape(x.getShape());
                            input.attach(step);
                            NDArray y = plan.logits(input);
                            y.attach(step);
                            y.toFloatArray(); // wait for the result
                        }
                    };
            for (int i = 0; i < warmup; i++) {
                forward.run();
            }
            double[] times = new double[repeats];
            int n = 0;
            long start = System.nanoTime();
            while (n < repeats) {
                long t0 = System.nanoTime();
                forward.run();
                times[n++] = (System.nanoTime() - t0) / 1e6;
                if ((System.nanoTime() - start) / 1e6 > budgetMs) {
                    break;
                }
            }
            double[] measured = java.util.Arrays.copyOf(times, n);
            double median = Timing.median(measured);
            row.put("median_ms", round(median, 3));
            row.put("p90_ms", round(Timing.quantile(measured, 0.9), 3));
            row.put("images_per_s", round(batch * 1000.0 / median, 2));
            row.put("runs", n);
        }
        row.put("heap_peak_mb", round(heapPeakBytes() / 1048576.0, 1));
        row.put("rss_peak_mb", round(residentPeakKb() / 1024.0, 1));
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

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
