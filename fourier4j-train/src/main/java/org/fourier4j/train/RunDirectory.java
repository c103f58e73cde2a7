package org.fourier4j.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.fourier4j.files.AtomicFiles;

/**
 * The directory of one training run:
 *
 * <ul>
 *   <li>{@code config.json}: the resolved configuration (every key, defaults included);
 *   <li>{@code metrics.csv} and {@code metrics.jsonl}: one row per epoch ({@link EpochMetrics});
 *   <li>{@code last.ckpt}: the latest checkpoint (end of an epoch, or within one with {@code
 *       checkpoint_every_steps});
 *   <li>{@code best.ckpt}: the checkpoint of the epoch with the best validation top-1;
 *   <li>{@code summary.json}: the outcome, written at the end (or when training stops);
 *   <li>{@code confusion_matrix.csv}: of the last evaluation;
 *   <li>{@code model.json}, {@code model.safetensors}, {@code serving.properties}: written with
 *       {@code best.ckpt} for a zoo model, so that the run directory is a model directory ({@link
 *       org.fourier4j.inference.ModelDirectory});
 *   <li>{@code train.lock}: locked by the training process using the directory, naming it.
 * </ul>
 *
 * Every file but the metrics logs is replaced atomically ({@link AtomicFiles}). A training process
 * holds {@code train.lock} ({@link #lock()}), so a second one is refused.
 */
public final class RunDirectory {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper PRETTY =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;
    private RunLock lock;

    private RunDirectory(Path dir) {
        this.dir = dir;
    }

    /**
     * A new run directory: checked now, created by {@link #create()}. A directory that exists and
     * is not empty is refused, so that no earlier run's checkpoints are overwritten.
     *
     * @param dir the directory
     * @return the run directory (not yet on disk)
     * @throws ConfigException if it exists and is not empty
     */
    public static RunDirectory forNewRun(Path dir) {
        RunDirectory r = new RunDirectory(dir);
        r.checkUnused();
        return r;
    }

