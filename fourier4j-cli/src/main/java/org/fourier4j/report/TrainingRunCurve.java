package org.fourier4j.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-epoch metrics of one training run directory ({@code metrics.jsonl}, written by {@code
 * fourier4j train}), with the model named in its {@code config.json} when present.
 *
 * @param name the run's label: its directory name
 * @param model the model of the run, or "" when config.json is missing
 * @param epochs one point per epoch, in order
 */
public record TrainingRunCurve(String name, String model, List<Epoch> epochs) {

    /**
     * One epoch.
     *
     * @param epoch 1-based epoch
     * @param minutes wall time since the start of the run at the end of this epoch
     * @param trainLoss mean training loss
     * @param valTop1 validation top-1 in [0, 1], NaN without validation
     * @param imagesPerSecond training images per second
     */
    public record Epoch(
            int epoch, double minutes, double trainLoss, double valTop1, double imagesPerSecond) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Reads a run directory.
     *
     * @param dir the run directory
     * @return its curve
     * @throws IllegalArgumentException naming the directory when it has no readable metrics
     */
    public static TrainingRunCurve read(Path dir) {
        Path metrics = dir.resolve("metrics.jsonl");
        if (!Files.isRegularFile(metrics)) {
            throw new IllegalArgumentException(
                    "--runs "
                            + dir
                            + ": no metrics.jsonl (expected a run directory written by fourier4j"
                            + " train)");
        }
        List<Epoch> epochs = new ArrayList<>();
        double minutes = 0;
        try {
            int lineNo = 0;
            for (String line : Files.readAllLines(metrics)) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode n;
                try {
                    n = JSON.readTree(line);
                } catch (IOException e) {
                    throw new IllegalArgumentException(
                            "--runs " + dir + ": metrics.jsonl line " + lineNo + " is not JSON");
                }
                if (n == null || !n.has("epoch") || !n.has("seconds")) {
                    throw new IllegalArgumentException(
                            "--runs "
                                    + dir
                                    + ": metrics.jsonl line "
                                    + lineNo
                                    + " has no epoch/seconds");
                }
                minutes += n.get("seconds").asDouble() / 60;
                JsonNode top1 = n.get("val_top1");
                epochs.add(
                        new Epoch(
                                n.get("epoch").asInt(),
                                minutes,
                                n.path("train_loss").asDouble(Double.NaN),
                                top1 == null || top1.isNull() ? Double.NaN : top1.asDouble(),
                                n.path("images_per_s").asDouble(Double.NaN)));
            }
            String model = "";
            Path config = dir.resolve("config.json");
            if (Files.isRegularFile(config)) {
                model = JSON.readTree(Files.readString(config)).path("model").asText("");
            }
            if (epochs.isEmpty()) {
                throw new IllegalArgumentException(
                        "--runs " + dir + ": metrics.jsonl has no finished epoch yet");
            }
            Path name = dir.toAbsolutePath().normalize().getFileName();
            return new TrainingRunCurve(
                    name == null ? dir.toString() : name.toString(), model, List.copyOf(epochs));
        } catch (IOException e) {
            throw new IllegalArgumentException("--runs " + dir + ": cannot read (" + e + ")");
        }
    }

    /**
     * @return the best validation top-1 over the epochs, NaN without validation
     */
    public double bestValTop1() {
        return epochs.stream()
                .mapToDouble(Epoch::valTop1)
                .filter(v -> !Double.isNaN(v))
                .max()
                .orElse(Double.NaN);
    }
}
