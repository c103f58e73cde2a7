package org.fourier4j.spark;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.fourier4j.inference.ModelCard;
import org.fourier4j.inference.ModelDirectory;

/**
 * The {@code spark predict} job: reads image files with Spark's {@code binaryFile} source, predicts
 * them with {@link ImagePredictor} and writes one row per image and rank ({@link RankRows}) as CSV,
 * Parquet or JSON part files into the output directory.
 */
public final class SparkPredictJob {

    /** Output formats. */
    public enum Format {
        /** Comma-separated with a header line. */
        CSV,
        /** Apache Parquet. */
        PARQUET,
        /** JSON lines, every field present (null where empty). */
        JSON;

        /**
         * @param s a name in any case
         * @return the format
         * @throws IllegalArgumentException naming the choices
         */
        public static Format parse(String s) {
            try {
                return valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "--format must be csv, parquet or json, got '" + s + "'");
            }
        }
    }

    /**
     * What to predict.
     *
     * @param modelDir the model directory (see {@link ModelLocator})
     * @param images a file, directory (read recursively) or glob, local or any Hadoop file system
     * @param out the output directory (must not exist, or be empty)
     * @param master the Spark master, or null (spark-submit's, else {@code local[*]})
     * @param topK classes per image
     * @param embed whether to write the features too (Parquet and JSON only)
     * @param format the output format
     * @param batchSize images per forward pass
     */
    public record Options(
            String modelDir,
            String images,
            String out,
            String master,
            int topK,
            boolean embed,
            Format format,
            int batchSize) {

        /** Checks the values. */
        public Options {
            if (topK < 1) {
                throw new IllegalArgumentException("--top-k must be at least 1, got " + topK);
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException(
                        "--batch-size must be at least 1, got " + batchSize);
            }
            if (embed && format == Format.CSV) {
                throw new IllegalArgumentException(
                        "--embed writes an array per row, which CSV cannot hold: use --format"
                                + " parquet or json");
            }
        }
    }

    /**
     * What a job did.
     *
     * @param read images read
     * @param predicted images predicted
     * @param failed images with an error row
     * @param sessionSeconds time to start Spark
     * @param modelSeconds time to check the model on the driver (in local mode: to load it)
     * @param jobSeconds time to read, predict and write
     * @param master the master it ran on
     */
    public record Summary(
            long read,
            long predicted,
            long failed,
            double sessionSeconds,
            double modelSeconds,
            double jobSeconds,
            String master) {

        /**
         * @return images read per second of the job
         */
        public double imagesPerSecond() {
            return read / Math.max(jobSeconds, 1e-9);
        }
    }

    /** Spark's cap on the bytes of one partition of files. */
    static final String PARTITION_BYTES = "spark.sql.files.maxPartitionBytes";

    /**
     * The cap this job uses unless the session sets one: Spark counts every file as at least {@code
     * spark.sql.files.openCostInBytes} (4 MB), so 1 GB makes partitions of about 250 small images
     * (fewer of large ones), a few batches per task, instead of Spark's 32 (128 MB): fewer tasks,
     * the same balance for data sets larger than a few thousand images.
     */
    static final String DEFAULT_PARTITION_BYTES = "1g";

    /**
     * The most tasks Spark uses to list the files of many paths: a glob such as {@code *.jpg} makes
     * every match a path of its own, and Spark's default (10,000) would list 10,000 images in
     * 10,000 tasks; this job uses four per core.
     */
    static final String LISTING_TASKS = "spark.sql.sources.parallelPartitionDiscovery.parallelism";

    private SparkPredictJob() {}

    private static void setIfAbsent(SparkSession spark, String key, String value) {
        if (!spark.conf().contains(key)) {
            spark.conf().set(key, value);
        }
    }

    /**
     * Runs the job in this JVM's Spark session, starting one (and stopping it at the end) if there
     * is none.
     *
     * @param o what to predict
     * @return the counts and times
     * @throws SparkSetupException or {@link IllegalArgumentException} on bad input, before any
     *     prediction
     * @throws org.fourier4j.inference.ModelDirectoryException if the model cannot be read
     */
    public static Summary run(Options o) {
        refuseExistingOutput(o.out());
        long t0 = System.nanoTime();
        boolean existing = SparkSession.getDefaultSession().isDefined();
        SparkSession spark = SparkSessions.start(o.master(), "fourier4j spark predict");
        try {
            double session = (System.nanoTime() - t0) / 1e9;
            return run(spark, o, session);
        } finally {
            if (!existing) {
                spark.stop();
            }
        }
    }

    /**
     * Runs the job in a given session.
     *
     * @param spark the session
     * @param o what to predict
     * @param sessionSeconds the time it took to start the session, for the summary
     * @return the counts and times
     */
    public static Summary run(SparkSession spark, Options o, double sessionSeconds) {
        long t0 = System.nanoTime();
        String master = spark.sparkContext().master();
        checkModel(o.modelDir(), o.embed(), SparkSessions.isLocal(master));
        double modelSeconds = (System.nanoTime() - t0) / 1e9;
        t0 = System.nanoTime();
        setIfAbsent(spark, PARTITION_BYTES, DEFAULT_PARTITION_BYTES);
        setIfAbsent(
                spark,
                LISTING_TASKS,
                String.valueOf(4 * spark.sparkContext().defaultParallelism()));
        Dataset<Row> files;
        try {
            files =
                    spark.read()
                            .format("binaryFile")
                            .option("recursiveFileLookup", "true")
                            .load(o.images());
        } catch (Exception e) {
            throw userError("--images " + o.images(), e);
        }
        ImagePredictor predictor =
                new ImagePredictor()
                        .setModelDir(o.modelDir())
                        .setTopK(o.topK())
                        .setEmbed(o.embed())
                        .setBatchSize(o.batchSize());
        PredictionCounts counts = PredictionCounts.register(spark.sparkContext());
        Dataset<Row> rows = predictor.rankRows(predictor.transformCounting(files, counts), "path");
        DataFrameWriter<Row> writer =
                rows.write()
                        .mode(SaveMode.ErrorIfExists)
                        .format(o.format().name().toLowerCase(Locale.ROOT));
        if (o.format() == Format.CSV) {
            writer.option("header", "true");
        } else if (o.format() == Format.JSON) {
            writer.option("ignoreNullFields", "false");
        }
        try {
            writer.save(o.out());
        } catch (Exception e) {
            throw userError("--out " + o.out(), e);
        }
        return new Summary(
                counts.read(),
                counts.predicted(),
                counts.failed(),
                sessionSeconds,
                modelSeconds,
                (System.nanoTime() - t0) / 1e9,
                master);
    }

    /**
     * Checks the model before any task runs. In local mode the model is loaded into this JVM's
     * {@link ModelCache}, where the tasks find it, and run once on a blank image; on a cluster only
     * its card is read here, when the driver sees the directory.
     */
    private static void checkModel(String dir, boolean embed, boolean local) {
        if (local) {
            new BatchPredictor(ModelCache.get(dir), 1, embed).check();
            return;
        }
        Path p;
        try {
            p = ModelLocator.resolve(dir);
        } catch (RuntimeException e) {
            return; // shipped to the executors only: they report it
        }
        if (ModelDirectory.isModelDirectory(p)) {
            ModelCard card = ModelDirectory.readCard(p);
            if (card.inChannels() != 3) {
                throw new IllegalArgumentException(
                        "model '"
                                + card.model()
                                + "' of "
                                + p
                                + " takes "
                                + card.inChannels()
                                + " input channel(s); image prediction needs an RGB model");
            }
        }
    }

    private static void refuseExistingOutput(String out) {
        Path p;
        try {
            p = out.startsWith("file:") ? Paths.get(URI.create(out)) : Paths.get(out);
        } catch (RuntimeException e) {
            return; // another file system: Spark refuses an existing directory itself
        }
        if (out.contains("://") && !out.startsWith("file:")) {
            return;
        }
        if (Files.exists(p)) {
            boolean empty = false;
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    empty = s.findAny().isEmpty();
                } catch (java.io.IOException e) {
                    empty = false;
                }
            }
            if (!empty) {
                throw new SparkSetupException(
                        "--out " + out + " already exists: choose another directory or remove it");
            }
            try {
                Files.delete(p); // Spark refuses even an empty directory
            } catch (java.io.IOException e) {
                throw new SparkSetupException("--out " + out + ": cannot be replaced (" + e + ")");
            }
        }
    }

    /** Spark's analysis errors (no such path, path exists) are the user's; others are not. */
    private static RuntimeException userError(String what, Exception e) {
        if (e instanceof AnalysisException) {
            return new SparkSetupException(what + ": " + firstLine(e), e);
        }
        return e instanceof RuntimeException r ? r : new IllegalStateException(e);
    }

    private static String firstLine(Exception e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
