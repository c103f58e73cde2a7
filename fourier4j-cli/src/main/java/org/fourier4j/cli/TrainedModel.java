package org.fourier4j.cli;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fourier4j.data.ChannelStats;
import org.fourier4j.data.ImageSet;
import org.fourier4j.train.Checkpoint;
import org.fourier4j.train.CheckpointException;
import org.fourier4j.train.HostTensor;
import org.fourier4j.train.ModelFactory;
import org.fourier4j.train.TrainConfig;
import org.fourier4j.train.TrainData;
import org.fourier4j.train.TrainingState;

/**
 * A trained model restored from a checkpoint for evaluation or prediction: the model rebuilt from
 * the configuration saved in the checkpoint, its weights (the weight average when the checkpoint
 * has one, unless raw weights are asked for), the class names and the input normalisation of the
 * run.
 *
 * <p>Checkpoints written before class names and normalisation were recorded take them from the
 * run's training data ({@code dataset_path} of the saved configuration), which must then still be
 * there.
 */
final class TrainedModel implements AutoCloseable {

    /** Which checkpoint of a run directory to use. */
    enum Which {
        /** {@code best.ckpt} (the best validation top-1); {@code last.ckpt} if there is none. */
        BEST,
        /** {@code last.ckpt}. */
        LAST
    }

    final Path file;
    final TrainingState state;
    final TrainConfig config;
    final ModelFactory factory;
    final List<String> classes;
    final ChannelStats stats;
    final boolean ema;
    final NDManager manager;
    final Block block;
    final ParameterStore store;

    private TrainedModel(
            Path file,
            TrainingState state,
            TrainConfig config,
            ModelFactory factory,
            List<String> classes,
            ChannelStats stats,
            boolean ema,
            NDManager manager,
            Block block) {
        this.file = file;
        this.state = state;
        this.config = config;
        this.factory = factory;
        this.classes = classes;
        this.stats = stats;
        this.ema = ema;
        this.manager = manager;
        this.block = block;
        this.store = new ParameterStore(manager, false);
    }

    /**
     * The checkpoint file a command-line argument names.
     *
     * @param path a {@code .ckpt} file or a run directory
     * @param which for a run directory: best or last
     * @param err where to say that {@code last.ckpt} stands in for a missing {@code best.ckpt}
     * @return the file
     * @throws CheckpointException if there is no checkpoint there
     */
    static Path resolve(Path path, Which which, PrintStream err) {
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
        if (which == Which.LAST) {
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
            err.println(
                    "note: " + path + " has no best.ckpt (no epoch finished yet); using last.ckpt");
            return last;
        }
        throw new CheckpointException(
                "no checkpoint in " + path + " (best.ckpt and last.ckpt are missing)");
    }

    /**
     * Restores a model.
     *
     * @param file the checkpoint
     * @param preferEma use the weight average when the checkpoint has one
     * @param err where notes go
     * @return the model, ready for inference; close it to free its memory
     * @throws CheckpointException if the checkpoint is unreadable or does not fit the model its
     *     configuration describes (listing the mismatched parameters)
     */
    static TrainedModel load(Path file, boolean preferEma, PrintStream err) {
        Checkpoint.Loaded c = Checkpoint.read(file);
        TrainingState s = c.state();
        TrainConfig config =
                TrainConfig.defaults().with(c.state().config(), "in the checkpoint " + file);
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
        ModelFactory factory = ModelFactory.zoo(config);
        if (!factory.name().equals(s.model())) {
            throw new CheckpointException(
                    file
                            + " was written for model '"
                            + s.model()
                            + "' but its configuration names '"
                            + factory.name()
                            + "'");
        }
        long[] in = factory.inputShape().getShape();
        if (s.inputShape() != null && !Arrays.equals(in, s.inputShape())) {
            throw new CheckpointException(
                    file
                            + " was written for input "
                            + new Shape(s.inputShape())
                            + " but its configuration builds "
                            + factory.inputShape());
        }
        List<String> classes = s.classes();
        ChannelStats stats =
                s.normalizeMean() == null || s.normalizeStd() == null
                        ? null
                        : new ChannelStats(s.normalizeMean(), s.normalizeStd());
        if (classes == null || stats == null) {
            err.println(
                    "note: "
                            + file
                            + " does not record its class names and normalisation (an older"
                            + " checkpoint); reading them from the run's data "
                            + config.data().datasetPath());
            TrainData d = TrainData.load(config, factory.inputShape());
            classes = classes == null ? d.train().classes() : classes;
            stats = stats == null ? d.stats() : stats;
        }
        if (classes.size() != s.numClasses()) {
            throw new CheckpointException(
                    file
                            + " has "
                            + s.numClasses()
                            + " outputs but "
                            + classes.size()
                            + " class names");
        }
        NDManager manager = NDManager.newBaseManager();
        try {
            Block block = factory.newBlock();
            block.initialize(manager, DataType.FLOAT32, new Shape(1, in[0], in[1], in[2]));
            Checkpoint.checkFits(file, s.model(), c.params(), block, factory.name());
            boolean useEma = preferEma && !c.ema().isEmpty();
            Map<String, HostTensor> weights = useEma ? c.ema() : c.params();
            if (useEma) {
                Checkpoint.checkFits(file, s.model(), weights, block, factory.name());
            }
            Checkpoint.copyInto(weights, block);
            return new TrainedModel(
                    file, s, config, factory, classes, stats, useEma, manager, block);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Checks that labelled images fit the model: same image shape and the same classes.
     *
     * @param set the images
     * @throws org.fourier4j.data.DataException naming the data and what differs
     */
    void checkFits(ImageSet set) {
        long[] in = factory.inputShape().getShape();
        if (set.channels() != in[0] || set.height() != in[1] || set.width() != in[2]) {
            throw new org.fourier4j.data.DataException(
                    set.source()
                            + " has "
                            + set.channels()
                            + "x"
                            + set.height()
                            + "x"
                            + set.width()
                            + " images but model '"
                            + factory.name()
                            + "' of "
                            + file
                            + " takes "
                            + in[0]
                            + "x"
                            + in[1]
                            + "x"
                            + in[2]);
        }
        if (!set.classes().equals(classes)) {
            throw new org.fourier4j.data.DataException(
                    set.source()
                            + " has the classes "
                            + set.classes()
                            + " but "
                            + file
                            + " was trained on "
                            + classes);
        }
    }

    /**
     * @return "ema" or "raw"
     */
    String weightsName() {
        return ema ? "ema" : "raw";
    }

    @Override
    public void close() {
        manager.close();
    }
}
