package org.fourier4j.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.fourier4j.data.Augmentation;
import org.fourier4j.data.BatchLoader;
import org.fourier4j.data.HostBatch;
import org.fourier4j.data.Rngs;
import org.fourier4j.fft.EngineArrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A training run: a manual loop over a DJL {@link Block} (no {@code Trainer}/{@code EasyTrain}).
 *
 * <p>Per optimiser step: {@code accum_steps} micro-batches, each in its own NDManager scope, with
 * forward, soft-target cross-entropy (label smoothing and mixup/cutmix live in the targets),
 * non-finite check and backward of {@code loss / accum}; then the global gradient norm (checked for
 * finiteness, clipped when {@code clip_grad_norm > 0}), the optimiser step at the schedule's
 * learning rate (and momentum), the EMA update. At the end of every epoch: evaluation (with the EMA
 * weights when EMA is on), a metrics row, {@code last.ckpt}, and {@code best.ckpt} when top-1
 * improved. With {@code checkpoint_every_steps} also within epochs.
 *
 * <p>Reproducibility: weights are initialised from the seed, and every random draw afterwards is a
 * function of {@code (seed, epoch, position)} (see {@link Rngs}; the engine's generator, used by
 * dropout, is reseeded before every micro-batch). A run resumed from any checkpoint therefore
 * reaches the same parameters as an uninterrupted run (same machine, same thread count).
 *
 * <p>With {@code time_budget_minutes} the run ends within that wall time, validation included: the
 * schedule is evaluated at the larger of the step fraction and the time fraction of the budget
 * (both rise continuously, so the learning rate does too), and the run stops at the step after
 * which the final validation and checkpoint would no longer fit, validating the partial epoch. Such
 * a run follows the clock, so it is not reproducible bit for bit; the time used is checkpointed and
 * counted again after {@code --resume}.
 *
 * <p>A non-finite loss or gradient norm stops the run with a {@link NonFiniteLossException} naming
 * the step; no checkpoint is written after it, so {@code last.ckpt} stays the last good one.
 */
