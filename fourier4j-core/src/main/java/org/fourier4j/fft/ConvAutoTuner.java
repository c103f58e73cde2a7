package org.fourier4j.fft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses DIRECT or FFT for each convolution call shape ({@link ConvAlgorithm#AUTO}), and keeps
 * checking the choice.
 *
 * <ol>
 *   <li>A decision already made for the key (shape, options, data type, thread count, inference
 *       with or without a kernel spectrum cache, or a training step) is reused: from memory, or
 *       from the disk cache of {@link AutotuneStore} when it was taken with this fourier4j version,
 *       engine and processor.
 *   <li>Otherwise {@link ConvDecider} decides: the calibrated {@link CostModel} alone only where
 *       measurements have validated it ({@link ModelValidation}), else both algorithms timed warm,
 *       interleaved and summarised by their floors, a second time when the first contradicts the
 *       model, is unstable or ran while other processes loaded the CPU; a decision whose
 *       measurements disagree, or were all taken under such load, is used but not persisted, and
 *       one that chose against the model is measured once more by the next process using it.
 *   <li>In use, {@link UsageCheck} times calls now and then; a decision whose calls run far slower
 *       than expected, or far faster than measured (its timings were taken under load), is
 *       re-decided, at most {@value UsageCheck#MAX_REDECISIONS} times per key.
 *   <li>The model is calibrated once per data type and thread count ({@link Calibration}), again
 *       (once per process) when measurements contradict it twice.
 * </ol>
 *
 * <p>Set {@code -Dfourier4j.autotune.measure=false} to decide from the model alone (nothing is
 * persisted then). Inspect and clear the disk cache with {@code fourier4j autotune}.
 */
public final class ConvAutoTuner {

    static final String DECISION = "decision.";
    static final String MODEL = CostModels.MODEL;
    static final String POINT = CostModels.POINT;

    private static final Logger LOGGER = LoggerFactory.getLogger(ConvAutoTuner.class);
    private static volatile ConvAutoTuner global;

    /** Builds the candidates of a decision on the call's arrays (replaced in tests). */
    @FunctionalInterface
    interface TrialFactory {
        Trial create(ConvCall call);
    }

    /** A decision in use with its check. */
    static final class Entry {
        final String key;
        final ConvDecision decision;
        final UsageCheck check;

        Entry(String key, ConvDecision decision, LoadMeter meter) {
            this.key = key;
            this.decision = decision;
            this.check = new UsageCheck(decision, meter);
        }
    }

    private final AutotuneStore store;
    private final CostModels models;
    private final TrialFactory trials;
    private final TimeSource clock;
    private final LoadMeter meter;
    private final ConvDecider decider;
    private final boolean measure;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Object decideLock = new Object();
    private volatile boolean loaded;

    ConvAutoTuner(AutotuneStore store, boolean measure) {
        this(store, measure, LoadMeter.system());
    }

    private ConvAutoTuner(AutotuneStore store, boolean measure, LoadMeter meter) {
        this(
                measure,
                store,
                (parent, dt) -> Calibration.run(parent, dt, TimeSource.SYSTEM, meter),
                call -> new ConvTrial(call, TimeSource.SYSTEM),
                TimeSource.SYSTEM,
                meter,
                new ConvDecider(ConvDecider.LIMITS, meter));
    }

    ConvAutoTuner(
            boolean measure,
            AutotuneStore store,
            Calibration.Calibrator calibrator,
            TrialFactory trials,
            TimeSource clock,
            LoadMeter meter,
            ConvDecider decider) {
        this.store = store;
        this.models = new CostModels(store, calibrator);
        this.trials = trials;
        this.clock = clock;
        this.meter = meter;
        this.decider = decider;
        this.measure = measure;
    }

    /**
     * Returns the process-wide tuner, backed by the default disk cache.
     *
     * @return the tuner
     */
    public static ConvAutoTuner global() {
        ConvAutoTuner t = global;
        if (t == null) {
            synchronized (ConvAutoTuner.class) {
                t = global;
                if (t == null) {
                    t =
                            new ConvAutoTuner(
                                    new AutotuneStore(
                                            AutotuneStore.defaultFile(), AutotuneStamp.current()),
                                    !"false"
                                            .equalsIgnoreCase(
                                                    System.getProperty(
                                                            "fourier4j.autotune.measure")));
                    global = t;
                }
            }
        }
        return t;
    }

    /**
     * Returns the intra-op thread count the engine uses, which enters every cache key.
     *
     * @return the thread count
     */
    public static int threads() {
        String p = System.getProperty("ai.djl.pytorch.num_threads");
        if (p == null || p.isEmpty()) {
            p = System.getenv("OMP_NUM_THREADS");
        }
        if (p != null && !p.isEmpty()) {
            try {
                return Math.max(1, Integer.parseInt(p.trim()));
            } catch (NumberFormatException e) {
                // fall through to the default
            }
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * Convolves by the algorithm chosen for the call's key, deciding on first sight, and times the
     * call now and then to check the choice. The input's memory layout enters the key (and the cost
     * model's validation family): oneDNN's direct depthwise convolution is many times faster on
     * channels-last memory, which moves the crossover with FFT.
     *
     * @param g the resolved call
     * @param input the input
     * @param weight the weight
     * @param bias the bias or null
     * @param cache the layer's kernel spectrum cache, or null
     * @param weightGradient whether the weight's gradient is recorded (training)
     * @param layout the input's memory layout (e.g. {@code channels-last}), or null for contiguous
     * @return the output
     */
    public NDArray convolve(
            ConvGeometry g,
            NDArray input,
            NDArray weight,
            NDArray bias,
            KernelSpectrumCache cache,
            boolean weightGradient,
            String layout) {
        Entry e =
                entry(new ConvCall(g, input, weight, bias, weightGradient, cache != null, layout));
        return run(
                e,
                () ->
                        e.decision.algorithm() == ConvAlgorithm.FFT
                                ? FftConvolution.convolve(g, input, weight, bias, cache)
                                : DirectConvolution.convolve(g, input, weight, bias));
    }

    /**
     * Chooses the algorithm for a call whose layer keeps a kernel spectrum cache (as the blocks
     * do), deciding on first sight of its key.
     *
     * @param g the resolved call
     * @param input the input
     * @param weight the weight
     * @param bias the bias or null
     * @param weightGradient whether the weight's gradient is recorded (training)
     * @return the decision
     */
    public ConvDecision choose(
            ConvGeometry g, NDArray input, NDArray weight, NDArray bias, boolean weightGradient) {
        return entry(new ConvCall(g, input, weight, bias, weightGradient, true, null)).decision;
    }

    /**
     * Returns the decision in use for a call shape whose layer keeps a kernel spectrum cache.
     *
     * @param g the resolved call
     * @param weightGradient whether the weight's gradient is recorded
     * @return the decision or null
     */
    public ConvDecision cached(ConvGeometry g, boolean weightGradient) {
        ensureLoaded();
        Entry e = entries.get(key(g, weightGradient, true));
        return e == null ? null : e.decision;
    }

    /**
     * @return the disk cache's file
     */
    public Path cacheFile() {
        return store.file();
    }

    /** Forgets every decision in memory (the disk cache is kept); for tests and benchmarks. */
    public void forgetDecisions() {
        ensureLoaded();
        entries.clear();
    }

    static String key(ConvGeometry g, boolean weightGradient, boolean kernelCached) {
        return key(g, weightGradient, kernelCached, null);
    }

    static String key(ConvGeometry g, boolean weightGradient, boolean kernelCached, String layout) {
        return g.key() + " t" + threads() + " " + mode(weightGradient, kernelCached, layout);
    }

    static String mode(boolean weightGradient, boolean kernelCached, String layout) {
        String mode = weightGradient ? "train-step" : kernelCached ? "infer" : "infer-uncached";
        return layout == null ? mode : mode + " " + layout;
    }

    Entry entry(String key) {
        return entries.get(key);
    }

    Entry entry(ConvCall call) {
        ensureLoaded();
        String key = call.key();
        Entry e = entries.get(key);
        if (e != null && e.check.redecision() == null) {
            return e;
        }
        synchronized (decideLock) {
            // one decision at a time: two measurements side by side would disturb each other
            e = entries.get(key);
            if (e != null && e.check.redecision() == null) {
                return e;
            }
            int redecisions = e == null ? 0 : e.decision.redecisions() + 1;
            String reason = e == null ? "first call" : e.check.redecision();
            ConvDecision d = decide(key, call, redecisions, reason);
            if (e != null && e.decision.contradicted() && !e.decision.verified()) {
                d = d.withVerified(d.algorithm() == e.decision.algorithm());
            }
            Entry next = new Entry(key, d, meter);
            entries.put(key, next);
            if (d.persisted()) {
                store.put(DECISION + key, store.stamped(d.fields()));
            } else if (e != null && e.decision.persisted()) {
                store.update(m -> m.remove(DECISION + key)); // known wrong, nothing sure instead
            }
            if (e == null) {
                LOGGER.debug("AUTO {} -> {}", key, d);
            } else {
                LOGGER.info("AUTO re-decided {} ({}): {} -> {}", key, reason, e.decision, d);
            }
            return next;
        }
    }

    /** Runs a call, timing it when the entry's check asks for it. */
    <T> T run(Entry e, Supplier<T> call) {
        if (!e.check.shouldTime()) {
            return call.get();
        }
        long t0 = clock.nanoTime();
        T y = call.get();
        String why = e.check.record((clock.nanoTime() - t0) / 1e6);
        if (why != null) {
            LOGGER.info("AUTO will re-decide {}: {}", e.key, why);
        }
        return y;
    }

    private ConvDecision decide(String key, ConvCall call, int redecisions, String reason) {
        boolean inference = !call.weightGradient() && call.kernelCached();
        NDManager parent = call.input().getManager();
        CostModels.Forecast f = models.forecast(call.g(), call.mode(), inference, parent);
        ConvDecision d =
                decider.decide(
                        f.prediction, () -> trials.create(call), measure, redecisions, reason);
        if (d.source() == ConvDecision.Source.MEASURED && d.persisted()) {
            models.learn(key, f, d, inference, parent, call.g().dataType());
        }
        return d;
    }

    /** The cost model for a data type at the current thread count (calibrates once). */
    CostModel model(NDManager parent, DataType dt) {
        ensureLoaded();
        return models.model(parent, dt);
    }

    private void ensureLoaded() {
        if (loaded) {
            return;
        }
        synchronized (this) {
            if (loaded) {
                return;
            }
            for (Map.Entry<String, String> e : store.load().entrySet()) {
                Map<String, String> f = AutotuneStore.fields(e.getValue());
                String k = e.getKey();
                if (k.startsWith(DECISION)) {
                    ConvDecision d = ConvDecision.fromFields(f);
                    if (d != null) {
                        String key = k.substring(DECISION.length());
                        Entry entry = new Entry(key, d, meter);
                        if (d.contradicted() && !d.verified()) {
                            entry.check.request(
                                    "confirming a measurement of an earlier process that chose"
                                            + " against the model");
                        }
                        entries.putIfAbsent(key, entry);
                    }
                } else {
                    models.load(k, f);
                }
            }
            loaded = true;
        }
    }

    @Override
    public String toString() {
        return "ConvAutoTuner[" + store.file() + "]";
    }
}
