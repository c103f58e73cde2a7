package org.fourier4j.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.function.LongSupplier;
import org.fourier4j.data.BatchLoader;
import org.fourier4j.data.HostBatch;
import org.fourier4j.data.Rngs;
import org.fourier4j.fft.EngineArrays;
import org.fourier4j.files.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The epochs and steps of a {@link TrainingRun}. Per optimiser step: {@code accum_steps}
 * micro-batches, each in its own NDManager scope, with forward, soft-target cross-entropy,
 * non-finite check and backward of {@code loss / accum}; then the global gradient norm (checked,
 * clipped when {@code clip_grad_norm > 0}), the optimiser step at the schedule's learning rate (and
 * momentum), the EMA update. At the end of every epoch: evaluation (with the EMA weights when EMA
 * is on), a metrics row and the checkpoints ({@link RunCheckpoints}). The counters live in one
 * {@link RunProgress}, which checkpoints record as it is; the clock's part is the {@link
 * TimeBudget}.
 */
final class TrainingLoop {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingLoop.class);

    /** What the loop trains: the model, its optimiser, loaders and schedule. */
    record Session(
            Engine engine,
            NDManager root,
            Block block,
            ParameterStore store,
            List<TrainableParameter> params,
            ParamOptimizer opt,
            Ema ema,
            LrSchedule schedule,
            BatchLoader trainLoader,
            BatchLoader valLoader,
            int microBatches,
            int stepsPerEpoch,
            long parameterCount) {}

    /** Why the loop ended. */
    enum End {
        EPOCHS("epochs"),
        MAX_STEPS("max_steps"),
        TIME_BUDGET("time_budget");

        final String key;

        End(String key) {
            this.key = key;
        }
    }

    private final TrainConfig config;
    private final TrainData data;
    private final RunDirectory dir;
    private final Session s;
    private final RunCheckpoints checkpoints;
    private final TimeBudget budget;
    private final LongSupplier clock;
    private final TrainProgress progress;
    private final RunOutcome outcome;
    private RunProgress p = new RunProgress();
    // this process only: throughput, the last evaluation, the last checkpoint and its cost
    private long processImages;
    private double processSeconds;
    private EvalResult lastEval;
    private double lastSaveSeconds;
    private String lastCheckpoint;

    /**
     * @param session what is trained
     * @param checkpoints the run's checkpoints, which hold its configuration, data and directory
     * @param budget the run's time budget
     * @param clock nanoseconds
     * @param progress where progress is shown
     */
    TrainingLoop(
            Session session,
            RunCheckpoints checkpoints,
            TimeBudget budget,
            LongSupplier clock,
            TrainProgress progress) {
        this.config = checkpoints.config();
        this.data = checkpoints.data();
        this.dir = checkpoints.dir();
        this.s = session;
        this.checkpoints = checkpoints;
        this.budget = budget;
        this.clock = clock;
        this.progress = progress;
        this.outcome = new RunOutcome(config, data, dir, checkpoints.modelName());
    }

    private long now() {
        return clock.getAsLong();
    }

    /**
     * Trains from the start, or from {@code last.ckpt} when resuming, to the end of the run.
     *
     * @param resume continue the checkpoint of the run directory
     * @param started when the run started ({@link #clock} time)
     * @return the outcome
     */
    TrainSummary train(boolean resume, long started) throws IOException {
        if (resume) {
            p = checkpoints.restore(s);
            budget.resumeAfter(p.elapsedSeconds);
            lastCheckpoint = p.position();
            LOG.info("resumed {} at {}", dir.path(), lastCheckpoint);
            AtomicFiles.deleteStaleTemporaries(dir.path());
            dir.writeConfig(config);
            dir.truncateMetrics(p.epochsCompleted);
        } else {
            dir.create();
            dir.writeConfig(config);
            dir.initMetrics();
        }
        LOG.info(
                "training {} ({} parameters) on {} images, validating on {}; {} steps per epoch;"
                        + " {}",
                checkpoints.modelName(),
                s.parameterCount(),
                data.train().size(),
                data.val() == null ? "nothing" : data.val().size() + " images",
                s.stepsPerEpoch(),
                s.schedule().describe()
                        + (budget.isOn()
                                ? "; time budget "
                                        + config.run().timeBudgetMinutes()
                                        + " min (the schedule follows the clock when it is ahead"
                                        + " of the steps)"
                                : ""));
        int epochs = config.run().epochs();
        int maxSteps = config.run().maxSteps();
        for (int epoch = p.epochsCompleted; epoch < epochs; epoch++) {
            long epochStart = now();
            double secondsBefore = p.epochTrainSeconds;
            End end = trainEpoch(epoch, maxSteps);
            progress.close();
            if (end == End.MAX_STEPS) {
                saveLast();
                return finish("stopped", end, started);
            }
            if (end == End.TIME_BUDGET) {
                if (p.epochSeen
                        > 0) { // the partial epoch is validated and recorded like a whole one
                    LOG.info(
                            "time budget of {} min: epoch {} ends after {} of {} steps",
                            config.run().timeBudgetMinutes(),
                            epoch + 1,
                            p.stepInEpoch,
                            s.stepsPerEpoch());
                    endEpoch(epoch, secondsBefore, epochStart);
                }
                return finish("completed", end, started);
            }
            endEpoch(epoch, secondsBefore, epochStart);
            if (maxSteps > 0 && p.globalStep >= maxSteps && epoch + 1 < epochs) {
                return finish("stopped", End.MAX_STEPS, started);
            }
        }
        return finish("completed", End.EPOCHS, started);
    }

    /**
     * The time to keep for the final validation and checkpoint: as long as the last ones took
     * (before the first validation, half a training step per validation image: inference alone
     * costs about a third).
     */
    private double endReserveSeconds() {
        double eval = p.lastEvalSeconds;
        if (eval == 0 && s.valLoader() != null && p.epochSeen > 0) {
            eval = data.val().size() * 0.5 * p.epochTrainSeconds / p.epochSeen;
        }
        return TimeBudget.endReserveSeconds(eval, lastSaveSeconds);
    }

    /**
     * Trains the rest of an epoch.
     *
     * @return {@link End#EPOCHS} at the end of the epoch, or what stopped the run inside it
     */
    private End trainEpoch(int epoch, int maxSteps) throws IOException {
        int accum = config.optimisation().accumSteps();
        int every = config.run().checkpointEverySteps();
        double clip = config.optimisation().clipGradNorm();
        int stepsPerEpoch = s.stepsPerEpoch();
        double secondsBefore = p.epochTrainSeconds;
        long seenBefore = p.epochSeen;
        progress.start(
                "epoch " + (epoch + 1) + "/" + config.run().epochs(), stepsPerEpoch, p.stepInEpoch);
        try (BatchLoader.EpochIterator it = s.trainLoader().epoch(epoch, p.stepInEpoch * accum)) {
            long t0 = now();
            while (p.stepInEpoch < stepsPerEpoch) {
                if (budget.spent(p.lastStepSeconds, endReserveSeconds())) {
                    return End.TIME_BUDGET;
                }
                long stepStart = now();
                int first = p.stepInEpoch * accum;
                int group = Math.min(accum, s.microBatches() - first);
                for (int j = 0; j < group; j++) {
                    trainMicroBatch(it.next(), epoch, first + j, group);
                }
                double norm = Gradients.globalNorm(s.params(), s.root());
                if (!Double.isFinite(norm)) {
                    throw nonFinite("gradient norm", norm, epoch);
                }
                if (clip > 0) {
                    Gradients.clip(s.params(), norm, clip, s.root());
                }
                long position =
                        budget.scheduleStep(
                                p.globalStep, s.schedule().totalSteps(), endReserveSeconds());
                double lr = s.schedule().lr(position);
                s.opt().step(lr, s.schedule().momentum(position));
                if (s.ema() != null) {
                    s.ema().update();
                }
                p.lastLr = lr;
                p.globalStep++;
                p.stepInEpoch++;
                double seconds = (now() - t0) / 1e9;
                p.epochTrainSeconds = secondsBefore + seconds;
                p.lastStepSeconds = (now() - stepStart) / 1e9;
                progress.update(
                        p.stepInEpoch,
                        p.epochLoss(),
                        p.epochAccuracy(),
                        (p.epochSeen - seenBefore) / Math.max(1e-9, seconds));
                if (maxSteps > 0 && p.globalStep >= maxSteps && p.stepInEpoch < stepsPerEpoch) {
                    return End.MAX_STEPS;
                }
                if (every > 0 && p.globalStep % every == 0 && p.stepInEpoch < stepsPerEpoch) {
                    saveLast();
                }
            }
        } finally {
            processImages += p.epochSeen - seenBefore;
            processSeconds += p.epochTrainSeconds - secondsBefore;
        }
        return End.EPOCHS;
    }

    /** Evaluates, logs the epoch, checkpoints. */
    private void endEpoch(int epoch, double secondsBefore, long epochStart) throws IOException {
        double trainLoss = p.epochLoss();
        double trainAcc = p.epochAccuracy();
        double imagesPerSecond = p.epochSeen / Math.max(1e-9, p.epochTrainSeconds);
        long evalStart = now();
        EvalResult ev = s.valLoader() == null ? null : evaluate();
        if (ev != null) {
            lastEval = ev;
            p.lastEvalSeconds = (now() - evalStart) / 1e9;
        }
        double total = secondsBefore + (now() - epochStart) / 1e9;
        dir.appendMetrics(
                new EpochMetrics(
                        epoch + 1,
                        p.globalStep,
                        p.lastLr,
                        trainLoss,
                        trainAcc,
                        ev == null ? null : ev.loss(),
                        ev == null ? null : ev.top1(),
                        ev == null ? null : ev.top5(),
                        imagesPerSecond,
                        total));
        boolean best = p.endEpoch(epoch, ev == null ? null : ev.top1());
        saveLast();
        if (best) {
            checkpoints.saveBest(p, s);
        }
        if (ev != null) {
            dir.writeText("confusion_matrix.csv", ev.confusionCsv());
        }
        LOG.info(
                "epoch {}/{}: train loss {} acc {}, val {}, {} img/s, {} s",
                epoch + 1,
                config.run().epochs(),
                String.format("%.4f", trainLoss),
                String.format("%.3f", trainAcc),
                ev == null
                        ? "-"
                        : String.format(
                                "loss %.4f top-1 %.3f top-5 %.3f", ev.loss(), ev.top1(), ev.top5()),
                String.format("%.0f", imagesPerSecond),
                String.format("%.1f", total));
    }

    /** Evaluates on the validation set, with the weight average when EMA is on. */
    private EvalResult evaluate() {
        if (s.ema() == null) {
            return Evaluator.evaluate(s.block(), s.store(), s.valLoader(), s.root());
        }
        try (Ema.Swap swap = s.ema().swapIn()) {
            return Evaluator.evaluate(s.block(), s.store(), s.valLoader(), s.root());
        }
    }

    private void trainMicroBatch(HostBatch hb, int epoch, int microIndex, int group) {
        s.engine()
                .setRandomSeed(
                        (int) Rngs.derive(config.run().seed(), Rngs.ENGINE, epoch, microIndex));
        try (NDManager scope = s.root().newSubManager()) {
            NDArray x = hb.inputs(scope);
            NDArray targets = hb.targetArray(scope);
            NDArray logits;
            float loss;
            try (GradientCollector gc = s.engine().newGradientCollector()) {
                logits = s.block().forward(s.store(), new NDList(x), true).singletonOrThrow();
                NDArray l = SoftTargetCrossEntropy.mean(logits, targets);
                loss = l.getFloat();
                if (!Float.isFinite(loss)) {
                    throw nonFinite("loss", loss, epoch);
                }
                // an engine scalar: a Java number would be freed before backward reads it
                gc.backward(group == 1 ? l : l.mul(EngineArrays.scalar(l, 1.0 / group)));
            }
            long[] pred = logits.argMax(1).toLongArray();
            int correct = 0;
            for (int i = 0; i < hb.size(); i++) {
                if (pred[i] == hb.labels()[i]) {
                    correct++;
                }
            }
            p.count((double) loss * hb.size(), correct, hb.size());
        }
    }

    private void saveLast() throws IOException {
        long start = now();
        p.elapsedSeconds = budget.elapsedSeconds();
        checkpoints.saveLast(p, s);
        lastCheckpoint = p.position();
        lastSaveSeconds = (now() - start) / 1e9;
    }

    private NonFiniteLossException nonFinite(String what, double value, int epoch) {
        String msg =
                String.format(
                        "non-finite %s (%s) at epoch %d, step %d of %d (global step %d): training"
                                + " stopped. %s",
                        what,
                        value,
                        epoch + 1,
                        p.stepInEpoch + 1,
                        s.stepsPerEpoch(),
                        p.globalStep + 1,
                        lastCheckpoint == null
                                ? (Files.exists(dir.lastCheckpoint())
                                        ? "The last good checkpoint, left untouched, is "
                                                + dir.lastCheckpoint()
                                        : "No checkpoint had been written yet.")
                                : "The last good checkpoint, left untouched, is "
                                        + dir.lastCheckpoint()
                                        + " ("
                                        + lastCheckpoint
                                        + ").");
        progress.close();
        outcome.failed(msg, p);
        LOG.error(msg);
        return new NonFiniteLossException(msg, p.globalStep + 1);
    }

    private TrainSummary finish(String status, End end, long started) throws IOException {
        double seconds = (now() - started) / 1e9;
        double imagesPerSecond = processSeconds > 0 ? processImages / processSeconds : Double.NaN;
        return outcome.write(
                status,
                end.key,
                p,
                lastEval,
                imagesPerSecond,
                seconds,
                budget.elapsedSeconds(),
                s.parameterCount());
    }
}
