package org.fourier4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A safetensors file over 2 GB, made sparse (a 2.2e9-element U8 tensor of zeros that occupies no
 * disk, then a small F32 tensor past byte 2^31): the small tensor is read at its long offset and
 * the big one is never read. Skipped where the file system cannot make sparse files.
 */
class LargeFileTest {
    private static final long BIG = 2_200_000_000L;

    @Test
    void aTensorPastTwoGigabytesIsReadByItsLongOffset(@TempDir Path dir) throws IOException {
        String json =
                "{\"big\":{\"dtype\":\"U8\",\"shape\":["
                        + BIG
                        + "],\"data_offsets\":[0,"
                        + BIG
                        + "]},\"small\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":["
                        + BIG
                        + ","
                        + (BIG + 16)
                        + "]}}";
        byte[] header =
                (json + " ".repeat((8 - json.length() % 8) % 8)).getBytes(StandardCharsets.UTF_8);
        float[] small = {1.5f, -2.25f, 1e-30f, 65504f};
        Path file = dir.resolve("sparse.safetensors");
        long freeBefore = Files.getFileStore(dir).getUsableSpace();
        try (FileChannel channel =
                FileChannel.open(
                        file,
                        StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE,
                        StandardOpenOption.SPARSE)) {
            ByteBuffer head = ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN);
            head.putLong(header.length).put(header).flip();
            channel.write(head, 0);
            ByteBuffer data = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            for (float f : small) {
                data.putFloat(f);
            }
            data.flip();
            channel.write(data, 8 + header.length + BIG);
        }
        try {
            long used = freeBefore - Files.getFileStore(dir).getUsableSpace();
            assumeTrue(used < (256L << 20), "the file system wrote " + used + " bytes: not sparse");
            assertEquals(8 + header.length + BIG + 16, Files.size(file));
            try (StateDict sd = Safetensors.read(file)) {
                assertArrayEquals(small, sd.get("small").toFloats());
                TensorData big = sd.get("big");
                assertEquals(BIG, big.numel());
                assertEquals(
                        "sparse.safetensors: tensor 'big' has 2200000000 bytes, more than one"
                                + " buffer holds (2147483639)",
                        assertThrows(WeightFileException.class, big::contiguousBytes).getMessage());
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