public final class TrainingRun {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingRun.class);

    private final TrainConfig config;
    private final ModelFactory model;
    private final TrainData data;
    private final RunDirectory dir;
    private final boolean resume;
    private TrainProgress progress;
    private TrainProgress display;
    private LongSupplier clock = System::nanoTime;

    private TrainingRun(
            TrainConfig config,
            ModelFactory model,
            TrainData data,
            RunDirectory dir,
            boolean resume) {
        this.config = config;
        this.model = model;
        this.data = data;
        this.dir = dir;
        this.resume = resume;
    }

    /**
     * Prepares a new run: checks the configuration against the model, loads the data and checks it
     * against the model, and checks that the run directory ({@code save_dir/run_name}) is unused
     * (not existing, or empty). Nothing is written yet: {@link #run()} creates the directory and
     * saves the resolved {@code config.json} once the model has been built and checked.
     *
     * @param config the configuration
     * @param model the model
     * @param data the data, or null to load what the configuration names
     * @return the run, ready for {@link #run()}
     */
    public static TrainingRun start(TrainConfig config, ModelFactory model, TrainData data) {
        config = withModelName(config, model);
        TrainData d = data != null ? data : TrainData.load(config, model.inputShape());
        String name = config.run().runName();
        if (name == null) {
            name =
                    model.name()
                            + "-"
                            + LocalDateTime.now()
                                    .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
            config = config.with(Map.of("run_name", name), "(generated)");
        }
        RunDirectory dir = RunDirectory.forNewRun(Path.of(config.run().saveDir(), name));
        TrainingRun run = new TrainingRun(config, model, d, dir, false);
        run.checkDataFitsModel(model.inputShape());
        return run;
    }

    /**
     * Prepares to resume a run from its {@code last.ckpt}, with the configuration saved in the run
     * directory. Only {@link TrainConfig#resumableKeys()} may be overridden (a changed learning
     * rate, batch size or number of epochs would not continue the same run). Nothing is written
     * until {@link #run()} has checked the checkpoint against the model and the data; then stale
     * temporary files of a crashed write are removed and {@code config.json} is updated with the
     * overrides. The run directory is locked at once (until {@link #run()} ends): a directory
     * another live training process uses is refused, naming that process.
     *
     * @param runDirectory the run directory
     * @param model the model (must be the checkpoint's)
     * @param overrides key to value text, as on the command line
     * @param data the data, or null to load what the configuration names
     * @return the run, ready for {@link #run()}
     */
    public static TrainingRun resume(
            Path runDirectory, ModelFactory model, Map<String, String> overrides, TrainData data) {
        RunDirectory dir = RunDirectory.open(runDirectory);
        try {
            dir.lock(); // at once: a second process is refused before any data is loaded
            return resume(dir, runDirectory, model, overrides, data);
        } catch (IOException e) {
            dir.unlock();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            dir.unlock();
            throw e;
        }
    }

    private static TrainingRun resume(
            RunDirectory dir,
            Path runDirectory,
            ModelFactory model,
            Map<String, String> overrides,
            TrainData data) {
        TrainConfig saved =
                TrainConfig.defaults()
                        .with(TrainConfig.readFile(dir.config()), "in " + dir.config());
        TrainConfig config = saved;
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            config = config.override(e.getKey(), e.getValue());
        }
        for (String k : saved.differences(config)) {
            if (!TrainConfig.resumableKeys().contains(k)) {
                throw new ConfigException(
                        "cannot change "
                                + k
                                + " when resuming "
                                + runDirectory
                                + " (saved "
                                + saved.toMap().get(k)
                                + ", given "
                                + config.toMap().get(k)
                                + "): start a new run instead");
            }
        }
        if (!Files.isRegularFile(dir.lastCheckpoint())) {
            throw new CheckpointException(
                    "run "
                            + runDirectory
                            + " has no checkpoint to resume from ("
                            + dir.lastCheckpoint()
                            + " is missing)");
        }
        config = withModelName(config, model);
        TrainData d = data != null ? data : TrainData.load(config, model.inputShape());
        TrainingRun run = new TrainingRun(config, model, d, dir, true);
        run.checkDataFitsModel(model.inputShape());
        return run;
    }

    private static TrainConfig withModelName(TrainConfig config, ModelFactory model) {
        String configured = config.modelName();
        if (configured == null) {
            return config.with(Map.of("model", model.name()), "(from the model)");
        }
        if (!configured.equals(model.name())) {
            throw new ConfigException(
                    "model '"
                            + configured
                            + "' is configured, but the run was given model '"
                            + model.name()
                            + "'");
        }
        return config;
    }

    /**
     * Replaces the clock the run measures time with (tests of the time budget).
     *
     * @param nanoClock nanoseconds, like {@link System#nanoTime()}
     * @return this run
     */
    TrainingRun withClock(LongSupplier nanoClock) {
        this.clock = nanoClock;
        return this;
    }

    /**
     * Sets the progress display used when the configuration's {@code progress} is true (by default:
     * a bar when stderr is a terminal, else lines).
     *
     * @param display the display, closed at the end of each epoch
     * @return this run
     */
    public TrainingRun withProgress(TrainProgress display) {
        this.display = display;
        return this;
    }

    private long now() {
        return clock.getAsLong();
    }

    /**
     * @return the run directory
     */
    public RunDirectory directory() {
        return dir;
    }

    /**
     * @return the resolved configuration
     */
    public TrainConfig config() {
        return config;
    }

    /**
     * @return the data
     */
    public TrainData data() {
        return data;
    }

    /** Mutable progress of the run (what a checkpoint records, plus this process's totals). */
    private static final class State {
        int epochsCompleted;
        int stepInEpoch;
        long globalStep;
        double lastLr;
        double lossSum;
        long correct;
        long seen;
        double trainSeconds;
        int bestEpoch;
        double bestTop1 = -1;
        String lastCheckpoint;
        // wall time of the run in earlier processes, and this process's start
        double elapsedBefore;
        long processStart;
        // what the time budget keeps for the next step and the final validation (checkpointed)
        double lastStepSeconds;
        double lastEvalSeconds;
        // not checkpointed: this process's throughput, last evaluation, last checkpoint's cost
        long processImages;
        double processSeconds;
        EvalResult lastEval;
        double lastSaveSeconds;
    }

    /** Why the training loop ended. */
    private enum End {
        EPOCHS("epochs"),
        MAX_STEPS("max_steps"),
        TIME_BUDGET("time_budget");

        final String key;

        End(String key) {
            this.key = key;
        }
    }

    /** What {@link #run()} builds: the model, its optimiser, loaders and schedule. */
    private record Session(
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

    /**
     * Trains to the end (or to {@code max_steps}).
     *
     * @return the outcome
     * @throws NonFiniteLossException if the loss or gradient norm becomes non-finite
     * @throws CheckpointException if the checkpoint to resume from does not fit
     */
    public TrainSummary run() {
        long started = now();
        long seed = config.run().seed();
        int workers = config.data().numWorkers();
        int prefetch = config.data().prefetch();
        int batch = config.data().batchSize();
        int evalBatch = config.data().evalBatch();
        double emaDecay = config.optimisation().emaDecay();
        progress =
                !config.run().progress()
                        ? TrainProgress.none()
                        : display != null ? display : TrainProgress.of(TrainProgress.Mode.AUTO);
        try (NDManager root = NDManager.newBaseManager();
                BatchLoader trainLoader =
                        new BatchLoader(
                                data.train(),
                                data.stats(),
                                config.augmentation().augmentation(),
                                new BatchLoader.Options(
                                        batch, true, true, workers, prefetch, seed));
                BatchLoader valLoader =
                        data.val() == null
                                ? null
                                : new BatchLoader(
                                        data.val(),
                                        data.stats(),
                                        Augmentation.none(),
                                        new BatchLoader.Options(
                                                evalBatch, false, false, workers, prefetch,
                                                seed))) {
            Engine engine = Engine.getInstance();
            Shape in = model.inputShape();
            Block block = model.newBlock();
            engine.setRandomSeed((int) Rngs.derive(seed, Rngs.INIT));
            Shape batchShape = new Shape(1, in.get(0), in.get(1), in.get(2));
            block.initialize(root, DataType.FLOAT32, batchShape);
            checkOutputs(block, batchShape);
            List<TrainableParameter> params =
                    TrainableParameter.of(block, config.optimisation().noDecayKeywords());
            int accum = config.optimisation().accumSteps();
            int micro = trainLoader.batchesPerEpoch();
            int stepsPerEpoch = (micro + accum - 1) / accum;
            long parameterCount = 0;
            for (TrainableParameter p : params) {
                parameterCount += p.array().size();
            }
            try (ParamOptimizer opt = ParamOptimizer.fromConfig(config, params, root);
                    Ema ema = emaDecay > 0 ? new Ema(block, emaDecay, root) : null) {
                Session s =
                        new Session(
                                engine,
                                root,
                                block,
                                new ParameterStore(root, false),
                                params,
                                opt,
                                ema,
                                LrSchedule.fromConfig(config, stepsPerEpoch),
                                trainLoader,
                                valLoader,
                                micro,
                                stepsPerEpoch,
                                parameterCount);
                return train(s, started);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            progress.close();
            dir.unlock();
        }
    }

    private TrainSummary train(Session s, long started) throws IOException {
        State st = new State();
        st.processStart = started;
        if (resume) {
            restore(st, s);
            AtomicFiles.deleteStaleTemporaries(dir.path());
            dir.writeConfig(config);
            dir.truncateMetrics(st.epochsCompleted);
        } else {
            dir.create();
            dir.writeConfig(config);
            dir.initMetrics();
        }
        LOG.info(
                "training {} ({} parameters) on {} images, validating on {}; {} steps per epoch;"
                        + " {}",
                model.name(),
                s.parameterCount(),
                data.train().size(),
                data.val() == null ? "nothing" : data.val().size() + " images",
                s.stepsPerEpoch(),
                s.schedule().describe()
                        + (budgetSeconds() > 0
                                ? "; time budget "
                                        + config.run().timeBudgetMinutes()
                                        + " min (the schedule follows the clock when it is ahead"
                                        + " of the steps)"
                                : ""));
        int epochs = config.run().epochs();
        int maxSteps = config.run().maxSteps();
        for (int epoch = st.epochsCompleted; epoch < epochs; epoch++) {
            long epochStart = now();
            double secondsBefore = st.trainSeconds;
            End end = trainEpoch(s, st, epoch, maxSteps);
            progress.close();
            if (end == End.MAX_STEPS) {
                saveLast(st, s);
                return finish("stopped", end, st, started, s.parameterCount());
            }
            if (end == End.TIME_BUDGET) {
                if (st.seen > 0) { // the partial epoch is validated and recorded like a whole one
                    LOG.info(
                            "time budget of {} min: epoch {} ends after {} of {} steps",
                            config.run().timeBudgetMinutes(),
                            epoch + 1,
                            st.stepInEpoch,
                            s.stepsPerEpoch());
                    endEpoch(s, st, epoch, secondsBefore, epochStart);
                }
                return finish("completed", end, st, started, s.parameterCount());
            }
            endEpoch(s, st, epoch, secondsBefore, epochStart);
            if (maxSteps > 0 && st.globalStep >= maxSteps && epoch + 1 < epochs) {
                return finish("stopped", End.MAX_STEPS, st, started, s.parameterCount());
            }
        }
        return finish("completed", End.EPOCHS, st, started, s.parameterCount());
    }

    /** Wall time of the run so far, earlier processes included. */
    private double elapsedSeconds(State st) {
        return st.elapsedBefore + (now() - st.processStart) / 1e9;
    }

    private double budgetSeconds() {
        return config.run().timeBudgetMinutes() * 60;
    }

    /**
     * The time to keep for the end of the run: the final validation and checkpoint, as long as the
     * last ones took (before the first validation, half a training step per validation image:
     * inference alone costs about a third), with a quarter and a second to spare.
     */
    private double endReserveSeconds(Session s, State st) {
        double eval = st.lastEvalSeconds;
        if (eval == 0 && s.valLoader() != null && st.seen > 0) {
            eval = data.val().size() * 0.5 * st.trainSeconds / st.seen;
        }
        return 1.25 * (eval + st.lastSaveSeconds) + 1;
    }

    /**
     * The schedule position of the next step: the step itself, or with a time budget the step at
     * the budget's elapsed fraction when that is further (the budget net of the end reserve).
     */
    private long scheduleStep(Session s, State st) {
        if (budgetSeconds() <= 0) {
            return st.globalStep;
        }
        long total = s.schedule().totalSteps();
        double usable = Math.max(1e-9, budgetSeconds() - endReserveSeconds(s, st));
        long byTime = (long) Math.floor(Math.min(1, elapsedSeconds(st) / usable) * total);
        return Math.min(total - 1, Math.max(st.globalStep, byTime));
    }

    /**
     * Whether one more step, then the final validation and checkpoint, would overrun the budget.
     */
    private boolean budgetSpent(Session s, State st) {
        return budgetSeconds() > 0
                && elapsedSeconds(st) + st.lastStepSeconds + endReserveSeconds(s, st)
                        > budgetSeconds();
    }

    /**
     * Trains the rest of an epoch.
     *
     * @return {@link End#EPOCHS} at the end of the epoch, or what stopped the run inside it
     */
    private End trainEpoch(Session s, State st, int epoch, int maxSteps) throws IOException {
        int accum = config.optimisation().accumSteps();
        int every = config.run().checkpointEverySteps();
        double clip = config.optimisation().clipGradNorm();
        int stepsPerEpoch = s.stepsPerEpoch();
        double secondsBefore = st.trainSeconds;
        long seenBefore = st.seen;
        progress.start(
                "epoch " + (epoch + 1) + "/" + config.run().epochs(),
                stepsPerEpoch,
                st.stepInEpoch);
        try (BatchLoader.EpochIterator it = s.trainLoader().epoch(epoch, st.stepInEpoch * accum)) {
            long t0 = now();
            while (st.stepInEpoch < stepsPerEpoch) {
                if (budgetSpent(s, st)) {
                    return End.TIME_BUDGET;
                }
                long stepStart = now();
                int first = st.stepInEpoch * accum;
                int group = Math.min(accum, s.microBatches() - first);
                for (int j = 0; j < group; j++) {
                    trainMicroBatch(s, it.next(), epoch, first + j, group, st);
                }
                double norm = Gradients.globalNorm(s.params(), s.root());
                if (!Double.isFinite(norm)) {
                    throw nonFinite("gradient norm", norm, epoch, st, stepsPerEpoch);
                }
                if (clip > 0) {
                    Gradients.clip(s.params(), norm, clip, s.root());
                }
                long position = scheduleStep(s, st);
                double lr = s.schedule().lr(position);
                s.opt().step(lr, s.schedule().momentum(position));
                if (s.ema() != null) {
                    s.ema().update();
                }
                st.lastLr = lr;
                st.globalStep++;
                st.stepInEpoch++;
                double now = (now() - t0) / 1e9;
                st.trainSeconds = secondsBefore + now;
                st.lastStepSeconds = (now() - stepStart) / 1e9;
                progress.update(
                        st.stepInEpoch,
                        st.lossSum / st.seen,
                        (double) st.correct / st.seen,
                        (st.seen - seenBefore) / Math.max(1e-9, now));
                if (maxSteps > 0 && st.globalStep >= maxSteps && st.stepInEpoch < stepsPerEpoch) {
                    return End.MAX_STEPS;
                }
                if (every > 0 && st.globalStep % every == 0 && st.stepInEpoch < stepsPerEpoch) {
                    saveLast(st, s);
                }
            }
        } finally {
            st.processImages += st.seen - seenBefore;
            st.processSeconds += st.trainSeconds - secondsBefore;
        }
        return End.EPOCHS;
    }

    /** Evaluates, logs the epoch, checkpoints. */
    private void endEpoch(Session s, State st, int epoch, double secondsBefore, long epochStart)
            throws IOException {
        double trainLoss = st.lossSum / st.seen;
        double trainAcc = (double) st.correct / st.seen;
        double imagesPerSecond = st.seen / Math.max(1e-9, st.trainSeconds);
        long evalStart = now();
        EvalResult ev = s.valLoader() == null ? null : evaluate(s);
        if (ev != null) {
            st.lastEval = ev;
            st.lastEvalSeconds = (now() - evalStart) / 1e9;
        }
        double total = secondsBefore + (now() - epochStart) / 1e9;
        dir.appendMetrics(
                new EpochMetrics(
                        epoch + 1,
                        st.globalStep,
                        st.lastLr,
                        trainLoss,
                        trainAcc,
                        ev == null ? null : ev.loss(),
                        ev == null ? null : ev.top1(),
                        ev == null ? null : ev.top5(),
                        imagesPerSecond,
                        total));
        st.epochsCompleted = epoch + 1;
        st.stepInEpoch = 0;
        st.lossSum = 0;
        st.correct = 0;
        st.seen = 0;
        st.trainSeconds = 0;
        boolean best = ev == null || ev.top1() > st.bestTop1;
        if (best) {
            st.bestEpoch = epoch + 1;
            st.bestTop1 = ev == null ? -1 : ev.top1();
        }
        saveLast(st, s);
        if (best) {
            AtomicFiles.copy(dir.lastCheckpoint(), dir.bestCheckpoint());
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
    private static EvalResult evaluate(Session s) {
        if (s.ema() == null) {
            return Evaluator.evaluate(s.block(), s.store(), s.valLoader(), s.root());
        }
        Ema.Swap swap = s.ema().swapIn();
        try {
            return Evaluator.evaluate(s.block(), s.store(), s.valLoader(), s.root());
        } finally {
            swap.close();
        }
    }

    private void trainMicroBatch(
            Session s, HostBatch hb, int epoch, int microIndex, int group, State st) {
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
                    throw nonFinite("loss", loss, epoch, st, s.stepsPerEpoch());
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
            st.lossSum += (double) loss * hb.size();
            st.correct += correct;
            st.seen += hb.size();
        }
    }

    private NonFiniteLossException nonFinite(
            String what, double value, int epoch, State st, int stepsPerEpoch) {
        String msg =
                String.format(
                        "non-finite %s (%s) at epoch %d, step %d of %d (global step %d): training"
                                + " stopped. %s",
                        what,
                        value,
                        epoch + 1,
                        st.stepInEpoch + 1,
                        stepsPerEpoch,
                        st.globalStep + 1,
                        st.lastCheckpoint == null
                                ? (Files.exists(dir.lastCheckpoint())
                                        ? "The last good checkpoint, left untouched, is "
                                                + dir.lastCheckpoint()
                                        : "No checkpoint had been written yet.")
                                : "The last good checkpoint, left untouched, is "
                                        + dir.lastCheckpoint()
                                        + " ("
                                        + st.lastCheckpoint
                                        + ").");
        progress.close();
        try {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("status", "failed");
            s.put("message", msg);
            s.put("model", model.name());
            s.put("epochs_completed", st.epochsCompleted);
            s.put("global_steps", st.globalStep);
            s.put("failed_at_global_step", st.globalStep + 1);
            dir.writeSummary(s);
        } catch (IOException e) {
            LOG.warn("could not write the summary of the failed run", e);
        }
        LOG.error(msg);
        return new NonFiniteLossException(msg, st.globalStep + 1);
    }

    private void checkDataFitsModel(Shape in) {
        if (in.dimension() != 3) {
            throw new IllegalArgumentException(
                    "model '" + model.name() + "' input shape must be (C, H, W), got " + in);
        }
        int c = data.train().channels();
        int h = data.train().height();
        int w = data.train().width();
        if (in.get(0) != c || in.get(1) != h || in.get(2) != w) {
            throw new ConfigException(
                    "model '"
                            + model.name()
                            + "' takes images "
                            + in.get(0)
                            + "x"
                            + in.get(1)
                            + "x"
                            + in.get(2)
                            + " but the data set "
                            + data.train().source()
                            + " has "
                            + c
                            + "x"
                            + h
                            + "x"
                            + w
                            + " (in_chans/img_size must match the data)");
        }
        if (config.model().inChans() != c) {
            throw new ConfigException(
                    "in_chans is "
                            + config.model().inChans()
                            + " but the images have "
                            + c
                            + " channels");
        }
        Integer classes = config.model().numClasses();
        if (classes != null && classes != data.train().numClasses()) {
            throw new ConfigException(
                    "num_classes is "
                            + classes
                            + " but the data set "
                            + data.train().source()
                            + " has "
                            + data.train().numClasses()
                            + " classes");
        }
        if (data.val() != null && !data.val().classes().equals(data.train().classes())) {
            throw new ConfigException(
                    "the validation set's classes differ from the training set's");
        }
    }

    private void checkOutputs(Block block, Shape batchShape) {
        Shape out = block.getOutputShapes(new Shape[] {batchShape})[0];
        int k = data.train().numClasses();
        if (out.dimension() != 2 || out.get(1) != k) {
            throw new ConfigException(
                    "model '"
                            + model.name()
                            + "' outputs "
                            + out
                            + " for a batch "
                            + batchShape
                            + ", expected (1, "
                            + k
                            + ") for the data set's "
                            + k
                            + " classes"
                            + " (num_classes)");
        }
    }

    private TrainingState state(State st, Session s) {
        ParamOptimizer opt = s.opt();
        Ema ema = s.ema();
        return new TrainingState(
                Checkpoint.FORMAT,
                Checkpoint.VERSION,
                model.name(),
                model.inputShape().getShape(),
                data.train().numClasses(),
                data.train().classes(),
                st.epochsCompleted,
                st.stepInEpoch,
                st.globalStep,
                config.optimisation().accumSteps(),
                config.run().seed(),
                "counter-based: shuffle (seed, epoch), augmentation (seed, epoch, image), mixing"
                        + " (seed, epoch, batch), engine reseeded per micro-batch (seed, epoch,"
                        + " micro-batch)",
                opt.name(),
                opt.steps(),
                config.optimisation().schedule().name().toLowerCase(java.util.Locale.ROOT),
                st.lastLr,
                ema == null ? 0 : ema.updates(),
                st.lossSum,
                st.correct,
                st.seen,
                st.trainSeconds,
                st.bestEpoch,
                st.bestTop1,
                elapsedSeconds(st),
                st.lastStepSeconds,
                st.lastEvalSeconds,
                TrainData.fingerprint(data.train()),
                TrainData.fingerprint(data.val()),
                data.stats().mean(),
                data.stats().std(),
                Checkpoint.parameterTable(s.block()),
                config.toMap(),
                OffsetDateTime.now().toString());
    }

    private void saveLast(State st, Session s) throws IOException {
        long start = now();
        Checkpoint.write(
                dir.lastCheckpoint(),
                state(st, s),
                Checkpoint.parameterTensors(s.block()),
                s.opt().stateTensors(),
                s.ema() == null ? null : s.ema().tensors());
        st.lastCheckpoint = position(st);
        st.lastSaveSeconds = (now() - start) / 1e9;
    }

    private static String position(State st) {
        return "epoch "
                + st.epochsCompleted
                + (st.stepInEpoch > 0 ? " + " + st.stepInEpoch + " steps" : "")
                + ", global step "
                + st.globalStep;
    }

    private void restore(State st, Session s) {
        Block block = s.block();
        ParamOptimizer opt = s.opt();
        Ema ema = s.ema();
        Path file = dir.lastCheckpoint();
        Checkpoint.Loaded c = Checkpoint.read(file);
        TrainingState saved = c.state();
        Checkpoint.checkFits(file, saved.model(), c.params(), block, model.name());
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
        if ((ema != null) != !c.ema().isEmpty()) {
            throw new CheckpointException(
                    file
                            + (ema == null
                                    ? " has a weight average but ema_decay is 0"
                                    : " has no weight average but ema_decay is set"));
        }
        Checkpoint.copyInto(c.params(), block);
        opt.restore(c.optimizer(), saved.optimizerSteps(), file.toString());
        if (ema != null) {
            ema.restore(c.ema(), saved.emaUpdates(), file.toString());
        }
        st.epochsCompleted = saved.epochsCompleted();
        st.stepInEpoch = saved.stepInEpoch();
        st.globalStep = saved.globalStep();
        st.lastLr = saved.lastLr();
        st.lossSum = saved.epochLossSum();
        st.correct = saved.epochCorrect();
        st.seen = saved.epochSeen();
        st.trainSeconds = saved.epochTrainSeconds();
        st.bestEpoch = saved.bestEpoch();
        st.bestTop1 = saved.bestValTop1();
        st.elapsedBefore = saved.elapsedSeconds();
        st.lastStepSeconds = saved.lastStepSeconds();
        st.lastEvalSeconds = saved.lastEvalSeconds();
        st.lastCheckpoint = position(st);
        LOG.info("resumed {} at {}", dir.path(), st.lastCheckpoint);
    }

    private TrainSummary finish(String status, End end, State st, long started, long parameterCount)
            throws IOException {
        EvalResult lastEval = st.lastEval;
        double seconds = (now() - started) / 1e9;
        TrainSummary summary =
                new TrainSummary(
                        status,
                        dir.path(),
                        st.epochsCompleted,
                        st.globalStep,
                        st.bestEpoch,
                        st.bestEpoch == 0 || st.bestTop1 < 0 ? Double.NaN : st.bestTop1,
                        lastEval,
                        st.processSeconds > 0 ? st.processImages / st.processSeconds : Double.NaN,
                        seconds,
                        end.key,
                        elapsedSeconds(st));
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("status", status);
        s.put("ended_by", end.key);
        s.put("model", model.name());
        s.put("parameters", parameterCount);
        s.put("epochs_completed", st.epochsCompleted);
        s.put("global_steps", st.globalStep);
        s.put("best_epoch", st.bestEpoch);
        s.put(
                "best_val_top1",
                summary.bestValTop1() == summary.bestValTop1() ? summary.bestValTop1() : null);
        if (lastEval != null) {
            Map<String, Object> last = new LinkedHashMap<>();
            last.put("images", lastEval.images());
            last.put("val_loss", lastEval.loss());
            last.put("val_top1", lastEval.top1());
            last.put("val_top5", lastEval.top5());
            last.put("weights", config.optimisation().emaDecay() > 0 ? "ema" : "raw");
            last.put("per_class_accuracy", lastEval.perClassAccuracyByName());
            last.put("confusion_matrix", lastEval.confusion());
            last.put("classes", lastEval.classes());
            s.put("last_eval", last);
        }
        s.put(
                "train_images_per_s",
                Double.isNaN(summary.trainImagesPerSecond())
                        ? null
                        : summary.trainImagesPerSecond());
        s.put("seconds", seconds);
        s.put("run_seconds", summary.runSeconds());
        if (budgetSeconds() > 0) {
            s.put("time_budget_minutes", config.run().timeBudgetMinutes());
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("train", data.train().toString());
        d.put("val", data.val() == null ? null : data.val().toString());
        d.put("split", data.splitRule());
        d.put("normalize_mean", data.stats().mean());
        d.put("normalize_std", data.stats().std());
        s.put("data", d);
        dir.writeSummary(s);
        return summary;
    }
}
