package org.fourier4j.fuzz;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.imageio.ImageIO;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.fourier4j.train.TestData;
import org.fourier4j.train.TinyModels;
import org.fourier4j.train.TrainConfig;
import org.fourier4j.train.TrainingRun;

/**
 * Writes the fuzz tests' seed inputs (kept in {@code src/test/resources/org/fourier4j/fuzz}): small
 * real files of every format. Run once from the module directory with {@code java -cp <test class
 * path> org.fourier4j.fuzz.FuzzSeeds <cifar-10-batches-bin> <configs>}; the seeds are committed, so
 * the build does not need it.
 */
public final class FuzzSeeds {

    private static final Path ROOT = Path.of("src/test/resources/org/fourier4j/fuzz");

    private FuzzSeeds() {}

    /**
     * @param args the real CIFAR-10 batch directory, the project's {@code configs} directory
     * @throws IOException on a write error
     */
    public static void main(String[] args) throws IOException {
        Path cifar = Path.of(args[0]);
        Path configs = Path.of(args[1]);
        byte[] records = new byte[3 * 3073];
        try (InputStream in = Files.newInputStream(cifar.resolve("data_batch_1.bin"))) {
            in.readNBytes(records, 0, records.length);
        }
        byte[] meta = Files.readAllBytes(cifar.resolve("batches.meta.txt"));
        seed("CifarFuzzTest", "batchFile", "three-records.bin", records);
        seed("CifarFuzzTest", "tarGz", "three-records.tar.gz", tarGz(records, meta));

        seed("ImageFuzzTest", "imageFile", "rgb.png", image("png", BufferedImage.TYPE_INT_RGB));
        seed("ImageFuzzTest", "imageFile", "rgba.png", image("png", BufferedImage.TYPE_INT_ARGB));
        seed("ImageFuzzTest", "imageFile", "grey.png", image("png", BufferedImage.TYPE_BYTE_GRAY));
        seed("ImageFuzzTest", "imageFile", "rgb.jpg", image("jpg", BufferedImage.TYPE_INT_RGB));
        seed("ImageFuzzTest", "imageFile", "grey.jpg", image("jpg", BufferedImage.TYPE_BYTE_GRAY));

        try (var s = Files.list(configs)) {
            for (Path c : s.sorted().toList()) {
                seed("ConfigFuzzTest", "yaml", c.getFileName().toString(), Files.readAllBytes(c));
                String json = TrainConfig.load(c).toJson();
                seed(
                        "ConfigFuzzTest",
                        "json",
                        c.getFileName().toString().replace(".yaml", ".json"),
                        json.getBytes(StandardCharsets.UTF_8));
            }
        }
        seed(
                "ConfigFuzzTest",
                "yaml",
                "lists-and-nulls.yaml",
                "model: vit\nembed_dim: 32\nno_decay_keywords: [bias, norm]\nrun_name: null\n"
                        .getBytes(StandardCharsets.UTF_8));

        Path tmp = Files.createTempDirectory("fuzz-seeds");
        Map<String, Object> m = new HashMap<>();
        m.put("save_dir", tmp.toString());
        m.put("run_name", "tiny");
        m.put("epochs", 1);
        m.put("batch_size", 4);
        m.put("optimizer", "adamw");
        m.put("ema_decay", 0.9);
        m.put("progress", false);
        TrainingRun.start(
                        TrainConfig.defaults().with(m, "(seed)"),
                        TinyModels.mlpFactory(3, 2, 2),
                        TestData.bandsData(8, 4, 2, 2))
                .run();
        Path ckpt = tmp.resolve("tiny/last.ckpt");
        seed("CheckpointFuzzTest", "checkpointZip", "tiny-mlp.ckpt", Files.readAllBytes(ckpt));
        try (ZipFile zip = new ZipFile(ckpt.toFile())) {
            for (String entry : new String[] {"params.bin", "optimizer.bin", "ema.bin"}) {
                ZipEntry e = zip.getEntry(entry);
                try (InputStream in = zip.getInputStream(e)) {
                    seed("CheckpointFuzzTest", "tensorFile", entry, in.readAllBytes());
                }
            }
        }
    }

    private static void seed(String test, String method, String name, byte[] data)
            throws IOException {
        Path dir = ROOT.resolve(test + "Inputs").resolve(method);
        Files.createDirectories(dir);
        Files.write(dir.resolve(name), data);
    }

    private static byte[] tarGz(byte[] records, byte[] meta) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar =
                new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
            add(tar, "cifar-10-batches-bin/batches.meta.txt", meta);
            add(tar, "cifar-10-batches-bin/data_batch_1.bin", records);
        }
        return bytes.toByteArray();
    }

    private static void add(TarArchiveOutputStream tar, String name, byte[] data)
            throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(data.length);
        tar.putArchiveEntry(e);
        tar.write(data);
        tar.closeArchiveEntry();
    }

    private static byte[] image(String format, int type) throws IOException {
        BufferedImage img = new BufferedImage(6, 5, type);
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 6; x++) {
                img.setRGB(x, y, new Color(40 * x, 50 * y, 120, 60 + 30 * x).getRGB());
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(img, format, out)) {
            throw new IOException("no " + format + " writer");
        }
        return out.toByteArray();
    }
}
