package org.fourier4j.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fourier4j.data.ChannelStats;
import org.fourier4j.inference.LoadedModel;
import org.fourier4j.inference.ModelCard;
import org.fourier4j.inference.ModelDirectory;
import org.fourier4j.inference.ModelSource;
import org.fourier4j.inference.Preprocessing;
import org.fourier4j.models.ImageClassifier;
import org.fourier4j.models.ModelOptions;
import org.fourier4j.models.ModelZoo;

/**
 * Opens training runs and checkpoint files as models ({@link ModelDirectory#open} finds it through
 * {@link java.util.ServiceLoader}): a run directory's {@code best.ckpt} ({@code last.ckpt} when no
 * epoch has finished, or when {@link ModelDirectory.OpenOptions#preferBest()} is off) or a {@code
 * .ckpt} file. The model is rebuilt from the configuration saved in the checkpoint, with the weight
 * average when the checkpoint has one and {@link ModelDirectory.OpenOptions#preferEma()} is on.
 *
 * <p>This is how runs written before runs carried a {@code model.json} are read, and how any run is
 * read with other weights than its {@code model.json}'s. Checkpoints written before class names and
 * normalisation were recorded take them from the run's training data ({@code dataset_path} of the
 * saved configuration), which must then still be there. What the card's {@code source} records: the
 * run, the checkpoint, its epoch and step, and {@code notes} for the user (a stand-in checkpoint,
 * statistics read from the data).
 */
public final class TrainingRunSource implements ModelSource {

    /** Creates the source (for {@link java.util.ServiceLoader}). */
    public TrainingRunSource() {}

    @Override
    public boolean accepts(Path path) {
        if (Files.isRegularFile(path)) {
            return path.getFileName().toString().endsWith(".ckpt");
        }
        return Files.isRegularFile(path.resolve("config.json"))
                || Files.isRegularFile(path.resolve("last.ckpt"))
                || Files.isRegularFile(path.resolve("best.ckpt"));
    }

    @Override
    public LoadedModel open(Path path, ModelDirectory.OpenOptions options, NDManager manager) {
        List<String> notes = new ArrayList<>();
        Path file = checkpointFile(path, options.preferBest(), notes);
        Checkpoint.Loaded c = Checkpoint.read(file);
        TrainingState s = c.state();
        TrainConfig config = savedConfig(file, s);
        ModelOptions zoo = withOverrides(config.modelOptions(), options.overrides());
        ImageClassifier model;
        try {
            model = ModelZoo.create(s.model(), zoo);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(file + ": " + e.getMessage(), e);
        }
        Shape in = config.model().inputShape();
        if (s.inputShape() != null && !Arrays.equals(in.getShape(), s.inputShape())) {
            throw new CheckpointException(
                    file
                            + " was written for input "
                            + new Shape(s.inputShape())
                            + " but its configuration builds "
                            + in);
        }
        List<String> classes = s.classes();
        ChannelStats stats =
                s.normalizeMean() == null || s.normalizeStd() == null
                        ? null
                        : new ChannelStats(s.normalizeMean(), s.normalizeStd());
        if (classes == null || stats == null) {
            notes.add(
                    file
                            + " does not record its class names and normalisation (an older"
                            + " checkpoint); reading them from the run's data "
                            + config.data().datasetPath());
            TrainData d = TrainData.load(config, in);
            classes = classes == null ? d.train().classes() : classes;
            stats = stats == null ? d.stats() : stats;
        }
        if (classes.size() != s.numClasses()) {
            throw new CheckpointException(
                    file + " has " + s.numClasses() + " outputs but " + classes.size() + " names");
        }
        model.initialize(manager, DataType.FLOAT32, new Shape(1, in.get(0), in.get(1), in.get(2)));
        boolean ema = options.preferEma() && !c.ema().isEmpty();
        c = c.named(model);
        Checkpoint.checkFits(file, s.model(), c.params(), model, s.model());
        Map<String, HostTensor> weights = ema ? c.ema() : c.params();
        if (ema) {
            Checkpoint.checkFits(file, s.model(), weights, model, s.model());
        }
        Checkpoint.copyInto(weights, model);
        Map<String, Object> source = new LinkedHashMap<>();
        if (Files.isDirectory(path)) {
            source.put("run", path.toString());
        }
        source.put("checkpoint", file.toString());
        source.put("epochs_completed", s.progress().epochsCompleted());
        source.put("global_step", s.progress().globalStep());
        source.put("weights", ema ? "ema" : "raw");
        source.put("config", config.toMap());
        if (!notes.isEmpty()) {
            source.put("notes", notes);
        }
        ModelCard card =
                ModelCard.of(
                        s.model(),
                        zoo,
                        ModelCard.TRAINING,
                        Preprocessing.trained((int) in.get(1), stats.mean(), stats.std()),
                        classes,
                        source);
        return new LoadedModel(file, card, model, manager, ema ? "ema" : "raw");
    }

    /** The run's model options with the caller's overrides (how it computes) added. */
    private static ModelOptions withOverrides(ModelOptions o, Map<String, Object> extra) {
        if (extra.isEmpty()) {
            return o;
        }
        ModelOptions.Builder b =
                ModelOptions.builder()
                        .numClasses(o.numClasses())
                        .imageSize(o.imageSize())
                        .inChannels(o.inChannels())
                        .dropPathRate(o.dropPathRate());
        o.overrides().forEach(b::override);
        extra.forEach(b::override);
        return b.build();
    }

    /** The checkpoint a path names: a file as it is, a run's best (or last) checkpoint. */
    static Path checkpointFile(Path path, boolean preferBest, List<String> notes) {
        if (Files.isRegularFile(path)) {
            return path;
        }
        if (!Files.isDirectory(path)) {
            throw new CheckpointException(
                    "checkpoint not found: "
                            + path
                            + " does not exist (give a run directory or a .ckpt file)");
        }
        Path best = path.resolve("best.ckpt");
        Path last = path.resolve("last.ckpt");
        if (!preferBest) {
            if (!Files.isRegularFile(last)) {
                throw new CheckpointException(
                        "no checkpoint in " + path + ": " + last + " is missing");
            }
            return last;
        }
        if (Files.isRegularFile(best)) {
            return best;
        }
        if (Files.isRegularFile(last)) {
            notes.add(path + " has no best.ckpt (no epoch finished yet); using last.ckpt");
            return last;
        }
        throw new CheckpointException(
                "no checkpoint in " + path + " (best.ckpt and last.ckpt are missing)");
    }

    /** The configuration saved in a checkpoint, with what older ones left out filled in. */
    private static TrainConfig savedConfig(Path file, TrainingState s) {
        TrainConfig config = TrainConfig.defaults().with(s.config(), "in the checkpoint " + file);
        Map<String, Object> fill = new LinkedHashMap<>();
        if (config.modelName() == null) {
            fill.put("model", s.model());
        }
        if (config.model().numClasses() == null) {
            fill.put("num_classes", s.numClasses());
        }
        if (config.model().imgSize() == null
                && s.inputShape() != null
                && s.inputShape().length == 3) {
            fill.put("img_size", List.of(s.inputShape()[1], s.inputShape()[2]));
        }
        if (!fill.isEmpty()) {
            config = config.with(fill, "(from the checkpoint " + file + ")");
        }
        if (!s.model().equals(config.modelName())) {
            throw new CheckpointException(
                    file
                            + " was written for model '"
                            + s.model()
                            + "' but its configuration names '"
                            + config.modelName()
                            + "'");
        }
        return config;
    }
}
