package org.fourier4j.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.fourier4j.spark.SparkJvm;

/**
 * {@code spark predict} against the single-JVM batch predictor on the same image files, each in a
 * child JVM ({@link SparkBenchWorker}): images/s of each, and the time from JVM start until
 * predicting begins (JVM, engine and model; for Spark also the session), whose difference is
 * Spark's startup overhead.
 */
public final class SparkBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What to run. */
    public record Settings(
            Path model,
            Path images,
            String master,
            int batch,
            int topK,
            int threadsPerTask,
            int singleThreads) {}

    private SparkBenchmark() {}

    /**
     * Runs both sides, the single JVM first.
     *
     * @param s the settings
     * @return one row per side
     * @throws IOException if the temporary output cannot be made
     */
    public static ResultTable run(Settings s) throws IOException {
        ResultTable table = new ResultTable();
        Path out = Files.createTempDirectory("fourier4j-bench-spark");
        try {
            table.add(
                    side(
                            s,
                            "single",
                            out,
                            s.singleThreads() > 0
                                    ? List.of("-Dai.djl.pytorch.num_threads=" + s.singleThreads())
                                    : List.of()));
            List<String> extra = new ArrayList<>(SparkJvm.requiredOpens());
            if (s.threadsPerTask() > 0) {
                extra.add("-Dai.djl.pytorch.num_threads=" + s.threadsPerTask());
            }
            table.add(side(s, "spark", out, extra));
        } finally {
            try (Stream<Path> files = Files.walk(out)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return table;
    }

    private static Map<String, Object> side(
            Settings s, String mode, Path out, List<String> jvmOptions) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Dai.djl.offline=true");
        cmd.add("-DdisableProgressBar=true");
        cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        cmd.add("-Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda=off");
        // a private temporary directory: DJL's model-zoo registry walks java.io.tmpdir at start
        Path tmp = out.resolve("tmp-" + mode);
        try {
            Files.createDirectories(tmp);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        cmd.add("-Djava.io.tmpdir=" + tmp);
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(SparkBenchWorker.class.getName());
        cmd.add(mode);
        cmd.add(s.model().toAbsolutePath().toString());
        cmd.add(s.images().toAbsolutePath().toString());
        cmd.add(out.toString());
        cmd.add(String.valueOf(s.batch()));
        cmd.add(String.valueOf(s.topK()));
        cmd.add(s.master());
        Map<String, Object> row = new LinkedHashMap<>();
        try {
            Process p = new ProcessBuilder(cmd).start();
            StringBuilder err = new StringBuilder();
            Thread errReader = LatencyBenchmark.drain(p.getErrorStream(), err);
            String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int code = p.waitFor();
            errReader.join(2000);
            String last = stdout.strip().lines().reduce((a, b) -> b).orElse("");
            if (code != 0 || !last.startsWith("{")) {
                row.put("mode", mode);
                row.put(
                        "status",
                        "failed (exit " + code + "): " + LatencyBenchmark.reason(err.toString()));
                return row;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> measured = JSON.readValue(last, Map.class);
            row.putAll(measured);
            row.put("status", "ok");
            return row;
        } catch (IOException e) {
            row.put("mode", mode);
            row.put("status", "could not start the worker: " + e.getMessage());
            return row;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            row.put("mode", mode);
            row.put("status", "interrupted");
            return row;
        }
    }
}