    private void checkUnused() {
        if (!Files.exists(dir)) {
            return;
        }
        if (lock == null) {
            RunLock.checkFree(dir);
        }
        boolean empty;
        try (Stream<Path> s = Files.list(dir)) {
            empty = s.allMatch(p -> p.getFileName().toString().equals(RunLock.FILE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        if (!empty) {
            throw new ConfigException(
                    "run directory "
                            + dir
                            + " already exists and is not empty: resume it"
                            + " or choose another run_name");
        }
    }

    /**
     * Creates the directory of a new run (checking again that it is unused).
     *
     * @throws ConfigException if it exists and is not empty
     * @throws IOException if it cannot be created
     */
    public void create() throws IOException {
        checkUnused();
        Files.createDirectories(dir);
        lock();
        checkUnused();
    }

    /**
     * Locks the directory for this process's run ({@link RunLock}: an operating-system lock,
     * released when the process ends, kill -9 included). {@link #create()} locks a new run.
     *
     * @throws ConfigException if another training process holds it, naming that process
     * @throws IOException if the lock file cannot be written
     */
    public void lock() throws IOException {
        if (lock == null) {
            lock = RunLock.acquire(dir);
        }
    }

    /** Releases the lock, if held. */
    public void unlock() {
        if (lock != null) {
            try {
                lock.close();
            } catch (IOException e) {
                // the process's end releases it anyway
            }
            lock = null;
        }
    }

    /**
     * Opens an existing run to resume it.
     *
     * @param dir the directory
     * @return the run directory
     * @throws ConfigException if it is not a run directory
     */
    public static RunDirectory open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new ConfigException("run directory not found: " + dir);
        }
        if (!Files.isRegularFile(dir.resolve("config.json"))) {
            throw new ConfigException(dir + " is not a run directory (no config.json)");
        }
        return new RunDirectory(dir);
    }

    /**
     * @return the directory
     */
    public Path path() {
        return dir;
    }

    /**
     * @return {@code config.json}
     */
    public Path config() {
        return dir.resolve("config.json");
    }

    /**
     * @return {@code last.ckpt}
     */
    public Path lastCheckpoint() {
        return dir.resolve("last.ckpt");
    }

    /**
     * @return {@code best.ckpt}
     */
    public Path bestCheckpoint() {
        return dir.resolve("best.ckpt");
    }

    /**
     * @return {@code metrics.csv}
     */
    public Path metricsCsv() {
        return dir.resolve("metrics.csv");
    }

    /**
     * @return {@code metrics.jsonl}
     */
    public Path metricsJsonl() {
        return dir.resolve("metrics.jsonl");
    }

    /**
     * @return {@code summary.json}
     */
    public Path summary() {
        return dir.resolve("summary.json");
    }

    /**
     * Saves the resolved configuration.
     *
     * @param config the configuration
     * @throws IOException on a write error
     */
    public void writeConfig(TrainConfig config) throws IOException {
        AtomicFiles.writeString(config(), config.toJson() + "\n");
    }

    /**
     * Starts empty metrics logs (header only).
     *
     * @throws IOException on a write error
     */
    public void initMetrics() throws IOException {
        AtomicFiles.writeString(metricsCsv(), EpochMetrics.CSV_HEADER + "\n");
        AtomicFiles.writeString(metricsJsonl(), "");
    }

    /**
     * Appends one epoch to both logs.
     *
     * @param m the row
     * @throws IOException on a write error
     */
    public void appendMetrics(EpochMetrics m) throws IOException {
        try {
            append(m);
        } catch (IOException e) {
            throw new IOException(
                    "cannot append to the metrics of " + dir + ": " + e.getMessage(), e);
        }
    }

    private void append(EpochMetrics m) throws IOException {
        Files.writeString(
                metricsCsv(),
                m.toCsv() + "\n",
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        Files.writeString(
                metricsJsonl(),
                JSON.writeValueAsString(m.toMap()) + "\n",
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    /**
     * Drops metric rows of epochs after {@code epochs} (rows a crashed run wrote after its last
     * checkpoint), so that a resumed run's logs continue seamlessly.
     *
     * @param epochs epochs the checkpoint completed
     * @throws IOException on an error
     */
    public void truncateMetrics(int epochs) throws IOException {
        if (!Files.exists(metricsCsv())) {
            initMetrics();
            return;
        }
        List<String> csv = new ArrayList<>();
        csv.add(EpochMetrics.CSV_HEADER);
        for (String line : Files.readAllLines(metricsCsv())) {
            if (!line.isBlank() && !line.startsWith("epoch,")) {
                int e = Integer.parseInt(line.substring(0, line.indexOf(',')));
                if (e <= epochs) {
                    csv.add(line);
                }
            }
        }
        AtomicFiles.writeString(metricsCsv(), String.join("\n", csv) + "\n");
        StringBuilder jsonl = new StringBuilder();
        if (Files.exists(metricsJsonl())) {
            for (String line : Files.readAllLines(metricsJsonl())) {
                if (!line.isBlank() && JSON.readTree(line).get("epoch").asInt() <= epochs) {
                    jsonl.append(line).append('\n');
                }
            }
        }
        AtomicFiles.writeString(metricsJsonl(), jsonl.toString());
    }

    /**
     * Writes {@code summary.json}.
     *
     * @param summary the content
     * @throws IOException on a write error
     */
    public void writeSummary(Map<String, Object> summary) throws IOException {
        AtomicFiles.writeString(summary(), PRETTY.writeValueAsString(summary) + "\n");
    }

    /**
     * Writes a text file in the run directory.
     *
     * @param name the file name
     * @param text its content
     * @throws IOException on a write error
     */
    public void writeText(String name, String text) throws IOException {
        AtomicFiles.writeString(dir.resolve(name), text);
    }
}
