package org.fourier4j.train;

import java.io.IOException;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.fourier4j.files.AtomicFiles;
import org.fourier4j.inference.ModelCard;
import org.fourier4j.inference.ModelDirectory;
import org.fourier4j.inference.Preprocessing;
import org.fourier4j.models.ImageClassifier;

/**
 * The checkpoints of a run: {@code last.ckpt} with the run's {@link TrainingState} (its {@link
 * RunProgress} as it is), {@code best.ckpt} as a copy of it, and at every {@code best.ckpt} the run
 * directory's model files ({@code model.json}, {@code model.safetensors} with the weights {@code
 * eval} and {@code predict} use, the weight average when EMA is on, and {@code
 * serving.properties}), so that a run directory is a model directory. Restoring checks the
 * checkpoint against the model, optimiser, weight average and data before anything is copied.
 */
record RunCheckpoints(TrainConfig config, ModelFactory model, TrainData data, RunDirectory dir) {

    /**
     * @return the model's name
     */
    String modelName() {
        return model.name();
    }

    private TrainingState state(RunProgress p, TrainingLoop.Session s) {
        return new TrainingState(
                Checkpoint.FORMAT,
                Checkpoint.VERSION,
                model.name(),
                model.inputShape().getShape(),
                data.train().numClasses(),
                data.train().classes(),
                p,
                config.optimisation().accumSteps(),
                config.run().seed(),
                TrainingState.RANDOM_STATE,
                s.opt().name(),
                s.opt().steps(),
                config.optimisation().schedule().name().toLowerCase(Locale.ROOT),
                s.ema() == null ? 0 : s.ema().updates(),
                TrainData.fingerprint(data.train()),
                TrainData.fingerprint(data.val()),
                data.stats().mean(),
                data.stats().std(),
                Checkpoint.parameterTable(s.block()),
                config.toMap(),
                OffsetDateTime.now().toString());
    }

    /** Writes {@code last.ckpt}. */
    void saveLast(RunProgress p, TrainingLoop.Session s) throws IOException {
        Checkpoint.write(
                dir.lastCheckpoint(),
                state(p, s),
                Checkpoint.parameterTensors(s.block()),
                s.opt().stateTensors(),
                s.ema() == null ? null : s.ema().tensors());
    }

    /**
     * Makes {@code last.ckpt} the best one: copies it to {@code best.ckpt} and, for a zoo model,
     * writes the run directory's model files from it.
     */
    void saveBest(RunProgress p, TrainingLoop.Session s) throws IOException {
        AtomicFiles.copy(dir.lastCheckpoint(), dir.bestCheckpoint());
        if (!(s.block() instanceof ImageClassifier classifier) || !config.model().isZooModel()) {
            return; // a model of the caller's own: no card can rebuild it
        }
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("run", dir.path().toString());
        source.put("checkpoint", dir.bestCheckpoint().toString());
        source.put("epochs_completed", p.epochsCompleted);
        source.put("global_step", p.globalStep);
        source.put("weights", s.ema() == null ? "raw" : "ema");
        source.put("config", config.toMap());
        int size = (int) model.inputShape().get(1);
        ModelCard card =
                ModelCard.of(
                        model.name(),
                        config.modelOptions(),
                        ModelCard.TRAINING,
                        Preprocessing.trained(size, data.stats().mean(), data.stats().std()),
                        data.train().classes(),
                        source);
        if (s.ema() == null) {
            ModelDirectory.writeInto(dir.path(), card, classifier);
        } else {
            try (Ema.Swap swap = s.ema().swapIn()) {
                ModelDirectory.writeInto(dir.path(), card, classifier);
            }
        }
    }

    /**
     * Restores the model, optimiser and weight average from {@code last.ckpt}.
     *
     * @param s the session, initialised
     * @return the run's counters as the checkpoint saved them
     * @throws CheckpointException if the checkpoint does not fit the model, optimiser, weight
     *     average or data (nothing is copied then)
     */
    RunProgress restore(TrainingLoop.Session s) {
        Path file = dir.lastCheckpoint();
        Checkpoint.Loaded c = Checkpoint.read(file);
        Checkpoint.checkModel(c, s.block(), model.name());
        c = c.named(s.block());
        TrainingState saved = c.state();
        Checkpoint.checkFits(file, saved.model(), c.params(), s.block(), model.name());
        ParamOptimizer opt = s.opt();
        if (!saved.optimizer().equals(opt.name())) {
            throw new CheckpointException(
                    file + " holds " + saved.optimizer() + " state, the run uses " + opt.name());
        }
        if (saved.trainFingerprint() != TrainData.fingerprint(data.train())
                || saved.valFingerprint() != TrainData.fingerprint(data.val())) {
            throw new CheckpointException(
                    file
                            + " was written with other data: the training or validation images of "
                            + config.data().datasetPath()
                            + " differ from the checkpoint's");
        }
        Ema ema = s.ema();
        if ((ema != null) != !c.ema().isEmpty()) {
            throw new CheckpointException(
                    file
                            + (ema == null
                                    ? " has a weight average but ema_decay is 0"
                                    : " has no weight average but ema_decay is set"));
        }
        Checkpoint.copyInto(c.params(), s.block());
        opt.restore(c.optimizer(), saved.optimizerSteps(), file.toString());
        if (ema != null) {
            ema.restore(c.ema(), saved.emaUpdates(), file.toString());
        }
        return saved.progress();
    }
}
