package org.fourier4j.bench;

import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.repository.zoo.ZooModel;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.fourier4j.inference.Fourier4jModels;
import org.fourier4j.inference.ModelDirectory;
import org.fourier4j.spark.SparkPredictJob;

/**
 * One side of {@link SparkBenchmark}, in a JVM of its own so that each side has the engine's thread
 * settings it would have in use: {@code single} runs DJL's batch predictor over the image files in
 * this JVM, {@code spark} runs {@code spark predict}. Both decode the files, predict the top k and
 * write CSV rows. Prints one JSON object on stdout.
 *
 * <p>Arguments: {@code single|spark modelDir imagesDir outDir batch topK master}.
 */
public final class SparkBenchWorker {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SparkBenchWorker() {}

    /**
     * Runs one side.
     *
     * @param args mode, model directory, images directory, output directory, batch size, top k,
     *     Spark master
     * @throws Exception on any failure (the parent reports it)
     */
    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[1]);
        Path images = Path.of(args[2]);
        Path out = Path.of(args[3]);
        int batch = Integer.parseInt(args[4]);
        int topK = Integer.parseInt(args[5]);
        Map<String, Object> row =
                args[0].equals("single")
                        ? single(model, images, out, batch, topK)
                        : spark(model, images, out, batch, topK, args[6]);
        System.out.println(JSON.writeValueAsString(row));
        System.out.flush();
        System.exit(0);
    }

    /** Seconds since this JVM started. */
    static double sinceJvmStart() {
        return (System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime())
                / 1000.0;
    }

    static Map<String, Object> single(Path model, Path images, Path out, int batch, int topK)
            throws Exception {
        List<Path> files = imageFiles(images);
        Map<String, Integer> classIndex = new java.util.HashMap<>();
        List<String> classes = ModelDirectory.readCard(model).classes();
        for (int i = 0; i < classes.size(); i++) {
            classIndex.putIfAbsent(classes.get(i), i);
        }
        long read = 0;
        long failed = 0;
        try (ZooModel<Image, Classifications> m = Fourier4jModels.classifier(model);
                Predictor<Image, Classifications> predictor = m.newPredictor();
                BufferedWriter w = Files.newBufferedWriter(out.resolve("single.csv"))) {
            double ready = sinceJvmStart();
            long t0 = System.nanoTime();
            w.write("image,rank,label,class_index,probability\n");
            for (int from = 0; from < files.size(); from += batch) {
                List<Path> chunk = files.subList(from, Math.min(files.size(), from + batch));
                List<Image> decoded = new ArrayList<>(chunk.size());
                List<Path> names = new ArrayList<>(chunk.size());
                for (Path f : chunk) {
                    read++;
                    try {
                        decoded.add(ImageFactory.getInstance().fromFile(f));
                        names.add(f);
                    } catch (IOException | RuntimeException e) {
                        failed++;
                    }
                }
                List<Classifications> results = predictor.batchPredict(decoded);
                for (int i = 0; i < results.size(); i++) {
                    List<Classifications.Classification> top = results.get(i).topK(topK);
                    for (int r = 0; r < top.size(); r++) {
                        Classifications.Classification c = top.get(r);
                        w.write(
                                String.format(
                                        Locale.ROOT,
                                        "%s,%d,%s,%d,%s%n",
                                        names.get(i).toUri(),
                                        r + 1,
                                        c.getClassName(),
                                        classIndex.get(c.getClassName()),
                                        c.getProbability()));
                    }
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("mode", "single JVM");
            row.put("images", read);
            row.put("failed", failed);
            row.put("startup_s", round(ready));
            row.put("spark_session_s", null);
            row.put("predict_s", round(seconds));
            row.put("images_per_s", round(read / seconds));
            return row;
        }
    }

    static Map<String, Object> spark(
            Path model, Path images, Path out, int batch, int topK, String master) {
        double jvm = sinceJvmStart();
        SparkPredictJob.Summary s =
                SparkPredictJob.run(
                        new SparkPredictJob.Options(
                                model.toString(),
                                images.toString(),
                                out.resolve("spark").toString(),
                                master,
                                topK,
                                false,
                                SparkPredictJob.Format.CSV,
                                batch));
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("mode", "spark " + s.master());
        row.put("images", s.read());
        row.put("failed", s.failed());
        row.put("startup_s", round(jvm + s.sessionSeconds() + s.modelSeconds()));
        row.put("spark_session_s", round(s.sessionSeconds()));
        row.put("predict_s", round(s.jobSeconds()));
        row.put("images_per_s", round(s.imagesPerSecond()));
        return row;
    }

    /** Files as Spark's file source lists them: recursive, without names starting . or _. */
    static List<Path> imageFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile)
                    .filter(
                            p -> {
                                String n = p.getFileName().toString();
                                return !n.startsWith(".") && !n.startsWith("_");
                            })
                    .sorted()
                    .toList();
        }
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
