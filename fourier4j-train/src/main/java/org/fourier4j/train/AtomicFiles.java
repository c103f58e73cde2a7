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

    /**
     * Sees the bytes of a write on their way to the temporary file; tests use it to pause a write
     * (and kill the process inside it) or to fail it like a full disk.
     */
    @FunctionalInterface
    interface WriteObserver {
        /**
         * Called before each chunk goes to the temporary file.
         *
         * @param target the file being replaced
         * @param written bytes already in the temporary file
         * @throws IOException to fail the write here
         */
        void beforeWrite(Path target, long written) throws IOException;
    }

    private static final int OBSERVED_CHUNK = 4096;

    /** The test hook, or null (always, outside tests). */
    static volatile WriteObserver observer;

    private AtomicFiles() {}

    /**
     * Atomically replaces (or creates) {@code target} with the content.
     *
     * @param target the file
     * @param content the writer
     * @throws IOException if writing fails, with a message naming {@code target} and the cause
     *     (such as "No space left on device"); {@code target} is then unchanged
     */
    public static void write(Path target, Content content) throws IOException {
        try {
            replace(target, content);
        } catch (IOException e) {
            throw new IOException(
                    "cannot write "
                            + target
                            + ": "
                            + cause(e)
                            + (Files.exists(target)
                                    ? " (the previous " + target.getFileName() + " is unchanged)"
                                    : ""),
                    e);
        }
    }

    /** The reason alone: a FileSystemException's message repeats the file name. */
    private static String cause(IOException e) {
        if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static void replace(Path target, Content content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        boolean done = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                OutputStream os =
                        new BufferedOutputStream(
                                observed(Channels.newOutputStream(ch), target), 1 << 16);
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

    private static OutputStream observed(OutputStream file, Path target) {
        WriteObserver o = observer;
        if (o == null) {
            return file;
        }
        return new FilterOutputStream(file) {
            private long bytes;

            @Override
            public void write(int b) throws IOException {
                o.beforeWrite(target, bytes);
                out.write(b);
                bytes++;
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                // in pieces of 4 KiB, so a test can stop a write with part of it on disk
                for (int at = 0; at < len; at += OBSERVED_CHUNK) {
                    int n = Math.min(OBSERVED_CHUNK, len - at);
                    o.beforeWrite(target, bytes);
                    out.write(b, off + at, n);
                    bytes += n;
                }
            }
        };
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
