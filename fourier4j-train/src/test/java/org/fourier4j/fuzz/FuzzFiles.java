package org.fourier4j.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The fuzz tests' scratch directory: each input is written to a fresh file there, the reader under
 * test reads it, and afterwards the directory must hold that file alone (a reader writes nothing:
 * no unpacked archive, no image cache, no repaired file).
 */
final class FuzzFiles {

    private static final Path DIR;

    static {
        try {
            DIR = Files.createTempDirectory("fourier4j-fuzz-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        DIR.toFile().deleteOnExit();
    }

    private FuzzFiles() {}

    /**
     * @return the scratch directory (empty but for the current input)
     */
    static Path dir() {
        return DIR;
    }

    /**
     * Empties the scratch directory and writes one input file.
     *
     * @param name the file name (readers choose the format by it)
     * @param data the bytes
     * @return the file
     */
    static Path write(String name, byte[] data) {
        try {
            clear();
            Path f = DIR.resolve(name);
            Files.write(f, data);
            f.toFile().deleteOnExit();
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Checks that the scratch directory still holds the input and nothing else, unchanged in size.
     *
     * @param input the input file
     * @param size its length
     */
    static void assertNothingWritten(Path input, long size) {
        try (Stream<Path> s = Files.list(DIR)) {
            List<Path> files = s.toList();
            assertEquals(List.of(input), files, "the reader wrote files beside its input");
            assertEquals(size, Files.size(input), "the reader changed its input");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Checks the message of a documented error: one that names the input file.
     *
     * @param e the error
     * @param input the file
     */
    static void assertNamesFile(RuntimeException e, Path input) {
        String m = e.getMessage();
        assertTrue(
                m != null && m.contains(input.getFileName().toString()),
                "the error does not name the file: " + m);
    }

    private static void clear() throws IOException {
        try (Stream<Path> s = Files.walk(DIR)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                if (!p.equals(DIR)) {
                    Files.delete(p);
                }
            }
        }
    }
}
