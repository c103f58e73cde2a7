package org.fourier4j.files;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Crash-safe file replacement, the one way fourier4j writes a file that must never be seen half
 * written (checkpoints, weights, ONNX models, caches, reports). The content goes to a temporary
 * file {@code .<target>.<random>.tmp} in the target's folder, which is forced to disk and then
 * renamed over the target in one step; the folder entry is forced too. A crash or an exception at
 * any point leaves the old file or the new one, never a mixture; an exception also removes the
 * temporary file, and {@link #deleteStaleTemporaries} removes what a killed process left.
 *
 * <p>The temporary file gets the default permissions (a plain {@code Files.createTempFile} would
 * make the result readable by its owner alone).
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

    /** Writes content to a file channel (for large buffers, written without a copy). */
    @FunctionalInterface
    public interface ChannelContent {
        /**
         * @param channel the temporary file, positioned at 0 (leave it open)
         * @throws IOException on a write error
         */
        void writeTo(FileChannel channel) throws IOException;
    }

    /**
     * Sees the bytes of a stream write on their way to the temporary file: fault-injection tests
     * pause a write (and kill the process inside it) or fail it like a full disk.
     */
    @FunctionalInterface
    public interface WriteObserver {
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

    private static volatile WriteObserver observer;

    private AtomicFiles() {}

    /**
     * Sets the observer of every later stream write in this process, or removes it; for tests.
     *
     * @param o the observer, or null
     */
    public static void observeWrites(WriteObserver o) {
        observer = o;
    }

    /**
     * Atomically replaces (or creates, with its parent folders) {@code target} with the content.
     *
     * @param target the file
     * @param content the writer
     * @throws IOException if writing fails, with a message naming {@code target} and the cause
     *     (such as "No space left on device"), or the content's own typed exception as it was;
     *     {@code target} is then unchanged
     */
    public static void write(Path target, Content content) throws IOException {
        writeChannel(
                target,
                channel -> {
                    OutputStream os =
                            new BufferedOutputStream(
                                    observed(Channels.newOutputStream(channel), target), 1 << 16);
                    content.writeTo(new KeptOpen(os));
                    os.flush();
                });
    }

    /**
     * Atomically replaces (or creates, with its parent folders) {@code target} with what {@code
     * content} writes to the temporary file's channel.
     *
     * @param target the file
     * @param content the writer
     * @throws IOException as {@link #write(Path, Content)}
     */
    public static void writeChannel(Path target, ChannelContent content) throws IOException {
        try {
            replace(target.toAbsolutePath(), content);
        } catch (IOException e) {
            if (e.getClass() != IOException.class && !(e instanceof FileSystemException)) {
                throw e; // a typed error of the content's own (a bad tensor, say) says enough
            }
            throw new IOException(
                    "cannot write "
                            + target
                            + ": "
                            + reason(e)
                            + (Files.exists(target)
                                    ? " (the previous " + target.getFileName() + " is unchanged)"
                                    : ""),
                    e);
        }
    }

    /**
     * Atomically replaces (or creates) a file with these bytes.
     *
     * @param target the file
     * @param bytes its content
     * @throws IOException as {@link #write(Path, Content)}
     */
    public static void writeBytes(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    /**
     * Atomically replaces (or creates) a text file.
     *
     * @param target the file
     * @param text its content (UTF-8)
     * @throws IOException as {@link #write(Path, Content)}
     */
    public static void writeString(Path target, String text) throws IOException {
        writeBytes(target, text.getBytes(StandardCharsets.UTF_8));
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
     * Removes the temporary files that killed writers left in a folder.
     *
     * @param dir the folder
     * @return how many were removed
     * @throws IOException on a listing error
     */
    public static int deleteStaleTemporaries(Path dir) throws IOException {
        int n = 0;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                if (isTemporary(p) && Files.isRegularFile(p)) {
                    Files.delete(p);
                    n++;
                }
            }
        }
        return n;
    }

    /**
     * @param p a path
     * @return whether its name is that of a temporary file of this class
     */
    public static boolean isTemporary(Path p) {
        String name = p.getFileName().toString();
        return name.startsWith(".") && name.endsWith(".tmp");
    }

    private static void replace(Path target, ChannelContent content) throws IOException {
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path temp = createTemp(dir, target.getFileName().toString());
        boolean done = false;
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                content.writeTo(channel);
                channel.force(true);
            }
            try {
                Files.move(
                        temp,
                        target,
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(temp);
            }
        }
        forceDirectory(dir);
    }

    /** A new empty file with the default permissions, named so that it is seen as temporary. */
    private static Path createTemp(Path dir, String name) throws IOException {
        for (int attempt = 0; ; attempt++) {
            String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong());
            try {
                return Files.createFile(dir.resolve("." + name + "." + suffix + ".tmp"));
            } catch (FileAlreadyExistsException e) {
                if (attempt > 100) {
                    throw e;
                }
            }
        }
    }

    /** Makes the rename durable where the platform lets a folder be opened (not on Windows). */
    private static void forceDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | RuntimeException e) {
            // the rename is still atomic; only its durability after a power loss is not forced
        }
    }

    /** The reason alone: a FileSystemException's message repeats the file name. */
    private static String reason(IOException e) {
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
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

    /** The stream given to a {@link Content}: closing it only flushes (the channel is ours). */
    private static final class KeptOpen extends FilterOutputStream {
        KeptOpen(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
