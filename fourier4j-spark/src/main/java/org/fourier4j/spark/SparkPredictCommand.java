package org.fourier4j.spark;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code spark predict}: the command line of {@link SparkPredictJob}, shared by {@code fourier4j
 * spark predict} and {@code spark-submit} ({@link SparkPredictMain}).
 */
@Command(
        name = "predict",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Classifies (and with --embed, embeds) image files on Apache Spark and writes one row"
                    + " per image and rank: image, rank, label, class_index, probability"
                    + " (parquet/json: plus embedding with --embed), error.",
            "",
            "Without --master it runs on an embedded local Spark (local[*]); under spark-submit"
                    + " on the submitted cluster. Each executor JVM loads the model once and"
                    + " predicts its partitions in batches, with the model card's preprocessing."
                    + " An image that cannot be decoded (or is not RGB or grey) gets a row with an"
                    + " error instead of failing the job; the counts are printed at the end."
        })
public final class SparkPredictCommand implements Callable<Integer> {

    @Option(
            names = "--checkpoint",
            required = true,
            paramLabel = "DIR",
            description =
                    "The model directory (from fourier4j import or train). On a cluster: a path"
                            + " every executor sees, or the name it was shipped under with"
                            + " spark-submit --archives model.zip#NAME.")
    private String checkpoint;

    @Option(
            names = "--images",
            required = true,
            paramLabel = "PATH|GLOB",
            description =
                    "An image file, a directory (read recursively; files starting with . or _"
                            + " are skipped) or a glob such as '/data/*.jpg'; any file system"
                            + " Spark reads.")
    private String images;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "DIR",
            description = "The output directory (Spark's part files); must not exist.")
    private String out;

    @Option(
            names = "--master",
            paramLabel = "URL",
            description =
                    "Spark master, e.g. local[2]. Default: spark-submit's, else local[*] (all"
                            + " cores of this machine).")
    private String master;

    @Option(
            names = "--top-k",
            defaultValue = "5",
            paramLabel = "K",
            description =
                    "Classes per image (more than the model has gives all). Default:"
                            + " ${DEFAULT-VALUE}.")
    private int topK;

    @Option(
            names = "--embed",
            description =
                    "Also write the features the classifier takes, as an array column"
                            + " 'embedding' (parquet and json only).")
    private boolean embed;

    @Option(
            names = "--format",
            defaultValue = "csv",
            paramLabel = "csv|parquet|json",
            description = "Output format. Default: ${DEFAULT-VALUE}.")
    private String format;

    @Option(
            names = "--batch-size",
            defaultValue = "32",
            paramLabel = "N",
            description = "Images per forward pass. Default: ${DEFAULT-VALUE}.")
    private int batchSize;

    @Override
    public Integer call() {
        SparkPredictJob.Options o =
                new SparkPredictJob.Options(
                        checkpoint,
                        images,
                        out,
                        master,
                        topK,
                        embed,
                        SparkPredictJob.Format.parse(format),
                        batchSize);
        SparkPredictJob.Summary s = SparkPredictJob.run(o);
        report(s, out, System.out, System.err);
        return 0;
    }

    static void report(SparkPredictJob.Summary s, String out, PrintStream stdout, PrintStream err) {
        err.printf(
                Locale.ROOT,
                "spark predict: %s; Spark started in %.1f s, the model in %.1f s; read + predict"
                        + " + write took %.1f s (%.1f images/s)%n",
                s.master(),
                s.sessionSeconds(),
                s.modelSeconds(),
                s.jobSeconds(),
                s.imagesPerSecond());
        stdout.printf(
                Locale.ROOT,
                "read %d, predicted %d, failed %d -> %s%n",
                s.read(),
                s.predicted(),
                s.failed(),
                out);
        if (s.failed() > 0) {
            err.printf(
                    Locale.ROOT,
                    "spark predict: %d image(s) could not be predicted: their rows in %s have the"
                            + " reason in the 'error' column%n",
                    s.failed(),
                    out);
        }
    }
}
