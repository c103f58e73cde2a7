package org.fourier4j.cli;

import static org.fourier4j.cli.OptionChecks.require;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fourier4j.bench.ResultTable;
import org.fourier4j.bench.SparkBenchmark;
import org.fourier4j.inference.ModelDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fourier4j bench spark}: spark predict against the single-JVM predictor. */
@Command(
        name = "spark",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Times `spark predict` against the single-JVM batch predictor (DJL's Predictor) on the"
                    + " same image files, each in a child JVM: images/s of reading, decoding,"
                    + " predicting and writing the top k, and the startup (JVM start until"
                    + " predicting begins; for Spark the session is part of it)."
        })
final class BenchSparkCommand implements Callable<Integer> {

    @Option(
            names = "--checkpoint",
            required = true,
            paramLabel = "DIR",
            description = "The model directory.")
    private Path checkpoint;

    @Option(
            names = "--images",
            required = true,
            paramLabel = "DIR",
            description = "A directory of image files (read recursively).")
    private Path images;

    @Option(
            names = "--workers",
            defaultValue = "local[2]",
            paramLabel = "MASTER",
            description = "Spark master for the Spark side. Default: ${DEFAULT-VALUE}.")
    private String workers;

    @Option(
            names = "--batch-size",
            defaultValue = "32",
            paramLabel = "N",
            description = "Images per forward pass, both sides. Default: ${DEFAULT-VALUE}.")
    private int batchSize;

    @Option(
            names = "--top-k",
            defaultValue = "5",
            paramLabel = "K",
            description = "Classes per image, both sides. Default: ${DEFAULT-VALUE}.")
    private int topK;

    @Option(
            names = "--threads-per-task",
            defaultValue = "0",
            paramLabel = "N",
            description =
                    "libtorch intra-op threads of the Spark side (0: spark.task.cpus, i.e. 1)."
                            + " Default: ${DEFAULT-VALUE}.")
    private int threadsPerTask;

    @Option(
            names = "--single-threads",
            defaultValue = "0",
            paramLabel = "N",
            description =
                    "libtorch intra-op threads of the single JVM (0: the engine's default, one per"
                            + " core). Default: ${DEFAULT-VALUE}.")
    private int singleThreads;

    @Mixin private TableOutput output;

    @Option(names = "--out", description = "Also write spark.<format> into this directory.")
    private Path out;

    @Override
    public Integer call() throws Exception {
        if (!ModelDirectory.isModelDirectory(checkpoint)) {
            throw new IllegalArgumentException(
                    "--checkpoint " + checkpoint + " is not a model directory (no model.json)");
        }
        if (!Files.isDirectory(images)) {
            throw new IllegalArgumentException("--images " + images + " is not a directory");
        }
        require(batchSize >= 1, "--batch-size must be at least 1, got " + batchSize);
        require(topK >= 1, "--top-k must be at least 1, got " + topK);
        require(threadsPerTask >= 0, "--threads-per-task must be >= 0, got " + threadsPerTask);
        require(singleThreads >= 0, "--single-threads must be >= 0, got " + singleThreads);
        System.err.printf(
                Locale.ROOT,
                "bench spark: %s on %s, single JVM then %s, batch %d; %d cores%n",
                checkpoint,
                images,
                workers,
                batchSize,
                Runtime.getRuntime().availableProcessors());
        ResultTable table =
                SparkBenchmark.run(
                        new SparkBenchmark.Settings(
                                checkpoint,
                                images,
                                workers,
                                batchSize,
                                topK,
                                threadsPerTask,
                                singleThreads));
        output.print(table, output.inFolder(out, "spark"));
        List<Map<String, Object>> rows = table.rows();
        if (rows.size() == 2
                && rows.get(0).get("images_per_s") instanceof Number a
                && rows.get(1).get("images_per_s") instanceof Number b) {
            System.err.printf(
                    Locale.ROOT,
                    "bench spark: Spark's throughput is %.0f%% of the single JVM's; its startup"
                            + " takes %.1f s more%n",
                    100 * b.doubleValue() / a.doubleValue(),
                    ((Number) rows.get(1).get("startup_s")).doubleValue()
                            - ((Number) rows.get(0).get("startup_s")).doubleValue());
        }
        return 0;
    }
}
