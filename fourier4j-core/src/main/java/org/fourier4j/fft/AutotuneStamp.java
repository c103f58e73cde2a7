package org.fourier4j.fft;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * What a stored measurement depends on: the fourier4j version, the engine (name, version, DJL
 * version) and the processor. An entry of the autotune cache is used only while all three equal the
 * running process's; the time and host it was taken on are recorded for {@code fourier4j autotune
 * --show}. (The thread count and data type are part of every entry's key.)
 */
final class AutotuneStamp {

    static final String FOURIER4J = "fourier4j";
    static final String ENGINE = "engine";
    static final String CPU = "cpu";
    static final String HOST = "host";
    static final String TAKEN = "taken";

    private static final String VERSION_RESOURCE = "/org/fourier4j/fourier4j-version.properties";

    final String fourier4j;
    final String engine;
    final String cpu;

    AutotuneStamp(String fourier4j, String engine, String cpu) {
        this.fourier4j = Objects.requireNonNull(fourier4j);
        this.engine = Objects.requireNonNull(engine);
        this.cpu = Objects.requireNonNull(cpu);
    }

    /** The running process's stamp (starts the default engine to read its version). */
    static AutotuneStamp current() {
        return new AutotuneStamp(fourier4jVersion(), engineVersion(), cpu());
    }

    /** Whether an entry's fields were taken with this stamp's versions and processor. */
    boolean matches(Map<String, String> fields) {
        return fourier4j.equals(fields.get(FOURIER4J))
                && engine.equals(fields.get(ENGINE))
                && cpu.equals(fields.get(CPU));
    }

    /** Adds the stamp, the host and the time to an entry's fields. */
    void addTo(Map<String, String> fields, Instant taken) {
        fields.put(FOURIER4J, fourier4j);
        fields.put(ENGINE, engine);
        fields.put(CPU, cpu);
        fields.put(HOST, host());
        fields.put(TAKEN, taken.toString());
    }

    @Override
    public String toString() {
        return "fourier4j " + fourier4j + ", " + engine + ", " + cpu;
    }

    /** The version of fourier4j-core, from a resource Maven fills in at build time. */
    static String fourier4jVersion() {
        try (InputStream in = AutotuneStamp.class.getResourceAsStream(VERSION_RESOURCE)) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version", "");
                if (!v.isEmpty() && !v.startsWith("${")) {
                    return v;
                }
            }
        } catch (IOException e) {
            // fall through to the manifest
        }
        String v = AutotuneStamp.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

    /** The default engine's name and version with DJL's, or "none" without an engine. */
    static String engineVersion() {
        try {
            Engine e = Engine.getInstance();
            return e.getEngineName()
                    + " "
                    + e.getVersion()
                    + " (DJL "
                    + Engine.getDjlVersion()
                    + ")";
        } catch (RuntimeException | LinkageError e) {
            return "none";
        }
    }

    /** The processor model and the number of cores the JVM sees. */
    static String cpu() {
        String model = System.getProperty("os.arch");
        Path info = Paths.get("/proc/cpuinfo");
        if (Files.isReadable(info)) {
            try {
                List<String> lines = Files.readAllLines(info, StandardCharsets.UTF_8);
                for (String line : lines) {
                    if (line.startsWith("model name")) {
                        model = line.substring(line.indexOf(':') + 1).trim();
                        break;
                    }
                }
            } catch (IOException e) {
                // keep the architecture
            }
        }
        return sanitize(model) + " x" + Runtime.getRuntime().availableProcessors();
    }

    private static String host() {
        String h = System.getenv("HOSTNAME");
        if (h == null || h.isEmpty()) {
            try {
                h = Files.readString(Paths.get("/etc/hostname"), StandardCharsets.UTF_8).trim();
            } catch (IOException | RuntimeException e) {
                h = "unknown";
            }
        }
        return sanitize(h.isEmpty() ? "unknown" : h);
    }

    /** Keeps a value free of the record separators ({@code ;} and {@code =}). */
    static String sanitize(String s) {
        return s.replace(';', ',').replace('=', ':').replaceAll("\\s+", " ").trim();
    }
}
