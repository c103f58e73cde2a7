package org.fourier4j.fft;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The on-disk cache of {@link ConvAutoTuner}: a properties file of decisions and calibrations, by
 * default {@code ~/.fourier4j/conv-autotune.properties}. The directory can be changed with the
 * system property {@code fourier4j.home} or the environment variable {@code FOURIER4J_HOME}.
 *
 * <p>Writes merge with what other processes wrote meanwhile and replace the file atomically (a
 * temporary file in the same directory, then a rename), so a crash never leaves half a file. A file
 * that cannot be read or written only costs re-measuring: the failure is logged, not thrown.
 */
final class AutotuneStore {

    private static final Logger LOGGER = LoggerFactory.getLogger(AutotuneStore.class);
    private static final String FILE = "conv-autotune.properties";

    private final Path file;

    AutotuneStore(Path file) {
        this.file = file;
    }

    static AutotuneStore defaultStore() {
        return new AutotuneStore(home().resolve(FILE));
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

    synchronized Map<String, String> load() {
        Map<String, String> out = new TreeMap<>();
        if (file == null || !Files.isRegularFile(file)) {
            return out;
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException | IllegalArgumentException e) {
            LOGGER.warn("Ignoring unreadable autotune cache {}: {}", file, e.toString());
            return out;
        }
        for (String k : p.stringPropertyNames()) {
            out.put(k, p.getProperty(k));
        }
        return out;
    }

    synchronized void put(String key, String value) {
        if (file == null) {
            return;
        }
        Map<String, String> all = load();
        all.put(key, value);
        Properties p = new Properties();
        p.putAll(all);
        Path tmp = null;
        try {
            Files.createDirectories(file.getParent());
            tmp = Files.createTempFile(file.getParent(), FILE, ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                p.store(out, "fourier4j convolution autotune cache: DIRECT vs FFT per call shape");
            }
            try {
                Files.move(
                        tmp,
                        file,
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            LOGGER.warn("Could not write autotune cache {}: {}", file, e.toString());
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // nothing more to do: the cache is an optimisation
                }
            }
        }
    }
}
