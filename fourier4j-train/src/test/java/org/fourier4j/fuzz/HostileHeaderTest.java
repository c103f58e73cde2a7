package org.fourier4j.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import java.util.zip.CRC32;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipEncodingHelper;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.fourier4j.data.CifarReader;
import org.fourier4j.data.DataException;
import org.fourier4j.data.ImageFolderReader;
import org.fourier4j.train.ConfigException;
import org.fourier4j.train.HostTensor;
import org.fourier4j.train.TrainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files whose headers claim far more than they hold: each reader refuses them with its documented
 * error, and allocates no more than a few megabytes on the way (measured with the JVM's per-thread
 * allocation counter), so a claim of 10^12 elements costs nothing.
 */
class HostileHeaderTest {

    private static final long FEW_MB = 32L << 20;

    @TempDir Path tmp;

    /** Runs the reader, expecting its error, and returns the bytes the thread allocated. */
    private static <E extends Throwable> long allocatedRefusing(Class<E> error, Runnable read) {
        com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(id);
        assertThrows(error, read::run);
        return mx.getThreadAllocatedBytes(id) - before;
    }

    private static byte[] tensorFile(String type, long[] dims, long bytes, int present)
            throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        out.writeInt(0x46344A54);
        out.writeInt(1);
        out.writeInt(1);
        out.writeUTF("w");
        out.writeUTF(type);
        out.writeInt(dims.length);
        for (long d : dims) {
            out.writeLong(d);
        }
        out.writeLong(bytes);
        out.write(new byte[present]);
        return b.toByteArray();
    }

    private static Supplier<IOException> readTensors(byte[] file) {
        return () -> {
            try {
                HostTensor.read(new DataInputStream(new ByteArrayInputStream(file)), "params.bin");
                return null;
            } catch (IOException e) {
                return e;
            }
        };
    }

    @Test
    void tensorClaimingATrillionElementsIsRefusedWithoutAllocating() throws IOException {
        byte[] trillion = tensorFile("FLOAT32", new long[] {1_000_000, 1_000_000}, 4L << 40, 16);
        IOException e = readTensors(trillion).get();
        assertTrue(e.getMessage().contains("params.bin: tensor w has"), e.getMessage());
        // within the Java array limit, but the stream holds 16 of the 2e9 bytes
        byte[] twoGb = tensorFile("FLOAT32", new long[] {500_000_000}, 2_000_000_000L, 16);
        long allocated =
                allocatedRefusing(
                        RuntimeException.class,
                        () -> {
                            IOException x = readTensors(twoGb).get();
                            throw new IllegalStateException(x.getMessage());
                        });
        assertTrue(allocated < FEW_MB, "allocated " + allocated + " bytes");
        assertTrue(readTensors(twoGb).get().getMessage().contains("is truncated"));
    }

    @Test
    void tensorWithANegativeDimensionOrAByteLessTypeIsAMalformedFile() throws IOException {
        String negative =
                readTensors(tensorFile("FLOAT32", new long[] {-2, 3}, 24, 24)).get().getMessage();
        assertEquals("params.bin: tensor w has a negative dimension -2", negative);
        String string = readTensors(tensorFile("STRING", new long[] {4}, -4, 0)).get().getMessage();
        assertEquals("params.bin: tensor w has data type string", string);
    }

    @Test
    void cifarArchiveEntryClaimingTwoBillionRecordsIsRefusedWithoutAllocating() throws IOException {
        long records = 2_000_000_000L;
        TarArchiveEntry e = new TarArchiveEntry("cifar-10-batches-bin/data_batch_1.bin");
        e.setSize(records * 3073);
        byte[] header = new byte[512];
        e.writeEntryHeader(header, ZipEncodingHelper.getZipEncoding("UTF-8"), true); // base-256
        Path archive = tmp.resolve("cifar-10-binary.tar.gz");
        try (GzipCompressorOutputStream gz =
                new GzipCompressorOutputStream(Files.newOutputStream(archive))) {
            gz.write(header);
            gz.write(new byte[3073]); // one record of the two billion
        }
        long allocated = allocatedRefusing(DataException.class, () -> CifarReader.read(archive));
        assertTrue(allocated < FEW_MB, "allocated " + allocated + " bytes");
        DataException x = assertThrows(DataException.class, () -> CifarReader.read(archive));
        assertTrue(
                x.getMessage().startsWith(archive + ": corrupt or truncated .tar.gz archive"),
                x.getMessage());
    }

    @Test
    void cifarArchiveClassNamesEntryIsBounded() throws IOException {
        TarArchiveEntry e = new TarArchiveEntry("batches.meta.txt");
        e.setSize(1L << 40);
        byte[] header = new byte[512];
        e.writeEntryHeader(header, ZipEncodingHelper.getZipEncoding("UTF-8"), true);
        Path archive = tmp.resolve("c.tar.gz");
        try (GzipCompressorOutputStream gz =
                new GzipCompressorOutputStream(Files.newOutputStream(archive))) {
            gz.write(header);
            gz.write("cat\n".getBytes(StandardCharsets.UTF_8));
        }
        DataException x = assertThrows(DataException.class, () -> CifarReader.read(archive));
        assertTrue(x.getMessage().contains("too large for a class-names file"), x.getMessage());
    }

    @Test
    void cifarBatchNumberBeyondAnIntIsNotABatchFile() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("c10"));
        Files.write(dir.resolve("data_batch_99999999999.bin"), new byte[3073]);
        DataException x = assertThrows(DataException.class, () -> CifarReader.read(dir));
        assertTrue(x.getMessage().contains("no CIFAR batch files"), x.getMessage());
    }

    /** A PNG signature and an IHDR chunk (RGB, 8 bits) announcing the size, then IEND. */
    private static byte[] pngHeader(int width, int height) {
        ByteBuffer b = ByteBuffer.allocate(8 + 25 + 12);
        b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(17);
        ihdr.put("IHDR".getBytes(StandardCharsets.US_ASCII));
        ihdr.putInt(width).putInt(height).put((byte) 8).put((byte) 2).put(new byte[3]);
        chunk(b, ihdr.array());
        chunk(b, "IEND".getBytes(StandardCharsets.US_ASCII));
        return b.array();
    }

    private static void chunk(ByteBuffer b, byte[] typeAndData) {
        CRC32 crc = new CRC32();
        crc.update(typeAndData);
        b.putInt(typeAndData.length - 4).put(typeAndData).putInt((int) crc.getValue());
    }

    @Test
    void pngClaimingTenGigapixelsIsRefusedBeforeDecoding() throws IOException {
        Path png = tmp.resolve("huge.png");
        Files.write(png, pngHeader(100_000, 100_000));
        long allocated =
                allocatedRefusing(DataException.class, () -> ImageFolderReader.decode(png, 8, 8));
        assertTrue(allocated < FEW_MB, "allocated " + allocated + " bytes");
        DataException x =
                assertThrows(DataException.class, () -> ImageFolderReader.decode(png, 8, 8));
        assertTrue(
                x.getMessage().contains("100000 x 100000 pixels")
                        && x.getMessage().contains("limit of 50000000"),
                x.getMessage());
    }

    /** A real 8x8 baseline JPEG whose frame header (SOF0) is patched to announce the size. */
    private static byte[] jpegClaiming(int width, int height) throws IOException {
        java.awt.image.BufferedImage img =
                new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        javax.imageio.ImageIO.write(img, "jpg", out);
        byte[] b = out.toByteArray();
        for (int i = 2; i + 8 < b.length; i++) {
            if ((b[i] & 0xFF) == 0xFF && (b[i + 1] & 0xFF) == 0xC0) {
                ByteBuffer.wrap(b, i + 5, 4).putShort((short) height).putShort((short) width);
                return b;
            }
        }
        throw new IllegalStateException("no SOF0 marker");
    }

    @Test
    void jpegClaimingFourGigapixelsIsRefusedBeforeDecoding() throws IOException {
        Path jpg = tmp.resolve("huge.jpg");
        Files.write(jpg, jpegClaiming(65_000, 65_000));
        long allocated =
                allocatedRefusing(DataException.class, () -> ImageFolderReader.decode(jpg, 8, 8));
        assertTrue(allocated < FEW_MB, "allocated " + allocated + " bytes");
        DataException x =
                assertThrows(DataException.class, () -> ImageFolderReader.decode(jpg, 8, 8));
        assertTrue(x.getMessage().contains("65000 x 65000 pixels (JPEG header)"), x.getMessage());
    }

    @Test
    void imageOfAnotherFormatUnderAPngNameIsRefused() throws IOException {
        Path gif = tmp.resolve("photo.png");
        java.awt.image.BufferedImage img =
                new java.awt.image.BufferedImage(4, 4, java.awt.image.BufferedImage.TYPE_INT_RGB);
        javax.imageio.ImageIO.write(img, "gif", gif.toFile());
        DataException x =
                assertThrows(DataException.class, () -> ImageFolderReader.decode(gif, 4, 4));
        assertTrue(x.getMessage().contains("not a readable JPEG or PNG"), x.getMessage());
    }

    @Test
    void yamlAliasBombAndDeepNestingAreRefusedQuickly() throws IOException {
        StringBuilder laughs = new StringBuilder("a0: &a0 [lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i < 12; i++) {
            laughs.append(
                    String.format(
                            "a%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d]%n",
                            i, i, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1));
        }
        Path bomb = tmp.resolve("bomb.yaml");
        Files.writeString(bomb, laughs);
        long allocated = allocatedRefusing(ConfigException.class, () -> TrainConfig.load(bomb));
        assertTrue(allocated < FEW_MB, "allocated " + allocated + " bytes");

        Path deep = tmp.resolve("deep.yaml");
        Files.writeString(deep, "epochs: " + "[".repeat(5000) + "]".repeat(5000) + "\n");
        ConfigException x = assertThrows(ConfigException.class, () -> TrainConfig.load(deep));
        assertTrue(x.getMessage().contains("deep.yaml"), x.getMessage());

        Path deepJson = tmp.resolve("deep.json");
        Files.writeString(deepJson, "{\"epochs\": " + "[".repeat(5000) + "]".repeat(5000) + "}");
        x = assertThrows(ConfigException.class, () -> TrainConfig.load(deepJson));
        assertTrue(x.getMessage().contains("deep.json"), x.getMessage());
    }

    @Test
    void configFileOverAMegabyteIsRefusedUnread() throws IOException {
        Path big = tmp.resolve("big.yaml");
        Files.writeString(big, "# " + "x".repeat((int) TrainConfig.MAX_FILE_BYTES) + "\n");
        ConfigException x = assertThrows(ConfigException.class, () -> TrainConfig.load(big));
        assertEquals(
                "config file "
                        + big
                        + " has "
                        + Files.size(big)
                        + " bytes; a configuration is"
                        + " at most 1048576",
                x.getMessage());
    }
}
