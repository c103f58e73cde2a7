package org.fourier4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.ZooModel;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.fourier4j.data.BundledSample;
import org.fourier4j.data.ImageSet;
import org.fourier4j.inference.Fourier4jModels;
import org.fourier4j.inference.ModelCard;
import org.fourier4j.inference.ModelDirectory;
import org.fourier4j.inference.Preprocessing;
import org.fourier4j.models.ImageClassifier;
import org.fourier4j.models.ModelOptions;
import org.fourier4j.models.ModelZoo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PredictCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;

    /** A smooth colour pattern with noise, of any size, saved as PNG or JPEG. */
    private static Path image(Path file, int width, int height, int type, long seed)
            throws IOException {
        SplittableRandom rng = new SplittableRandom(seed);
        BufferedImage im = new BufferedImage(width, height, type);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r = (x * 255 / width + rng.nextInt(30)) & 0xFF;
                int g = (y * 255 / height + rng.nextInt(30)) & 0xFF;
                int b = ((x + y) * 127 / (width + height) + rng.nextInt(30)) & 0xFF;
                im.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        String name = file.getFileName().toString();
        String format = name.endsWith(".png") ? "png" : "jpeg";
        assertTrue(ImageIO.write(im, format, file.toFile()), "no " + format + " writer");
        return file;
    }

    private static void checkTopK(JsonNode result, int k) {
        JsonNode p = result.get("predictions");
        assertEquals(k, p.size(), result.toString());
        double sum = 0;
        double previous = Double.POSITIVE_INFINITY;
        List<String> classes = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            JsonNode e = p.get(i);
            assertEquals(i + 1, e.get("rank").asInt());
            double prob = e.get("probability").asDouble();
            assertTrue(prob > 0 && prob <= 1, result.toString());
            assertTrue(prob <= previous, "sorted, most probable first: " + result);
            previous = prob;
            sum += prob;
            String label = e.get("label").asText();
            assertEquals(
                    label,
                    BundledSample.load().train().classes().get(e.get("class_index").asInt()));
            assertTrue(!classes.contains(label), "distinct labels: " + result);
            classes.add(label);
        }
        assertTrue(sum <= 1 + 1e-9, "top-" + k + " probabilities sum to " + sum);
    }

    @Test
    void imagesOfAnySizeGetTopKLabelsWithSortedProbabilities() throws Exception {
        SampleRun run = SampleRun.get();
        Path png = image(tmp.resolve("wide.png"), 57, 23, BufferedImage.TYPE_INT_RGB, 1);
        Path jpeg = image(tmp.resolve("tall.jpg"), 41, 300, BufferedImage.TYPE_INT_RGB, 2);
        Path gray = image(tmp.resolve("gray.png"), 64, 64, BufferedImage.TYPE_BYTE_GRAY, 3);
        CliRunner r =
                CliRunner.run(
                        "predict",
                        "--checkpoint",
                        run.dir.toString(),
                        "--top-k",
                        "3",
                        "--format",
                        "json",
                        png.toString(),
                        jpeg.toString(),
                        gray.toString());
        assertEquals(0, r.exitCode, r.err);
        JsonNode results = JSON.readTree(r.out);
        assertEquals(3, results.size());
        assertEquals(png.toString(), results.get(0).get("image").asText());
        assertEquals(jpeg.toString(), results.get(1).get("image").asText());
        for (JsonNode result : results) {
            checkTopK(result, 3);
        }
        assertTrue(r.err.contains("images resized to 32x32"), r.err);

        // the table, default k = 5
        CliRunner table =
                CliRunner.run("predict", "--checkpoint", run.dir.toString(), png.toString());
        assertEquals(0, table.exitCode, table.err);
        String[] lines = table.out.strip().split("\\R");
        assertEquals(6, lines.length, table.out);
        assertTrue(lines[0].matches("image\\s+rank\\s+label\\s+probability"), lines[0]);
        assertTrue(lines[1].startsWith(png + "  "), lines[1]);

        // k above the number of classes: every class, summing to 1
        CliRunner all =
                CliRunner.run(
                        "predict",
                        "--checkpoint",
                        run.dir.toString(),
                        "--top-k",
                        "20",
                        "--format",
                        "json",
                        jpeg.toString());
        assertEquals(0, all.exitCode, all.err);
        assertTrue(all.err.contains("--top-k 20 is more than the model's 10 classes"), all.err);
        JsonNode one = JSON.readTree(all.out).get(0);
        checkTopK(one, 10);
        double sum = 0;
        for (JsonNode e : one.get("predictions")) {
            sum += e.get("probability").asDouble();
        }
        assertEquals(1.0, sum, 1e-9);
    }

    @Test
    void predictionsOfTheValidationImagesAgreeWithEval() throws Exception {
        SampleRun run = SampleRun.get();
        ImageSet val = BundledSample.load().test();
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "predict",
                                "--checkpoint",
                                run.dir.toString(),
                                "--top-k",
                                "1",
                                "--batch-size",
                                "200",
                                "--format",
                                "json"));
        int plane = 32 * 32;
        for (int i = 0; i < val.size(); i++) {
            byte[] px = val.image(i);
            BufferedImage im = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
            for (int p = 0; p < plane; p++) {
                int rgb =
                        ((px[p] & 0xFF) << 16)
                                | ((px[plane + p] & 0xFF) << 8)
                                | (px[2 * plane + p] & 0xFF);
                im.setRGB(p % 32, p / 32, rgb);
            }
            Path f = tmp.resolve(String.format("val-%04d.png", i));
            ImageIO.write(im, "png", f.toFile());
            args.add(f.toString());
        }
        CliRunner p = CliRunner.run(args.toArray(new String[0]));
        assertEquals(0, p.exitCode, p.err);
        JsonNode predictions = JSON.readTree(p.out);
        CliRunner e = CliRunner.run("eval", "--checkpoint", run.dir.toString(), "--format", "json");
        assertEquals(0, e.exitCode, e.err);
        JsonNode cm = JSON.readTree(e.out).get("confusion_matrix");
        // predictions per (true class, predicted class) must be eval's confusion matrix: same
        // pixels (lossless PNG, and resizing 32x32 to 32x32 is the identity), same normalisation
        long[][] counts = new long[10][10];
        for (int i = 0; i < val.size(); i++) {
            JsonNode top = predictions.get(i).get("predictions").get(0);
            counts[val.label(i)][top.get("class_index").asInt()]++;
        }
        for (int t = 0; t < 10; t++) {
            for (int q = 0; q < 10; q++) {
                assertEquals(cm.get(t).get(q).asLong(), counts[t][q], "true " + t + " pred " + q);
            }
        }
    }

    @Test
    void badImagesAndArgumentsAreNamed() throws Exception {
        SampleRun run = SampleRun.get();
        Path good = image(tmp.resolve("good.png"), 10, 10, BufferedImage.TYPE_INT_RGB, 4);
        Path broken = Files.writeString(tmp.resolve("broken.png"), "not an image");
        byte[] before = Files.readAllBytes(run.dir.resolve("best.ckpt"));
        CliRunner r =
                CliRunner.run(
                        "predict",
                        "--checkpoint",
                        run.dir.toString(),
                        good.toString(),
                        broken.toString());
        assertEquals(2, r.exitCode);
        assertEquals("", r.out, "nothing printed for the good image either");
        assertTrue(
                r.err.contains(
                        "fourier4j predict: data error: "
                                + broken
                                + ": cannot be decoded as an image"),
                r.err);
        Path missing = tmp.resolve("missing.jpg");
        CliRunner m =
                CliRunner.run("predict", "--checkpoint", run.dir.toString(), missing.toString());
        assertEquals(2, m.exitCode);
        assertTrue(m.err.contains("image not found: " + missing + " does not exist"), m.err);
        CliRunner k =
                CliRunner.run(
                        "predict",
                        "--checkpoint",
                        run.dir.toString(),
                        "--top-k",
                        "0",
                        good.toString());
        assertEquals(2, k.exitCode);
        assertTrue(k.err.contains("--top-k must be at least 1, got 0"), k.err);
        CliRunner none = CliRunner.run("predict", "--checkpoint", run.dir.toString());
        assertEquals(2, none.exitCode);
        assertTrue(none.err.contains("IMAGE"), none.err);
        assertArrayEquals(before, Files.readAllBytes(run.dir.resolve("best.ckpt")));
    }

    @Test
    void aModelDirectoryGivesTheNumbersOfTheJavaApisPredictor() throws Exception {
        // a small ConvNeXt (the DJL path needs a model that separates its pre-logits) whose card
        // resizes to 40 and crops 32 (bicubic): predict must follow the card as the predictor does
        Path dir = tmp.resolve("model");
        ModelOptions options =
                ModelOptions.builder()
                        .numClasses(10)
                        .imageSize(32)
                        .override("depths", "1,1,1,1")
                        .override("dims", "8,16,24,32")
                        .build();
        try (NDManager manager = NDManager.newBaseManager()) {
            ImageClassifier model = ModelZoo.create("convnext-t", options);
            Engine.getInstance().setRandomSeed(3);
            model.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            Preprocessing pre =
                    new Preprocessing(
                            40,
                            32,
                            Preprocessing.Interpolation.BICUBIC,
                            new double[] {0.5, 0.4, 0.3},
                            new double[] {0.2, 0.25, 0.3});
            ModelCard card =
                    ModelCard.of(
                            "convnext-t",
                            options,
                            ModelCard.TRAINING,
                            pre,
                            BundledSample.load().train().classes(),
                            Map.of());
            ModelDirectory.write(dir, card, model);
        }
        List<Path> files =
                List.of(
                        image(tmp.resolve("a.png"), 57, 23, BufferedImage.TYPE_INT_RGB, 4),
                        image(tmp.resolve("b.jpg"), 41, 90, BufferedImage.TYPE_INT_RGB, 5),
                        image(tmp.resolve("c.png"), 64, 64, BufferedImage.TYPE_BYTE_GRAY, 6));
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "predict",
                                "--checkpoint",
                                dir.toString(),
                                "--top-k",
                                "10",
                                "--format",
                                "json"));
        files.forEach(f -> args.add(f.toString()));
        CliRunner r = CliRunner.run(args.toArray(new String[0]));
        assertEquals(0, r.exitCode, r.err);
        assertTrue(r.err.contains("images resized to 40 and cropped to 32x32"), r.err);
        JsonNode results = JSON.readTree(r.out);
        try (ZooModel<Image, Classifications> model = Fourier4jModels.classifier(dir);
                Predictor<Image, Classifications> predictor = model.newPredictor()) {
            for (int i = 0; i < files.size(); i++) {
                Classifications c =
                        predictor.predict(ImageFactory.getInstance().fromFile(files.get(i)));
                for (JsonNode e : results.get(i).get("predictions")) {
                    Classifications.Classification want = c.get(e.get("label").asText());
                    assertEquals(
                            want.getProbability(),
                            e.get("probability").asDouble(),
                            1e-6,
                            files.get(i) + " " + e.get("label"));
                }
            }
        }
    }

    @Test
    void aTrainingRunIsAModelDirectoryForTheJavaApiToo() throws Exception {
        SampleRun run = SampleRun.get();
        Path png = image(tmp.resolve("x.png"), 50, 37, BufferedImage.TYPE_INT_RGB, 9);
        CliRunner r =
                CliRunner.run(
                        "predict",
                        "--checkpoint",
                        run.dir.toString(),
                        "--top-k",
                        "10",
                        "--format",
                        "json",
                        png.toString());
        assertEquals(0, r.exitCode, r.err);
        JsonNode predictions = JSON.readTree(r.out).get(0).get("predictions");
        try (ZooModel<Image, Classifications> model = Fourier4jModels.classifier(run.dir);
                Predictor<Image, Classifications> predictor = model.newPredictor()) {
            Classifications c = predictor.predict(ImageFactory.getInstance().fromFile(png));
            for (JsonNode e : predictions) {
                assertEquals(
                        c.get(e.get("label").asText()).getProbability(),
                        e.get("probability").asDouble(),
                        1e-6,
                        e.toString());
            }
        }
    }
}
