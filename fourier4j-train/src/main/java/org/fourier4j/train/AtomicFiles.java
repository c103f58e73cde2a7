package org.fourier4j.train;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

/**
 * Crash-safe file replacement: content is written to a temporary file in the same directory,
 * flushed and forced to disk, then renamed over the target in one atomic step, and the directory
 * entry is forced too. A crash or an exception at any point leaves either the old file or the new
 * one, never a mixture; an exception also removes the temporary file. A crash (kill -9, power loss)
 * may leave a temporary file named {@code .<target>.<random>.tmp}, which {@link
 * #deleteStaleTemporaries} removes.
 */
public final class AtomicFiles {

    /** Writes content to a stream. */
    @FunctionalInterface
    public interface Content {
        /**
         * @param out the stream (closing it is allowed and harmless)
         * @throws IOException on a write error
         */
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFiles() {}

    /**
     * Atomically replaces (or creates) {@code target} with the content.
     *
     * @param target the file
     * @param content the writer
     * @throws IOException if writing fails; {@code target} is then unchanged
     */
    public static void write(Path target, Content content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        boolean done = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                OutputStream os = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
                content.writeTo(
                        new FilterOutputStream(os) {
                            @Override
                            public void write(byte[] b, int off, int len) throws IOException {
                                out.write(b, off, len);
                            }

                            @Override
                            public void close() throws IOException {
                                flush();
                            }
                        });
                os.flush();
                ch.force(true);
            }
            Files.move(
                    tmp,
                    target,
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
        forceDirectory(dir);
    }

    /**
     * Atomically replaces (or creates) {@code target} with a copy of {@code source}.
     *
     * @param source the file to copy
     * @param target the file to replace
     * @throws IOException on an error; {@code target} is then unchanged
     */
    public static void copy(Path source, Path target) throws IOException {
        write(
                target,
                out -> {
                    try (InputStream in = Files.newInputStream(source)) {
                        in.transferTo(out);
                    }
                });
    }

    /**
     * Atomically replaces (or creates) a text file.
     *
     * @param target the file
     * @param text its content (UTF-8)
     * @throws IOException on an error; {@code target} is then unchanged
     */
    public static void writeString(Path target, String text) throws IOException {
        write(target, out -> out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /**
     * Removes temporary files a crash left in a directory.
     *
     * @param dir the directory
     * @return how many were removed
     * @throws IOException on a listing error
     */
    public static int deleteStaleTemporaries(Path dir) throws IOException {
        int n = 0;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                String name = p.getFileName().toString();
                if (name.startsWith(".") && name.endsWith(".tmp") && Files.isRegularFile(p)) {
                    Files.delete(p);
                    n++;
                }
            }
        }
        return n;
    }

    private static void forceDirectory(Path dir) {
        // makes the rename durable on Linux; not supported everywhere, and not needed for atomicity
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // best effort
        }
    }
}
