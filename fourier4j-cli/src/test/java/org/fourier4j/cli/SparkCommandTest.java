package org.fourier4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.fourier4j.inference.ModelCard;
import org.fourier4j.inference.ModelDirectory;
import org.fourier4j.inference.Preprocessing;
import org.fourier4j.models.ImageClassifier;
import org.fourier4j.models.ModelOptions;
import org.fourier4j.models.ModelZoo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fourier4j spark predict} and {@code bench spark} through the command line. */
class SparkCommandTest {

    @TempDir Path tmp;

    @Test
    void theGroupsListTheirCommands() {
        CliRunner spark = CliRunner.run("spark", "--help");
        assertEquals(0, spark.exitCode);
        assertTrue(spark.out.contains("predict"), spark.out);
        CliRunner bench = CliRunner.run("bench", "--help");
        assertTrue(bench.out.contains("spark"), bench.out);
    }

    @Test
    void predictsOnLocalSparkAndCountsTheFailures() throws Exception {
        Path model = tmp.resolve("model");
        ModelOptions options =
                ModelOptions.builder()
                        .numClasses(3)
                        .imageSize(32)
                        .inChannels(3)
                        .override("depths", "1,1,1,1")
                        .override("dims", "8,8,8,8")
                        .build();
        ImageClassifier net = ModelZoo.create("convnext-t", options);
        try (NDManager m = NDManager.newBaseManager()) {
            net.initialize(m, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            ModelDirectory.write(
                    model,
                    ModelCard.of(
                            "convnext-t",
                            options,
                            ModelCard.TRAINING,
                            Preprocessing.trained(
                                    32,
                                    new double[] {0.5, 0.5, 0.5},
                                    new double[] {0.25, 0.25, 0.25}),
                            List.of("a", "b", "c"),
                            Map.of()),
                    net);
        }
        Path images = Files.createDirectories(tmp.resolve("images"));
        Random r = new Random(1);
        for (int i = 0; i < 3; i++) {
            BufferedImage im = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 30; y++) {
                for (int x = 0; x < 40; x++) {
                    im.setRGB(x, y, r.nextInt(1 << 24));
                }
            }
            ImageIO.write(im, "png", images.resolve("im" + i + ".png").toFile());
        }
        Files.writeString(images.resolve("readme.txt"), "not an image");
        Path out = tmp.resolve("out");
        CliRunner run =
                CliRunner.run(
                        "spark",
                        "predict",
                        "--checkpoint",
                        model.toString(),
                        "--images",
                        images.toString(),
                        "--out",
                        out.toString(),
                        "--master",
                        "local[1]",
                        "--top-k",
                        "2");
        assertEquals(0, run.exitCode, run.err);
        assertTrue(run.out.contains("read 4, predicted 3, failed 1"), run.out);
        assertTrue(run.err.contains("1 image(s) could not be predicted"), run.err);
        try (var files = Files.list(out)) {
            assertTrue(files.anyMatch(f -> f.getFileName().toString().endsWith(".csv")));
        }
    }

    @Test
    void badInputIsOneLineNamedForTheSubcommand() {
        CliRunner run =
                CliRunner.run(
                        "spark",
                        "predict",
                        "--checkpoint",
                        tmp.toString(),
                        "--images",
                        tmp.toString(),
                        "--out",
                        tmp.resolve("o").toString(),
                        "--embed");
        assertEquals(2, run.exitCode, run.err);
        assertTrue(
                run.err.strip().startsWith("fourier4j spark predict: --embed writes an array"),
                run.err);
        CliRunner bench =
                CliRunner.run(
                        "bench",
                        "spark",
                        "--checkpoint",
                        tmp.toString(),
                        "--images",
                        tmp.toString());
        assertEquals(2, bench.exitCode, bench.err);
        assertTrue(bench.err.strip().startsWith("fourier4j bench spark: --checkpoint "), bench.err);
        assertTrue(bench.err.contains("is not a model directory"), bench.err);
    }
}
