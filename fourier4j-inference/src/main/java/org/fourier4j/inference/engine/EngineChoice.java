package org.fourier4j.inference.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.ServiceLoader;
import org.fourier4j.fft.AutotuneHome;
import org.fourier4j.files.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which runtime computes a model's logits: fourier4j's own plan on DJL ({@code djl}), another
 * registered {@link InferenceEngine} (fourier4j-onnx registers {@code onnxruntime}), or {@code
 * auto}: per model, image size, batch and thread count, both are timed once side by side and the
 * faster kept, in {@code ~/.fourier4j/engine-choice.properties} (stamped with the versions and
 * processor, like AUTO's convolution decisions). Set with the system property {@code
 * fourier4j.engine} (default {@code auto}; {@code djl} when no other engine is on the class path).
 */
public final class EngineChoice {

    /** The system property naming the engine. */
    public static final String PROPERTY = "fourier4j.engine";

    /** fourier4j's own inference plan on DJL. */
    public static final String DJL = "djl";

    /** Time the engines and keep the faster. */
    public static final String AUTO = "auto";

    /** The cache file's name in {@link AutotuneHome#directory()}. */
    public static final String FILE = "engine-choice.properties";

    /** An engine must be at least this much faster to replace DJL (noise is not a reason). */
    static final double MARGIN = 0.95;

    private static final Logger LOGGER = LoggerFactory.getLogger(EngineChoice.class);

    private EngineChoice() {}

    /**
     * @return the requested engine: {@code djl}, {@code auto} or a registered engine's name
     * @throws IllegalArgumentException naming the property, the value and the choices
     */
    public static String requested() {
        String v = System.getProperty(PROPERTY, AUTO).strip().toLowerCase(Locale.ROOT);
        if (v.equals(DJL) || v.equals(AUTO) || find(v) != null) {
            return v;
        }
        throw new IllegalArgumentException(
                PROPERTY + " must be one of " + choices() + ", got '" + v + "'");
    }

    /**
     * @return djl, auto and every registered engine's name
     */
    public static List<String> choices() {
        List<String> out = new ArrayList<>(List.of(DJL, AUTO));
        for (InferenceEngine e : engines()) {
            out.add(e.name());
        }
        return out;
    }

    /**
     * @return the registered engines
     */
    public static List<InferenceEngine> engines() {
        List<InferenceEngine> out = new ArrayList<>();
        ServiceLoader.load(InferenceEngine.class).forEach(out::add);
        return out;
    }

    /**
     * @param name an engine's name
     * @return the registered engine, or null
     */
    public static InferenceEngine find(String name) {
        for (InferenceEngine e : engines()) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        return null;
    }

    /**
     * Whether the other engine wins: only when clearly faster.
     *
     * @param otherOverDjl the other engine's time over DJL's, the median of the rounds' ratios (two
     *     runs moments apart see the same machine load, so this is steadier on a busy host than a
     *     ratio of medians)
     * @return true to use the other engine
     */
    static boolean otherWins(double otherOverDjl) {
        return otherOverDjl < MARGIN;
    }

    /**
     * What a decision against an engine depends on.
     *
     * @param other the engine timed against DJL
     * @return fourier4j's, DJL's and the engine's versions and the processor
     */
    static String stamp(InferenceEngine other) {
        return AutotuneHome.stamp() + ", " + other.version();
    }

    /**
     * @return the cache file
     */
    public static Path cacheFile() {
        return AutotuneHome.directory().resolve(FILE);
    }

    /**
     * The stored decision for a key, if taken with the same stamp.
     *
     * @param key the model, shape and threads
     * @param stamp the versions and processor it must have been taken with
     * @return the engine's name, or null
     */
    static synchronized String cached(String key, String stamp) {
        Properties p = read(cacheFile());
        String v = p.getProperty(key);
        if (v == null) {
            return null;
        }
        String[] parts = v.split("\\|", -1);
        return parts.length >= 2 && parts[1].equals(stamp) ? parts[0] : null;
    }

    /**
     * Stores a decision (atomically: written beside the file, then renamed over it). A failure to
     * write costs only a later re-measurement and is logged.
     *
     * @param key the model, shape and threads
     * @param stamp the versions and processor it was taken with
     * @param engine the chosen engine
     * @param djlMs DJL's median
     * @param otherMs the other engine's median
     */
    static synchronized void store(
            String key, String stamp, String engine, double djlMs, double otherMs) {
        Path file = cacheFile();
        Properties p = read(file);
        p.setProperty(
                key,
                engine
                        + "|"
                        + stamp
                        + "|"
                        + String.format(Locale.ROOT, "djl %.2f ms, other %.2f ms", djlMs, otherMs));
        try {
            AtomicFiles.write(
                    file,
                    out ->
                            p.store(
                                    out,
                                    "fourier4j: the faster inference engine per model, size and"
                                            + " batch"));
        } catch (IOException | UnsupportedOperationException e) {
            LOGGER.warn("could not save the engine choice in {}: {}", file, e.toString());
        }
    }

    /**
     * Forgets every stored decision.
     *
     * @return how many there were
     * @throws IOException if the file cannot be deleted
     */
    public static synchronized int clear() throws IOException {
        Path file = cacheFile();
        int n = read(file).size();
        Files.deleteIfExists(file);
        return n;
    }

    private static Properties read(Path file) {
        Properties p = new Properties();
        if (Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            } catch (IOException | IllegalArgumentException e) {
                // a damaged file only costs re-measuring
                LOGGER.warn("ignoring the unreadable engine choices in {}: {}", file, e.toString());
                return new Properties();
            }
        }
        return p;
    }
}
