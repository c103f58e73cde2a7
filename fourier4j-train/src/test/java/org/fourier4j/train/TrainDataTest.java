package org.fourier4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.fourier4j.data.BundledSample;
import org.fourier4j.data.CifarReader;
import org.fourier4j.data.DataException;
import org.fourier4j.data.ImageSet;
import org.fourier4j.data.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainDataTest {

    @TempDir Path tmp;

    private static final Shape CIFAR = new Shape(3, 32, 32);

    private static TrainConfig cfg(String... kv) {
        TrainConfig c = TrainConfig.defaults();
        for (int i = 0; i < kv.length; i += 2) {
            c = c.override(kv[i], kv[i + 1]);
        }
        return c;
    }

    private Path cifarDir(int train, int test) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("cifar"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CifarReader.writeCifar10(out, TestData.bands(train, 10, 32, 3));
        Files.write(dir.resolve("data_batch_1.bin"), out.toByteArray());
        if (test > 0) {
            out.reset();
            CifarReader.writeCifar10(out, TestData.bands(test, 10, 32, 4));
            Files.write(dir.resolve("test_batch.bin"), out.toByteArray());
        }
        return dir;
    }

    @Test
    void bundledSampleIsTheDefault() {
        TrainData d = TrainData.load(TrainConfig.defaults(), CIFAR);
        assertEquals(4000, d.train().size());
        assertEquals(1000, d.val().size());
        assertEquals(BundledSample.stats(), d.stats());
        assertTrue(d.splitRule().contains("bundled sample"));
        TrainData none = TrainData.load(cfg("val_split", "none"), CIFAR);
        assertNull(none.val());
        // the sample's test_batch.bin is its validation part, never reported as a test set
        DataException test =
                assertThrows(
                        DataException.class, () -> TrainData.load(cfg("val_split", "test"), CIFAR));
        assertTrue(
                test.getMessage().startsWith("val_split test: the bundled sample has no test set"),
                test.getMessage());
        TrainData tail = TrainData.load(cfg("val_split", "tail:500"), CIFAR);
        assertEquals(3500, tail.train().size());
        assertEquals(500, tail.val().size());
    }

    @Test
    void cifarDirectorySplits() throws IOException {
        Path dir = cifarDir(200, 30);
        TrainData auto = TrainData.load(cfg("dataset_path", dir.toString()), CIFAR);
        int expectVal = 0;
        for (int count : CifarReader.read(dir).train().classCounts()) {
            expectVal += (int) Math.round(0.1 * count);
        }
        assertEquals(200 - expectVal, auto.train().size(), "small set: stratified 10% per class");
        assertEquals(expectVal, auto.val().size());
        TrainData tail =
                TrainData.load(cfg("dataset_path", dir.toString(), "val_split", "tail:50"), CIFAR);
        assertEquals(150, tail.train().size());
        assertArrayEquals(CifarReader.read(dir).train().image(150), tail.val().image(0));
        TrainData test =
                TrainData.load(cfg("dataset_path", dir.toString(), "val_split", "test"), CIFAR);
        assertEquals(200, test.train().size());
        assertEquals(30, test.val().size());
    }

    @Test
    void imageFolderIsResizedToTheModelInput() throws IOException {
        Path root = tmp.resolve("folder");
        for (String cls : List.of("a", "b")) {
            Files.createDirectories(root.resolve(cls));
            for (int i = 0; i < 10; i++) {
                BufferedImage img = new BufferedImage(20, 10, BufferedImage.TYPE_INT_RGB);
                img.setRGB(3, 3, cls.equals("a") ? 0xFFFFFF : 0x101010);
                ImageIO.write(img, "png", root.resolve(cls + "/" + i + ".png").toFile());
            }
        }
        TrainData d =
                TrainData.load(
                        cfg("dataset_path", root.toString(), "val_split", "fraction:0.2"),
                        new Shape(3, 6, 6));
        assertEquals(16, d.train().size());
        assertEquals(4, d.val().size());
        assertEquals(6, d.train().height());
        assertEquals(List.of("a", "b"), d.train().classes());
        TrainData withVal =
                TrainData.load(
                        cfg(
                                "dataset_path",
                                root.toString(),
                                "val_path",
                                root.resolve("a").getParent().toString()),
                        new Shape(3, 6, 6));
        assertEquals(20, withVal.val().size());
    }

    @Test
    void badDataSettings() throws IOException {
        Path missing = tmp.resolve("nowhere");
        assertEquals(
                "dataset_path " + missing + " does not exist",
                assertThrows(
                                DataException.class,
                                () ->
                                        TrainData.load(
                                                cfg("dataset_path", missing.toString()), CIFAR))
                        .getMessage());
        Path dir = cifarDir(100, 0);
        assertEquals(
                "val_split test: " + dir + " has no test batch (test_batch.bin or test.bin)",
                assertThrows(
                                DataException.class,
                                () ->
                                        TrainData.load(
                                                cfg(
                                                        "dataset_path",
                                                        dir.toString(),
                                                        "val_split",
                                                        "test"),
                                                CIFAR))
                        .getMessage());
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertTrue(
                assertThrows(
                                DataException.class,
                                () -> TrainData.load(cfg("dataset_path", empty.toString()), CIFAR))
                        .getMessage()
                        .startsWith("dataset_path " + empty + " is neither CIFAR data"));
        assertEquals(
                "normalize_mean and normalize_std need 3 values (one per channel), got 1 and 1",
                assertThrows(
                                ConfigException.class,
                                () ->
                                        TrainData.load(
                                                cfg(
                                                        "normalize_mean",
                                                        "0.5",
                                                        "normalize_std",
                                                        "0.2"),
                                                CIFAR))
                        .getMessage());
        assertEquals(
                "normalize_mean and normalize_std must be set together",
                assertThrows(
                                ConfigException.class,
                                () -> TrainData.load(cfg("normalize_mean", "0.5,0.5,0.5"), CIFAR))
                        .getMessage());
    }

    @Test
    void sharedSetSplitsIntoTheDocumented45000And5000() {
        Path shared = SharedData.cifar10OrSkip();
        TrainData d = TrainData.load(cfg("dataset_path", shared.toString()), CIFAR);
        assertEquals(45_000, d.train().size());
        assertEquals(5_000, d.val().size());
        assertTrue(d.splitRule().startsWith("last 5000 of 50000 images"), d.splitRule());
        ImageSet b5 = CifarReader.read(shared.resolve("data_batch_5.bin")).train();
        assertArrayEquals(b5.image(5000), d.val().image(0));
        // normalisation from the training split only; close to the usual CIFAR-10 values
        assertEquals(0.4914, d.stats().mean()[0], 0.01);
        assertEquals(0.2470, d.stats().std()[0], 0.01);
    }
}
