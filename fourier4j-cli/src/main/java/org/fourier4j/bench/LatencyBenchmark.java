package org.fourier4j.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.fourier4j.inference.ModelDirectory;

/**
 * Whole-model inference latency per (model, image size, batch, runtime), each configuration in a
 * child JVM ({@link LatencyWorker}) so that a run that is too slow or too large is reported as DNF
 * with its reason instead of hanging or being killed by the operating system: the child is stopped
 * when it passes the timeout, or when its resident memory (polled every 50 ms) passes the memory
 * budget.
 *
 * <p>Runtimes: {@code djl} (fourier4j's own forward pass on DJL/PyTorch), {@code onnxruntime} (the
 * model exported to ONNX in the child and run by ONNX Runtime with the same thread count, the same
 * weights and the same input), {@code onnxruntime-direct} (the same, exported as the papers'
 * PyTorch code exports) and {@code auto} (the inference path). Rows add {@code vs_djl}, their
 * median over the DJL row's; the auto row adds its median over each ONNX Runtime row's.
 */
public final class LatencyBenchmark {

    /** What to run and the limits. */
    public static final class Settings {
        /** Model names, or {@link ModelSpec}s with overrides. */
        public List<String> models = new ArrayList<>();

        /** Model directories (from import or train), timed with their weights. */
        public List<Path> checkpoints = new ArrayList<>();

        /** Runtimes: any of {@link #RUNTIMES}. */
        public List<String> runtimes = new ArrayList<>(List.of("djl"));

        /** Whether re-parameterisable models are timed in their inference form. */
        public boolean deploy;

        /** Image sizes; empty for each model's own (a model directory's card, else 224). */
        public List<Integer> sizes = new ArrayList<>();

        /** Batch sizes. */
        public List<Integer> batches = new ArrayList<>(List.of(1));

        /** Patch size override for transformer models, 0 for the model's own. */
        public int patch;

        /** Untimed runs. */
        public int warmup = 5;

        /** The least time the untimed runs take, s. */
        public double warmupSeconds = 2;

        /** Timed runs (at most). */
        public int repeats = 10;

        /** Per-configuration wall-clock limit, seconds. */
        public double timeoutSeconds = 300;

        /** Resident memory budget per configuration, bytes. */
        public long maxMemoryBytes = 16L << 30;

        /** Intra-op threads of the engine in the child, 0 for all cores. */
        public int threads;
    }

    /** fourier4j's inference plan on DJL. */
    public static final String DJL = "djl";

    /** The model exported by fourier4j (its default transform rule) run by ONNX Runtime. */
    public static final String ONNX_RUNTIME = "onnxruntime";

    /**
     * The model exported the way the papers' PyTorch code exports (every convolution an ONNX {@code
     * Conv}, Fourier transforms ONNX {@code DFT}s) run by ONNX Runtime: what a user gets without
     * fourier4j.
     */
    public static final String ONNX_RUNTIME_DIRECT = "onnxruntime-direct";

    /** fourier4j's inference path as predict runs it (the faster engine, chosen once). */
    public static final String AUTO = "auto";

    /** Every runtime, in the order of their rows. */
    public static final List<String> RUNTIMES =
            List.of(DJL, ONNX_RUNTIME, ONNX_RUNTIME_DIRECT, AUTO);

    private static final ObjectMapper JSON = new ObjectMapper();

    private LatencyBenchmark() {}

    /**
     * Runs every configuration, one child process at a time.
     *
     * @param s the settings
     * @param progress called with each finished row (may be null)
     * @return the rows
     */
    public static ResultTable run(Settings s, Consumer<Map<String, Object>> progress) {
        ResultTable table = new ResultTable();
        Map<String, List<Integer>> sources = new LinkedHashMap<>();
        for (String model : s.models) {
            sources.put(model, s.sizes.isEmpty() ? List.of(224) : s.sizes);
        }
        for (Path dir : s.checkpoints) {
            int own = ModelDirectory.readCard(dir).imageSize();
            sources.put(
                    LatencyWorker.CHECKPOINT + dir.toAbsolutePath().normalize(),
                    s.sizes.isEmpty() ? List.of(own) : s.sizes);
        }
        for (Map.Entry<String, List<Integer>> source : sources.entrySet()) {
            for (int size : source.getValue()) {
                for (int batch : s.batches) {
                    Map<String, Map<String, Object>> group = new LinkedHashMap<>();
                    for (String runtime : s.runtimes) {
                        Map<String, Object> row = runOne(s, source.getKey(), size, batch, runtime);
                        group.put(runtime, row);
                        if (progress != null) {
                            progress.accept(row);
                        }
                    }
                    addRatios(group);
                    group.values().forEach(table::add);
                }
            }
        }
        return table;
    }

