package org.fourier4j.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An open weight file read by positional reads (thread-safe, no shared file position), so that
 * tensors are read on demand and offsets beyond 2 GB are plain {@code long} arithmetic.
 *
 * @param path the file
 * @param channel the open channel to it
 * @param size the file's size when it was opened
 */
record FileSource(Path path, FileChannel channel, long size) implements Closeable {
    /**
     * Heap destinations are filled in chunks: the JDK copies heap reads through a cached direct
     * buffer as large as the request, which would otherwise stay allocated per thread.
     */
    private static final int HEAP_CHUNK = 1 << 20;

    static FileSource open(Path path) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            return new FileSource(path, channel, channel.size());
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Fills {@code dst} (position to limit) with the bytes that start at {@code position}.
     *
     * @param what names the data for the message when the file ends early
     */
    void read(long position, ByteBuffer dst, String what) throws WeightFileException {
        long at = position;
        int end = dst.limit();
        try {
            while (dst.position() < end) {
                if (!dst.isDirect()) {
                    dst.limit(Math.min(end, dst.position() + HEAP_CHUNK));
                }
                int n = channel.read(dst, at);
                if (n < 0) {
                    throw new WeightFileException(
                            path,
                            "the file ends at byte "
                                    + at
                                    + " while reading "
                                    + what
                                    + " (was it changed after it was opened?)");
                }
                at += n;
                dst.limit(end);
            }
        } catch (ClosedChannelException e) {
            throw new WeightFileException(
                    path, "cannot read " + what + ": the weight file was closed", e);
        } catch (WeightFileException e) {
            throw e;
        } catch (IOException e) {
            throw new WeightFileException(path, "cannot read " + what + ": " + e, e);
        } finally {
            dst.limit(end);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
