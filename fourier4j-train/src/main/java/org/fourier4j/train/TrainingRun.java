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
import org.fourier4j.data.Augmentation;
import org.fourier4j.data.BatchLoader;
import org.fourier4j.data.HostBatch;
import org.fourier4j.data.Rngs;
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
     * Prepares a new run: checks the configuration against the model, loads the data, creates the
     * run directory ({@code save_dir/run_name}; refused if it exists and is not empty) and saves
     * the resolved configuration.
     *
     * @param config the configuration
     * @param model the model
     * @param data the data, or null to load what the configuration names
     * @return the run, ready for {@link #run()}
     */
    public static TrainingRun start(TrainConfig config, ModelFactory model, TrainData data) {
        config = withModelName(config, model);
        TrainData d = data != null ? data : TrainData.load(config, model.inputShape());
        String name = config.getString("run_name");
        if (name == null) {
            name =
                    model.name()
                            + "-"
                            + LocalDateTime.now()
                                    .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
            config = config.with(Map.of("run_name", name), "(generated)");
        }
        RunDirectory dir = RunDirectory.forNewRun(Path.of(config.getString("save_dir"), name));
        TrainingRun run = new TrainingRun(config, model, d, dir, false);
        run.checkDataFitsModel(model.inputShape());
        return run;
    }

    /**
     * Prepares to resume a run from its {@code last.ckpt}, with the configuration saved in the run
     * directory. Only {@link TrainConfig#RESUMABLE_CHANGES} may be overridden (a changed learning
     * rate, batch size or number of epochs would not continue the same run).
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
        TrainConfig saved =
                TrainConfig.defaults()
                        .with(TrainConfig.readFile(dir.config()), "in " + dir.config());
        TrainConfig config = saved;
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            config = config.override(e.getKey(), e.getValue());
        }
        for (String k : saved.differences(config)) {
            if (!TrainConfig.RESUMABLE_CHANGES.contains(k)) {
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
        try {
            AtomicFiles.deleteStaleTemporaries(dir.path());
            if (!saved.differences(config).isEmpty()) {
                dir.writeConfig(config);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TrainingRun run = new TrainingRun(config, model, d, dir, true);
        run.checkDataFitsModel(model.inputShape());
        return run;
    }

    private static TrainConfig withModelName(TrainConfig config, ModelFactory model) {
        String configured = config.getString("model");
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

    /** Mutable progress of the run (what a checkpoint records). */
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
    }

    /**
     * Trains to the end (or to {@code max_steps}).
     *
     * @return the outcome
     * @throws NonFiniteLossException if the loss or gradient norm becomes non-finite
     * @throws CheckpointException if the checkpoint to resume from does not fit
     */
    public TrainSummary run() {
        long started = System.nanoTime();
        Engine engine = Engine.getInstance();
        long seed = config.getLong("seed");
        Shape in = model.inputShape();
        int accum = config.getInt("accum_steps");
        int epochs = config.getInt("epochs");
        int maxSteps = config.getInt("max_steps");
        int every = config.getInt("checkpoint_every_steps");
        double clip = config.getDouble("clip_grad_norm");
        double emaDecay = config.getDouble("ema_decay");
        progress = config.getBool("progress") ? TrainProgress.console() : TrainProgress.none();

        Augmentation aug =
                new Augmentation(
                        config.getInt("random_crop_padding"),
                        config.getBool("hflip"),
                        config.getInt("randaugment_ops"),
                        config.getInt("randaugment_magnitude"),
                        config.getInt("randaugment_bins"),
                        config.getDouble("mixup_alpha"),
                        config.getDouble("cutmix_alpha"),
                        config.getDouble("mix_prob"),
                        config.getDouble("mix_switch_prob"),
                        config.getDouble("label_smoothing"));
        int workers = config.getInt("num_workers");
        int prefetch = config.getInt("prefetch");
        int batch = config.getInt("batch_size");
        int evalBatch = config.isSet("eval_batch_size") ? config.getInt("eval_batch_size") : batch;

        try (NDManager root = NDManager.newBaseManager();
                BatchLoader trainLoader =
                        new BatchLoader(
                                data.train(),
                                data.stats(),
                                aug,
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
            Block block = model.newBlock();
            engine.setRandomSeed((int) Rngs.derive(seed, Rngs.INIT));
            Shape batchShape = new Shape(1, in.get(0), in.get(1), in.get(2));
            block.initialize(root, DataType.FLOAT32, batchShape);
            checkOutputs(block, batchShape);
            ParameterStore store = new ParameterStore(root, false);
            List<TrainableParameter> params =
                    TrainableParameter.of(block, config.getStrings("no_decay_keywords"));
            int micro = trainLoader.batchesPerEpoch();
            int stepsPerEpoch = (micro + accum - 1) / accum;
            LrSchedule schedule = LrSchedule.fromConfig(config, stepsPerEpoch);
            long parameterCount = 0;
            for (TrainableParameter p : params) {
                parameterCount += p.array().size();
            }
            try (ParamOptimizer opt = ParamOptimizer.fromConfig(config, params, root);
                    Ema ema = emaDecay > 0 ? new Ema(block, emaDecay, root) : null) {
                State st = new State();
                if (resume) {
                    restore(st, block, opt, ema);
                    dir.truncateMetrics(st.epochsCompleted);
                } else {
                    dir.create();
                    dir.writeConfig(config);
                    dir.initMetrics();
                }
                LOG.info(
                        "training {} ({} parameters) on {} images, validating on {}; {} steps per"
                                + " epoch; {}",
                        model.name(),
                        parameterCount,
                        data.train().size(),
                        data.val() == null ? "nothing" : data.val().size() + " images",
                        stepsPerEpoch,
                        schedule.describe());
                EvalResult lastEval = null;
                double imagesTotal = 0;
                double secondsTotal = 0;
                for (int epoch = st.epochsCompleted; epoch < epochs; epoch++) {
                    long epochStart = System.nanoTime();
                    double secondsBefore = st.trainSeconds;
                    long seenBefore = st.seen;
                    progress.start(
                            "epoch " + (epoch + 1) + "/" + epochs, stepsPerEpoch, st.stepInEpoch);
                    try (BatchLoader.EpochIterator it =
                            trainLoader.epoch(epoch, st.stepInEpoch * accum)) {
                        long t0 = System.nanoTime();
                        while (st.stepInEpoch < stepsPerEpoch) {
                            int first = st.stepInEpoch * accum;
                            int group = Math.min(accum, micro - first);
                            for (int j = 0; j < group; j++) {
                                trainMicroBatch(
                                        engine,
                                        block,
                                        store,
                                        root,
                                        it.next(),
                                        epoch,
                                        first + j,
                                        group,
                                        st,
                                        stepsPerEpoch);
                            }
                            double norm = Gradients.globalNorm(params, root);
                            if (!Double.isFinite(norm)) {
                                throw nonFinite("gradient norm", norm, epoch, st, stepsPerEpoch);
                            }
                            if (clip > 0) {
                                Gradients.clip(params, norm, clip, root);
                            }
                            double lr = schedule.lr(st.globalStep);
                            opt.step(lr, schedule.momentum(st.globalStep));
                            if (ema != null) {
                                ema.update();
                            }
                            st.lastLr = lr;
                            st.globalStep++;
                            st.stepInEpoch++;
                            st.trainSeconds = secondsBefore + (System.nanoTime() - t0) / 1e9;
                            progress.update(
                                    st.stepInEpoch,
                                    st.lossSum / st.seen,
                                    (double) st.correct / st.seen,
                                    (st.seen - seenBefore)
                                            / Math.max(1e-9, st.trainSeconds - secondsBefore));
                            if (maxSteps > 0 && st.globalStep >= maxSteps) {
                                if (st.stepInEpoch < stepsPerEpoch) {
                                    saveLast(st, block, opt, ema);
                                    progress.close();
                                    return finish(
                                            "stopped",
                                            st,
                                            lastEval,
                                            imagesTotal,
                                            secondsTotal,
                                            started,
                                            parameterCount);
                                }
                                break;
                            }
                            if (every > 0
                                    && st.globalStep % every == 0
                                    && st.stepInEpoch < stepsPerEpoch) {
                                saveLast(st, block, opt, ema);
                            }
                        }
                    }
                    progress.close();
                    double trainSeconds = st.trainSeconds;
                    double trainLoss = st.lossSum / st.seen;
                    double trainAcc = (double) st.correct / st.seen;
                    double imagesPerSecond = st.seen / Math.max(1e-9, trainSeconds);
                    imagesTotal += st.seen - seenBefore;
                    secondsTotal += trainSeconds - secondsBefore;
                    EvalResult ev = null;
                    if (valLoader != null) {
                        if (ema != null) {
                            try (Ema.Swap swap = ema.swapIn()) {
                                ev = Evaluator.evaluate(block, store, valLoader, root);
                            }
                        } else {
                            ev = Evaluator.evaluate(block, store, valLoader, root);
                        }
                        lastEval = ev;
                    }
                    double seconds = secondsBefore + (System.nanoTime() - epochStart) / 1e9;
                    EpochMetrics m =
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
                                    seconds);
                    dir.appendMetrics(m);
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
                    saveLast(st, block, opt, ema);
                    if (best) {
                        AtomicFiles.copy(dir.lastCheckpoint(), dir.bestCheckpoint());
                    }
                    if (ev != null) {
                        dir.writeText("confusion_matrix.csv", ev.confusionCsv());
                    }
                    LOG.info(
                            "epoch {}/{}: train loss {} acc {}, val {}, {} img/s, {} s",
                            epoch + 1,
                            epochs,
                            String.format("%.4f", trainLoss),
                            String.format("%.3f", trainAcc),
                            ev == null
                                    ? "-"
                                    : String.format(
                                            "loss %.4f top-1 %.3f top-5 %.3f",
                                            ev.loss(), ev.top1(), ev.top5()),
                            String.format("%.0f", imagesPerSecond),
                            String.format("%.1f", seconds));
                    if (maxSteps > 0 && st.globalStep >= maxSteps && epoch + 1 < epochs) {
                        return finish(
                                "stopped",
                                st,
                                lastEval,
                                imagesTotal,
                                secondsTotal,
                                started,
                                parameterCount);
                    }
                }
                return finish(
                        "completed",
                        st,
                        lastEval,
                        imagesTotal,
                        secondsTotal,
                        started,
                        parameterCount);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            progress.close();
        }
    }

    private void trainMicroBatch(
            Engine engine,
            Block block,
            ParameterStore store,
            NDManager root,
            HostBatch hb,
            int epoch,
            int microIndex,
            int group,
            State st,
            int stepsPerEpoch) {
        engine.setRandomSeed(
                (int) Rngs.derive(config.getLong("seed"), Rngs.ENGINE, epoch, microIndex));
        try (NDManager scope = root.newSubManager()) {
            NDArray x = hb.inputs(scope);
            NDArray targets = hb.targetArray(scope);
            NDArray logits;
            float loss;
            try (GradientCollector gc = engine.newGradientCollector()) {
                logits = block.forward(store, new NDList(x), true).singletonOrThrow();
                NDArray l = SoftTargetCrossEntropy.mean(logits, targets);
                loss = l.getFloat();
                if (!Float.isFinite(loss)) {
                    throw nonFinite("loss", loss, epoch, st, stepsPerEpoch);
                }
                gc.backward(group == 1 ? l : l.div(group));
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
        if (config.getInt("in_chans") != c) {
            throw new ConfigException(
                    "in_chans is "
                            + config.getInt("in_chans")
                            + " but the images have "
                            + c
                            + " channels");
        }
        if (config.isSet("num_classes")
                && config.getInt("num_classes") != data.train().numClasses()) {
            throw new ConfigException(
                    "num_classes is "
                            + config.getInt("num_classes")
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

    private TrainingState state(State st, Block block, ParamOptimizer opt, Ema ema) {
        return new TrainingState(
                Checkpoint.FORMAT,
                Checkpoint.VERSION,
                model.name(),
                model.inputShape().getShape(),
                data.train().numClasses(),
                st.epochsCompleted,
                st.stepInEpoch,
                st.globalStep,
                config.getInt("accum_steps"),
                config.getLong("seed"),
                "counter-based: shuffle (seed, epoch), augmentation (seed, epoch, image), mixing"
                        + " (seed, epoch, batch), engine reseeded per micro-batch (seed, epoch,"
                        + " micro-batch)",
                opt.name(),
                opt.steps(),
                config.getString("schedule"),
                st.lastLr,
                ema == null ? 0 : ema.updates(),
                st.lossSum,
                st.correct,
                st.seen,
                st.trainSeconds,
                st.bestEpoch,
                st.bestTop1,
                TrainData.fingerprint(data.train()),
                TrainData.fingerprint(data.val()),
                Checkpoint.parameterTable(block),
                config.toMap(),
                OffsetDateTime.now().toString());
    }

    private void saveLast(State st, Block block, ParamOptimizer opt, Ema ema) throws IOException {
        Checkpoint.write(
                dir.lastCheckpoint(),
                state(st, block, opt, ema),
                Checkpoint.parameterTensors(block),
                opt.stateTensors(),
                ema == null ? null : ema.tensors());
        st.lastCheckpoint =
                "epoch "
                        + st.epochsCompleted
                        + (st.stepInEpoch > 0 ? " + " + st.stepInEpoch + " steps" : "")
                        + ", global step "
                        + st.globalStep;
    }

    private void restore(State st, Block block, ParamOptimizer opt, Ema ema) {
        Path file = dir.lastCheckpoint();
        Checkpoint.Loaded c = Checkpoint.read(file);
        TrainingState s = c.state();
        Checkpoint.checkFits(file, s.model(), c.params(), block, model.name());
        if (!s.optimizer().equals(opt.name())) {
            throw new CheckpointException(
                    file + " holds " + s.optimizer() + " state, the run uses " + opt.name());
        }
        if (s.trainFingerprint() != TrainData.fingerprint(data.train())
                || s.valFingerprint() != TrainData.fingerprint(data.val())) {
            throw new CheckpointException(
                    file
                            + " was written with other data: the training or validation images of "
                            + config.getString("dataset_path")
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
        opt.restore(c.optimizer(), s.optimizerSteps(), file.toString());
        if (ema != null) {
            ema.restore(c.ema(), s.emaUpdates(), file.toString());
        }
        st.epochsCompleted = s.epochsCompleted();
        st.stepInEpoch = s.stepInEpoch();
        st.globalStep = s.globalStep();
        st.lastLr = s.lastLr();
        st.lossSum = s.epochLossSum();
        st.correct = s.epochCorrect();
        st.seen = s.epochSeen();
        st.trainSeconds = s.epochTrainSeconds();
        st.bestEpoch = s.bestEpoch();
        st.bestTop1 = s.bestValTop1();
        st.lastCheckpoint =
                "epoch "
                        + st.epochsCompleted
                        + (st.stepInEpoch > 0 ? " + " + st.stepInEpoch + " steps" : "")
                        + ", global step "
                        + st.globalStep;
        LOG.info("resumed {} at {}", dir.path(), st.lastCheckpoint);
    }

    private TrainSummary finish(
            String status,
            State st,
            EvalResult lastEval,
            double images,
            double trainSeconds,
            long started,
            long parameterCount)
            throws IOException {
        double seconds = (System.nanoTime() - started) / 1e9;
        TrainSummary summary =
                new TrainSummary(
                        status,
                        dir.path(),
                        st.epochsCompleted,
                        st.globalStep,
                        st.bestEpoch,
                        st.bestEpoch == 0 || st.bestTop1 < 0 ? Double.NaN : st.bestTop1,
                        lastEval,
                        trainSeconds > 0 ? images / trainSeconds : Double.NaN,
                        seconds);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("status", status);
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
            last.put("weights", config.getDouble("ema_decay") > 0 ? "ema" : "raw");
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