    /**
     * The ratio columns of one model, size and batch: every other runtime over DJL's plan ({@code
     * vs_djl}), and the inference path ({@code auto}) over each ONNX Runtime row.
     */
    private static void addRatios(Map<String, Map<String, Object>> group) {
        for (Map.Entry<String, Map<String, Object>> e : group.entrySet()) {
            if (!e.getKey().equals(DJL)) {
                ratio(e.getValue(), group.get(DJL), "vs_djl");
            }
        }
        Map<String, Object> auto = group.get(AUTO);
        if (auto != null) {
            ratio(auto, group.get(ONNX_RUNTIME), "vs_onnxruntime");
            ratio(auto, group.get(ONNX_RUNTIME_DIRECT), "vs_onnxruntime_direct");
        }
    }

    /** Adds row's median over another row's, when both ran. */
    private static void ratio(Map<String, Object> row, Map<String, Object> other, String column) {
        if (other != null && "ok".equals(other.get("status")) && "ok".equals(row.get("status"))) {
            double ratio =
                    ((Number) row.get("median_ms")).doubleValue()
                            / ((Number) other.get("median_ms")).doubleValue();
            row.put(column, Math.round(ratio * 100) / 100.0);
        }
    }

    /**
     * Checks a runtime name.
     *
     * @param runtime one of {@link #RUNTIMES}, any case
     * @return the name
     * @throws IllegalArgumentException naming the runtimes there are
     */
    public static String checkRuntime(String runtime) {
        String r = runtime.trim().toLowerCase(Locale.ROOT);
        if (!RUNTIMES.contains(r)) {
            throw new IllegalArgumentException(
                    "--runtime must be one of "
                            + String.join(", ", RUNTIMES)
                            + ", got '"
                            + runtime
                            + "'");
        }
        return r;
    }

