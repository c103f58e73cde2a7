package org.fourier4j.fft;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.fourier4j.files.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The on-disk cache of {@link ConvAutoTuner}: a properties file of decisions, calibrations and
 * validation points, by default {@code ~/.fourier4j/conv-autotune.properties} (the directory can be
 * changed with the system property {@code fourier4j.home} or the environment variable {@code
 * FOURIER4J_HOME}).
 *
 * <ul>
 *   <li>Every value is a record of {@code name=value} fields separated by {@code ;} and carries an
 *       {@link AutotuneStamp}; entries of another fourier4j version, engine or processor are
 *       ignored (one warning) and dropped at the next write.
 *   <li>A file that cannot be parsed, lacks the {@value #FORMAT} marker (a foreign file, or one of
 *       an older fourier4j) is ignored with one warning and rebuilt at the next write.
 *   <li>Writes hold a lock ({@link FileChannel#lock()} on the sibling {@code .lock} file, plus an
 *       in-process lock, since one JVM cannot hold two locks on one file), re-read the file and
 *       apply only this writer's change to it, so processes deciding different shapes keep each
 *       other's entries; then write a temporary file in the same directory, force it to disk and
 *       rename it over the old one atomically: a crash leaves the old file whole.
 * </ul>
 *
 * <p>Failures to read or write never throw: they are logged once and only cost re-measuring.
 */
final class AutotuneStore {

    /** The first line's key and value of every file this version writes. */
    static final String FORMAT_KEY = "format";

    static final String FORMAT = "fourier4j-conv-autotune/2";

    static final String FILE = "conv-autotune.properties";

    private static final Logger LOGGER = LoggerFactory.getLogger(AutotuneStore.class);
    private static final long STALE_TEMP_MS = 10 * 60 * 1000;
    private static final Map<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    /** Writes the bytes of a new file; replaced in tests to simulate a crash mid-write. */
    interface Writer {
        void write(FileChannel channel, ByteBuffer bytes) throws IOException;
    }

    private final Path file;
    private final AutotuneStamp stamp;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private volatile Writer writer =
            (channel, bytes) -> {
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
            };

    AutotuneStore(Path file, AutotuneStamp stamp) {
        this.file = file == null ? null : file.toAbsolutePath().normalize();
        this.stamp = stamp;
    }

    static Path defaultFile() {
        return home().resolve(FILE);
    }

    static Path home() {
        String dir = System.getProperty("fourier4j.home");
        if (dir == null || dir.isEmpty()) {
            dir = System.getenv("FOURIER4J_HOME");
        }
        if (dir == null || dir.isEmpty()) {
            return Paths.get(System.getProperty("user.home"), ".fourier4j");
        }
        return Paths.get(dir);
    }

    Path file() {
        return file;
    }

    AutotuneStamp stamp() {
        return stamp;
    }

    /** The warnings logged so far (each once). */
    List<String> warnings() {
        return List.copyOf(warnings);
    }

    void setWriter(Writer writer) {
        this.writer = writer;
    }

    /** What a read found. */
    static final class Contents {
        /** Entries of this stamp, by key (the format marker left out). */
        final Map<String, String> current = new TreeMap<>();

        /** Entries of other versions or processors, by key. */
        final Map<String, String> stale = new TreeMap<>();

        /** Why the whole file was ignored, or null. */
        String problem;

        /** Entries whose value could not be read. */
        int unreadable;
    }

    /**
     * Reads the file without a lock (writers replace it atomically), warning once about what is
     * ignored.
     *
     * @return the entries of the current stamp
     */
    Map<String, String> load() {
        Contents c = read();
        if (c.problem != null) {
            warnOnce(
                    "problem",
                    "Ignoring autotune cache " + file + ": " + c.problem + "; it is rebuilt");
        }
        if (!c.stale.isEmpty()) {
            warnOnce(
                    "stale",
                    "Ignoring "
                            + c.stale.size()
                            + " entries of "
                            + file
                            + " taken with another fourier4j version, engine or processor (now "
                            + stamp
                            + "); they are decided again");
        }
        if (c.unreadable > 0) {
            warnOnce("unreadable", "Ignoring " + c.unreadable + " unreadable entries of " + file);
        }
        return c.current;
    }

    /** Reads and classifies every entry, without warning. */
    Contents read() {
        Contents c = new Contents();
        if (file == null || !Files.isRegularFile(file)) {
            return c;
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException | IllegalArgumentException e) {
            c.problem = "unreadable (" + e.getMessage() + ")";
            return c;
        }
        if (p.isEmpty()) {
            return c;
        }
        String format = p.getProperty(FORMAT_KEY);
        if (!FORMAT.equals(format)) {
            boolean ours =
                    p.stringPropertyNames().stream().anyMatch(k -> k.startsWith("decision."));
            c.problem =
                    format != null
                            ? "format '" + format + "', this version reads '" + FORMAT + "'"
                            : ours
                                    ? "written by an older fourier4j (no format marker)"
                                    : "not a fourier4j autotune cache (no format marker)";
            return c;
        }
        for (String k : p.stringPropertyNames()) {
            if (k.equals(FORMAT_KEY)) {
                continue;
            }
            String v = p.getProperty(k);
            Map<String, String> fields = fields(v);
            if (fields == null) {
                c.unreadable++;
            } else if (stamp.matches(fields)) {
                c.current.put(k, v);
            } else {
                c.stale.put(k, v);
            }
        }
        return c;
    }

    /**
     * Stores one entry (merged into the file under the lock).
     *
     * @return whether the file was written
     */
    boolean put(String key, String value) {
        return update(m -> m.put(key, value));
    }

    /**
     * Applies a change to the current entries under the lock and writes the result atomically.
     * Entries of other stamps, unreadable ones and a foreign file's content are dropped.
     *
     * @param change edits the map of current entries
     * @return whether the file was written
     */
    boolean update(Consumer<Map<String, String>> change) {
        if (file == null) {
            return false;
        }
        ReentrantLock local = IN_PROCESS.computeIfAbsent(file, f -> new ReentrantLock());
        local.lock();
        try {
            Files.createDirectories(file.getParent());
            Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
            try (FileChannel lockChannel =
                            FileChannel.open(
                                    lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock ignored = lockChannel.lock()) {
                Map<String, String> entries = new TreeMap<>(read().current);
                change.accept(entries);
                writeAtomically(entries);
                removeStaleTemporaries();
                return true;
            }
        } catch (IOException | RuntimeException e) {
            warnOnce("write", "Could not write autotune cache " + file + ": " + e);
            return false;
        } finally {
            local.unlock();
        }
    }

    private void writeAtomically(Map<String, String> entries) throws IOException {
        Properties p = new Properties();
        p.putAll(entries);
        p.put(FORMAT_KEY, FORMAT);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        p.store(
                bytes,
                "fourier4j convolution autotune cache: DIRECT vs FFT per call shape. Inspect with"
                    + " 'fourier4j autotune --show', forget with 'fourier4j autotune --clear'.");
        byte[] content = bytes.toByteArray();
        AtomicFiles.writeChannel(file, channel -> writer.write(channel, ByteBuffer.wrap(content)));
    }

    /** Deletes temporaries of writers that died mid-write (older than ten minutes). */
    private void removeStaleTemporaries() {
        String glob = "." + file.getFileName() + ".*.tmp"; // AtomicFiles' temporary names
        long now = System.currentTimeMillis();
        try (DirectoryStream<Path> tmps = Files.newDirectoryStream(file.getParent(), glob)) {
            for (Path t : tmps) {
                if (now - Files.getLastModifiedTime(t).toMillis() > STALE_TEMP_MS) {
                    Files.deleteIfExists(t);
                }
            }
        } catch (IOException e) {
            // leftovers cost only disk space
        }
    }

    private void warnOnce(String kind, String message) {
        if (warned.add(kind)) {
            warnings.add(message);
            LOGGER.warn(message);
        }
    }

    /** Encodes fields with this store's stamp, the host and the time added. */
    String stamped(Map<String, String> fields) {
        Map<String, String> f = new LinkedHashMap<>(fields);
        stamp.addTo(f, java.time.Instant.now());
        return encode(f);
    }

    /**
     * Encodes fields as {@code name=value;name=value} (names and values must not hold {@code ;} or
     * {@code =}; see {@link AutotuneStamp#sanitize}).
     */
    static String encode(Map<String, String> fields) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : fields.entrySet()) {
            if (sb.length() > 0) {
                sb.append(';');
            }
            sb.append(e.getKey()).append('=').append(AutotuneStamp.sanitize(e.getValue()));
        }
        return sb.toString();
    }

    /**
     * Decodes {@link #encode}'s form.
     *
     * @return the fields in order, or null if the value is not of that form
     */
    static Map<String, String> fields(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String part : value.split(";", -1)) {
            int eq = part.indexOf('=');
            if (eq <= 0 || part.indexOf('=', eq + 1) >= 0) {
                return null;
            }
            out.put(part.substring(0, eq), part.substring(eq + 1));
        }
        return out;
    }

    /** Keys of {@code map} that start with {@code prefix}, in order. */
    static List<String> keysWith(Map<String, String> map, String prefix) {
        List<String> out = new ArrayList<>();
        for (String k : map.keySet()) {
            if (k.startsWith(prefix)) {
                out.add(k);
            }
        }
        return out;
    }
}
