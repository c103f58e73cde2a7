package org.fourier4j.spark;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.fourier4j.data.BundledSample;
import org.fourier4j.data.ChannelStats;
import org.fourier4j.data.ImageSet;
import org.fourier4j.inference.ModelCard;
import org.fourier4j.inference.ModelDirectory;
import org.fourier4j.inference.Preprocessing;
import org.fourier4j.models.ImageClassifier;
import org.fourier4j.models.ModelOptions;
import org.fourier4j.models.ModelZoo;
import org.fourier4j.nn.ParameterNames;

/** Test data: a small model directory and the bundled CIFAR-10 sample's images as PNG files. */
final class TestImages {

    private TestImages() {}

    /**
     * Writes a small freshly initialised ConvNeXt (fixed seed, head weights scaled up) for 32x32
     * CIFAR-10 images, with the sample's class names and statistics, as a model directory.
     */
    static Path model(Path dir) {
        ImageSet val = BundledSample.load().test();
        ChannelStats stats = BundledSample.stats();
        ModelOptions options =
                ModelOptions.builder()
                        .numClasses(val.numClasses())
                        .imageSize(32)
                        .inChannels(3)
                        .override("depths", "1,1,1,1")
                        .override("dims", "8,16,16,32")
                        .build();
        ImageClassifier net = ModelZoo.create("convnext-t", options);
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(20240601);
            net.initialize(m, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            // a fresh head gives nearly uniform probabilities; scaled up, each image has a clear
            // top class, so comparing top-1 labels between two predictors means something
            int scaled = 0;
            for (Map.Entry<String, Parameter> e : ParameterNames.of(net).entrySet()) {
                if (e.getKey().startsWith("head") && e.getKey().endsWith("weight")) {
                    e.getValue().getArray().muli(50);
                    scaled++;
                }
            }
            if (scaled == 0) {
                throw new IllegalStateException(
                        "no head weight in " + ParameterNames.of(net).keySet());
            }
            ModelCard card =
                    ModelCard.of(
                            "convnext-t",
                            options,
                            ModelCard.TRAINING,
                            Preprocessing.trained(32, stats.mean(), stats.std()),
                            val.classes(),
                            Map.of("test", "fresh weights"));
            ModelDirectory.write(dir, card, net);
        }
        return dir;
    }

    /**
     * Writes the first {@code n} validation images of the bundled sample as PNG files.
     *
     * @return the files, in order
     */
    static List<Path> cifarPngs(Path dir, int n) throws IOException {
        Files.createDirectories(dir);
        ImageSet val = BundledSample.load().test();
        List<Path> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] chw = val.image(i);
            int h = val.height();
            int w = val.width();
            BufferedImage im = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int p = y * w + x;
                    int r = chw[p] & 0xFF;
                    int g = chw[h * w + p] & 0xFF;
                    int b = chw[2 * h * w + p] & 0xFF;
                    im.setRGB(x, y, (r << 16) | (g << 8) | b);
                }
            }
            Path f =
                    dir.resolve(
                            String.format("cifar-%03d-%s.png", i, val.classes().get(val.label(i))));
            ImageIO.write(im, "png", f.toFile());
            out.add(f);
        }
        return out;
    }

    /** Writes a file that no image reader decodes. */
    static Path undecodable(Path file) throws IOException {
        byte[] junk = new byte[300];
        new Random(3).nextBytes(junk);
        Files.write(file, junk);
        return file;
    }
}
