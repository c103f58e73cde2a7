package org.fourier4j.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.fourier4j.data.Augmentation;
import org.fourier4j.data.BatchLoader;
import org.fourier4j.data.Rngs;
import org.fourier4j.models.ImageClassifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A training run: a manual loop over a DJL {@link Block} (no {@code Trainer}/{@code EasyTrain}).
 * This class prepares a run (configuration, model and data checked against each other, the run
 * directory locked) and builds what it trains: the model initialised from the seed (or from {@code
 * init_from}), its optimiser, weight average, loaders and schedule. {@link TrainingLoop} trains it,
 * {@link RunCheckpoints} writes and restores its checkpoints, {@link RunOutcome} its summary.
 *
 * <p>Reproducibility: weights are initialised from the seed, and every random draw afterwards is a
 * function of {@code (seed, epoch, position)} (see {@link Rngs}; the engine's generator, used by
 * dropout, is reseeded before every micro-batch). A run resumed from any checkpoint therefore
 * reaches the same parameters as an uninterrupted run (same machine, same thread count).
 *
 * <p>With {@code time_budget_minutes} the run ends within that wall time, validation included
 * ({@link TimeBudget}). Such a run follows the clock, so it is not reproducible bit for bit; the
 * time used is checkpointed and counted again after {@code --resume}.
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
            if (!resume && config.run().initFrom() != null) {
                initialWeights(block);
            }
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
                TrainingLoop.Session s =
                        new TrainingLoop.Session(
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
                TimeBudget budget = new TimeBudget(config.run().timeBudgetMinutes(), clock);
                RunCheckpoints checkpoints = new RunCheckpoints(config, model, data, dir);
                return new TrainingLoop(s, checkpoints, budget, clock, progress)
                        .train(resume, started);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            progress.close();
            dir.unlock();
        }
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

    /** Loads {@code init_from}'s weights into a new run's model (a zoo model). */
    private void initialWeights(Block block) {
        if (!(block instanceof ImageClassifier classifier)) {
            throw new ConfigException(
                    "init_from needs a zoo model; model '" + model.name() + "' is not one");
        }
        InitialWeights.Result r =
                InitialWeights.load(
                        Path.of(config.run().initFrom()), classifier, data.train().numClasses());
        LOG.info(r.describe());
    }
}
