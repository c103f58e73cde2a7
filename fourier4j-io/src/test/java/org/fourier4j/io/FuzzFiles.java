package org.fourier4j.io;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the fuzz tests share: a scratch file and the checks made on whatever was read. */
final class FuzzFiles {
    private FuzzFiles() {}

    /** A scratch file for the fuzzer's bytes, in memory where /dev/shm exists. */
    static Path scratch(String suffix) {
        try {
            Path shm = Path.of("/dev/shm");
            Path file =
                    Files.isDirectory(shm) && Files.isWritable(shm)
                            ? Files.createTempFile(shm, "fourier4j-fuzz", suffix)
                            : Files.createTempFile("fourier4j-fuzz", suffix);
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads every tensor of a state dict that opened: no tensor may need more bytes than the file
     * has (so no read allocates more than the file's size), and reading may fail only with a
     * WeightFileException.
     */
    static void readEveryTensor(StateDict sd, long fileSize) throws IOException {
        for (TensorData t : sd.values()) {
            assertTrue(
                    t.byteSize() <= fileSize,
                    t + " needs " + t.byteSize() + " bytes from a file of " + fileSize);
            t.contiguousBytes();
            t.toDoubles();
        }
    }
}