    private static Map<String, Object> runOne(
            Settings s, String source, int size, int batch, String runtime) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put(
                "model",
                source.startsWith(LatencyWorker.CHECKPOINT)
                        ? source.substring(LatencyWorker.CHECKPOINT.length())
                        : source);
        row.put("runtime", runtime);
        row.put("image_size", size);
        row.put("patch", s.patch > 0 ? s.patch : null);
        row.put("batch", batch);
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // the children that export (onnxruntime, and auto when it times ONNX Runtime) hold the
        // serialised graph, the weights, on the heap while exporting
        cmd.add(runtime.equals(DJL) ? "-Xmx1g" : "-Xmx4g");
        cmd.add("-Dai.djl.offline=true");
        cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        cmd.add("-Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda=off");
        if (s.threads > 0) {
            cmd.add("-Dai.djl.pytorch.num_threads=" + s.threads);
        }
        for (String key : new String[] {"fourier4j.home", "fourier4j.autotune.measure"}) {
            if (System.getProperty(key) != null) {
                cmd.add("-D" + key + "=" + System.getProperty(key));
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(LatencyWorker.class.getName());
        cmd.add(source);
        cmd.add(String.valueOf(size));
        cmd.add(String.valueOf(batch));
        cmd.add(String.valueOf(s.patch));
        cmd.add(String.valueOf(s.warmup));
        cmd.add(String.valueOf(s.repeats));
        cmd.add(String.valueOf(s.timeoutSeconds * 0.8));
        cmd.add(String.valueOf(s.deploy));
        cmd.add(runtime);
        cmd.add(String.valueOf(s.threads));
        cmd.add(String.valueOf(s.warmupSeconds));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        } catch (IOException e) {
            return dnf(row, "could not start the worker: " + e.getMessage());
        }
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        Thread outReader = drain(p.getInputStream(), out);
        Thread errReader = drain(p.getErrorStream(), err);
        long deadline = System.nanoTime() + (long) (s.timeoutSeconds * 1e9);
        long peakKb = 0;
        String stopped = null;
        try {
            while (!p.waitFor(50, TimeUnit.MILLISECONDS)) {
                long rssKb =
                        LatencyWorker.procStatusKb(
                                Path.of("/proc", String.valueOf(p.pid()), "status"), "VmRSS:");
                peakKb = Math.max(peakKb, rssKb);
                if (rssKb * 1024 > s.maxMemoryBytes) {
                    stopped =
                            String.format(
                                    Locale.ROOT,
                                    "out of memory budget: resident %.1f GB > --max-memory %.1f GB",
                                    rssKb / 1048576.0,
                                    s.maxMemoryBytes / 1073741824.0);
                } else if (System.nanoTime() > deadline) {
                    stopped = String.format(Locale.ROOT, "timeout after %.0f s", s.timeoutSeconds);
                }
                if (stopped != null) {
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                    break;
                }
            }
            outReader.join(2000);
            errReader.join(2000);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return dnf(row, "interrupted");
        }
        if (stopped != null) {
            row.put("rss_peak_mb", Math.round(peakKb / 102.4) / 10.0);
            return dnf(row, stopped);
        }
        String last = lastLine(out.toString());
        if (p.exitValue() != 0 || last.isEmpty() || !last.startsWith("{")) {
            return dnf(
                    row, "worker failed (exit " + p.exitValue() + "): " + reason(err.toString()));
        }
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> measured = JSON.readValue(last, Map.class);
            row.putAll(measured);
            row.put("status", "ok");
            row.put("reason", null);
            return row;
        } catch (IOException e) {
            return dnf(row, "unreadable worker output: " + last);
        }
    }

    private static Map<String, Object> dnf(Map<String, Object> row, String reason) {
        row.put("status", "DNF");
        row.put("reason", reason);
        return row;
    }

    /** The most telling line of a failed worker's stderr: an out-of-memory or exception message. */
    static String reason(String stderr) {
        String best = null;
        for (String line : stderr.split("\n")) {
            String l = line.trim();
            if (l.contains("not enough memory")
                    || l.contains("OutOfMemory")
                    || l.contains("alloc")) {
                return "out of memory: " + l;
            }
            if (best == null && (l.contains("Exception") || l.contains("Error"))) {
                best = l;
            }
        }
        return best != null ? best : lastLine(stderr);
    }

    private static String lastLine(String text) {
        String[] lines = text.trim().split("\n");
        return lines.length == 0 ? "" : lines[lines.length - 1].trim();
    }

    /**
     * Starts a daemon thread that copies a child process's output into a buffer, line by line
     * (synchronized on the buffer), until the stream ends.
     *
     * @param in the child's standard output or error
     * @param into the buffer
     * @return the thread, started
     */
    static Thread drain(java.io.InputStream in, StringBuilder into) {
        Thread t =
                new Thread(
                        () -> {
                            try (BufferedReader r =
                                    new BufferedReader(
                                            new InputStreamReader(in, StandardCharsets.UTF_8))) {
                                String line;
                                while ((line = r.readLine()) != null) {
                                    synchronized (into) {
                                        into.append(line).append('\n');
                                    }
                                }
                            } catch (IOException ignored) {
                                // the process ended
                            }
                        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * Parses a memory size: a number with an optional k, m, g or t suffix (bytes otherwise).
     *
     * @param text e.g. {@code 16g}
     * @return bytes
     */
    public static long parseBytes(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        long unit = 1;
        char last = t.isEmpty() ? ' ' : t.charAt(t.length() - 1);
        if ("kmgt".indexOf(last) >= 0) {
            unit = 1L << (10 * ("kmgt".indexOf(last) + 1));
            t = t.substring(0, t.length() - 1);
        }
        try {
            double v = Double.parseDouble(t);
            if (!(v > 0)) {
                throw new NumberFormatException();
            }
            return (long) (v * unit);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "--max-memory must be a positive size such as 16g or 512m, got '" + text + "'");
        }
    }
}
