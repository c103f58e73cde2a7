package org.fourier4j.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.fourier4j.data.DataException;
import org.fourier4j.data.ImageSet;
import org.fourier4j.inference.LoadedModel;
import org.fourier4j.inference.ModelCard;
import org.fourier4j.inference.ModelDirectory;
import org.fourier4j.train.CheckpointException;
import org.fourier4j.train.TrainConfig;

/**
 * How {@code eval} and {@code predict} open a model: {@link ModelDirectory#open} on a model
 * directory (from {@code import} or {@code train}), a training run or a checkpoint file, with the
 * notes the opening left in the card printed, and what a training run's card says about its run.
 */
final class OpenedModel {

    private OpenedModel() {}

    /**
     * Opens a model.
     *
     * @param path a model directory, run directory or {@code .ckpt} file
     * @param weights {@code best} or {@code last} (of a run)
     * @param average use a run's weight average when it has one
     * @param err where notes go
     * @return the model; close it
     */
    static LoadedModel open(Path path, String weights, boolean average, PrintStream err) {
        boolean best =
                switch (weights) {
                    case "best" -> true;
                    case "last" -> false;
                    default ->
                            throw new IllegalArgumentException(
                                    "--weights must be best or last, got '" + weights + "'");
                };
        if (!java.nio.file.Files.exists(path)) {
            throw new CheckpointException(
                    "checkpoint not found: "
                            + path
                            + " does not exist (give a model directory, a run directory or a .ckpt"
                            + " file)");
        }
        LoadedModel m = ModelDirectory.open(path, new ModelDirectory.OpenOptions(average, best));
        if (m.card().source().get("notes") instanceof List<?> notes) {
            for (Object n : notes) {
                err.println("note: " + n);
            }
        }
        return m;
    }

    /**
     * The training configuration of the run a model comes from.
     *
     * @param card the model's card
     * @return the configuration, or null for a model that was not trained here (imported)
     */
    static TrainConfig runConfig(ModelCard card) {
        if (card.source().get("config") instanceof Map<?, ?> m) {
            @SuppressWarnings("unchecked")
            Map<String, Object> values = (Map<String, Object>) m;
            return TrainConfig.defaults().with(values, "in the model card of the run");
        }
        return null;
    }

    /**
     * @param m a model
     * @return the checkpoint it was read from, or its directory
     */
    static String checkpoint(LoadedModel m) {
        Object c = m.card().source().get("checkpoint");
        if (c == null) {
            return m.location().toString();
        }
        // a run directory that was moved: its checkpoint is beside its model.json
        Path recorded = Path.of(c.toString());
        Path beside = m.location().resolve(recorded.getFileName());
        return java.nio.file.Files.isDirectory(m.location())
                        && java.nio.file.Files.isRegularFile(beside)
                ? beside.toString()
                : recorded.toString();
    }

    /**
     * Checks that labelled images fit the model: same image shape and the same classes.
     *
     * @param m the model
     * @param set the images
     * @throws DataException naming the data and what differs
     */
    static void checkFits(LoadedModel m, ImageSet set) {
        ModelCard c = m.card();
        if (set.channels() != c.inChannels()
                || set.height() != c.imageSize()
                || set.width() != c.imageSize()) {
            throw new DataException(
                    set.source()
                            + " has "
                            + set.channels()
                            + "x"
                            + set.height()
                            + "x"
                            + set.width()
                            + " images but model '"
                            + c.model()
                            + "' of "
                            + checkpoint(m)
                            + " takes "
                            + c.inChannels()
                            + "x"
                            + c.imageSize()
                            + "x"
                            + c.imageSize());
        }
        if (!set.classes().equals(c.classes())) {
            throw new DataException(
                    set.source()
                            + " has the classes "
                            + set.classes()
                            + " but "
                            + checkpoint(m)
                            + " was trained on "
                            + c.classes());
        }
    }
}
