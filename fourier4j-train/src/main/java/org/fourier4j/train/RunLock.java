package org.fourier4j.train;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * The lock a training process holds on its run directory: an operating-system lock ({@link
 * FileChannel#tryLock()}) on {@code train.lock}, which names the holder (pid, host, start time).
 * The operating system releases it when the process ends in any way, kill -9 included, so a stale
 * file never blocks a resume; a second process (or a second run in this one) is refused at once.
 */
final class RunLock implements AutoCloseable {

    /** The lock file's name in a run directory. */
    static final String FILE = "train.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks a run directory.
     *
     * @param dir an existing directory
     * @return the lock, held until {@link #close()} or the end of the process
     * @throws ConfigException if another process (or another run in this one) holds it
     * @throws IOException if the lock file cannot be opened
     */
    static RunLock acquire(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        FileChannel ch =
                FileChannel.open(
                        file,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // this JVM holds it: another run of the same directory
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        if (lock == null) {
            String holder = holder(ch);
            ch.close();
            throw inUse(dir, holder);
        }
        ch.truncate(0);
        String me =
                "pid "
                        + ProcessHandle.current().pid()
                        + " on host "
                        + hostName()
                        + " since "
                        + Instant.now()
                        + "\n";
        ch.write(ByteBuffer.wrap(me.getBytes(StandardCharsets.UTF_8)), 0);
        ch.force(false);
        return new RunLock(ch, lock);
    }

    /**
     * Checks, without keeping it, that no live process holds a directory's lock.
     *
     * @param dir a directory
     * @throws ConfigException if one does
     */
    static void checkFree(Path dir) {
        if (!Files.isRegularFile(dir.resolve(FILE))) {
            return;
        }
        try {
            acquire(dir).close();
        } catch (IOException e) {
            // unreadable lock file: the directory checks that follow report the real problem
        }
    }

    private static ConfigException inUse(Path dir, String holder) {
        return new ConfigException(
                "run directory "
                        + dir
                        + " is in use by another training process"
                        + (holder.isEmpty() ? "" : " (" + holder + ")")
                        + ": wait for it to end or stop it; two processes must not write one"
                        + " run");
    }

    private static String holder(FileChannel ch) {
        try {
            ByteBuffer b = ByteBuffer.allocate(512);
            ch.read(b, 0);
            return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "";
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Releases the lock (the file stays; it names the last holder). */
    @Override
    public void close() throws IOException {
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } finally {
            channel.close();
        }
    }
}
