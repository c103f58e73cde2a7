package org.fourier4j.fft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses DIRECT or FFT for each convolution call shape ({@link ConvAlgorithm#AUTO}).
 *
 * <ol>
 *   <li>A decision already made for this key (shape, options, data type, thread count, and whether
 *       the weight's gradient is recorded) is reused: from memory, or from the disk cache of {@link
 *       AutotuneStore} written by an earlier run.
 *   <li>Otherwise a {@link CostModel} predicts both times. Its rates are calibrated once per data
 *       type and thread count by timing a handful of small convolutions and transforms (well under
 *       a second) and are stored on disk too.
 *   <li>When one prediction is more than {@value #CLEAR_MARGIN} times the other, the model decides.
 *       When the call is closer, both algorithms are timed side by side on the actual arrays
 *       (detached, so nothing is recorded), interleaved, and the faster median wins.
 * </ol>
 *
 * <p>Without a recorded weight gradient the forward pass is timed, with the kernel spectrum cached
 * as the blocks do in inference; with one (training) forward + backward is timed on leaves of a
 * graph of their own, with the kernel transform in every call (PyTorch engine; with another engine
 * the forward pass only). Set {@code -Dfourier4j.autotune.measure=false} to decide from the model
 * alone.
 */
public final class ConvAutoTuner {

    /** How a decision was reached. */
    public enum Source {
        /** Timed side by side on this machine. */
        MEASURED,
        /** Predicted by the calibrated cost model (a clear call). */
        MODEL
    }

    /** A choice with the timings behind it. */
    public static final class Decision {
        private final ConvAlgorithm algorithm;
        private final Source source;
        private final double directMs;
        private final double fftMs;

        Decision(ConvAlgorithm algorithm, Source source, double directMs, double fftMs) {
            this.algorithm = algorithm;
            this.source = source;
            this.directMs = directMs;
            this.fftMs = fftMs;
        }

        /**
         * @return DIRECT or FFT
         */
        public ConvAlgorithm algorithm() {
            return algorithm;
        }

        /**
         * @return whether measured or predicted
         */
        public Source source() {
            return source;
        }

        /**
         * @return the measured or predicted DIRECT time, ms
         */
        public double directMs() {
            return directMs;
        }

        /**
         * @return the measured or predicted FFT time, ms
         */
        public double fftMs() {
            return fftMs;
        }

        String encode() {
            return String.format(
                    Locale.ROOT, "%s|%s|%.4f|%.4f", algorithm, source, directMs, fftMs);
        }

        static Decision decode(String s) {
            String[] p = s.split("\\|");
            if (p.length != 4) {
                return null;
            }
            try {
                ConvAlgorithm a = ConvAlgorithm.valueOf(p[0]);
                if (a == ConvAlgorithm.AUTO) {
                    return null;
                }
                return new Decision(
                        a,
                        Source.valueOf(p[1]),
                        Double.parseDouble(p[2]),
                        Double.parseDouble(p[3]));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }

        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT,
                    "%s (%s: direct %.3f ms, fft %.3f ms)",
                    algorithm,
                    source.name().toLowerCase(Locale.ROOT),
                    directMs,
                    fftMs);
        }
    }

    static final double CLEAR_MARGIN = 3.0;
    private static final double MAX_MEASURE_MS = 1500;
    private static final Logger LOGGER = LoggerFactory.getLogger(ConvAutoTuner.class);
    private static final ConvAutoTuner GLOBAL = new ConvAutoTuner(AutotuneStore.defaultStore());

    private final AutotuneStore store;
    private final Map<String, Decision> decisions = new ConcurrentHashMap<>();
    private final Map<String, CostModel> models = new ConcurrentHashMap<>();
    private volatile boolean loaded;

    ConvAutoTuner(AutotuneStore store) {
        this.store = store;
    }

    /**
     * Returns the process-wide tuner, backed by the default disk cache.
     *
     * @return the tuner
     */
    public static ConvAutoTuner global() {
        return GLOBAL;
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
     * Chooses the algorithm for a call, deciding (and caching) on first sight of its key.
     *
     * @param g the resolved call
     * @param input the input
     * @param weight the weight
     * @param bias the bias or null
     * @param weightGradient whether the weight's gradient is recorded (training)
     * @return the decision
     */
    public Decision choose(
            ConvGeometry g, NDArray input, NDArray weight, NDArray bias, boolean weightGradient) {
        return choose(g, input, weight, bias, weightGradient, null);
    }

    /**
     * Chooses the algorithm for a call whose input comes in a given memory layout, deciding on
     * first sight of its key. The layout enters the key, and a call with a layout is always timed
     * (the cost model is calibrated on contiguous (N, C, *spatial) arrays; the engine's direct
     * depthwise convolution is many times faster channels-last).
     *
     * @param g the resolved call
     * @param input the input
     * @param weight the weight
     * @param bias the bias or null
     * @param weightGradient whether the weight's gradient is recorded (training)
     * @param layout the input's memory layout (e.g. {@code channels-last}), or null for contiguous
     * @return the decision
     */
    public Decision choose(
            ConvGeometry g,
            NDArray input,
            NDArray weight,
            NDArray bias,
            boolean weightGradient,
            String layout) {
        ensureLoaded();
        String key = key(g, weightGradient) + (layout == null ? "" : " " + layout);
        Decision d = decisions.get(key);
        if (d != null) {
            return d;
        }
        d = decide(g, input, weight, bias, weightGradient, layout != null);
        decisions.put(key, d);
        store.put("decision." + key, d.encode());
        LOGGER.debug("AUTO {} -> {}", key, d);
        return d;
    }

    /**
     * Returns the cached decision for a call shape, if any.
     *
     * @param g the resolved call
     * @param weightGradient whether the weight's gradient is recorded
     * @return the decision or null
     */
    public Decision cached(ConvGeometry g, boolean weightGradient) {
        ensureLoaded();
        return decisions.get(key(g, weightGradient));
    }

    static String key(ConvGeometry g, boolean weightGradient) {
        // "train-step": decided on forward + backward timings (decisions cached on disk by
        // earlier versions under "train" came from forward timings and are not reused)
        return g.key() + " t" + threads() + (weightGradient ? " train-step" : " infer");
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
                if (e.getKey().startsWith("decision.")) {
                    Decision d = Decision.decode(e.getValue());
                    if (d != null) {
                        decisions.putIfAbsent(e.getKey().substring("decision.".length()), d);
                    }
                } else if (e.getKey().startsWith("model.")) {
                    CostModel m = CostModel.decode(e.getValue());
                    if (m != null) {
                        models.putIfAbsent(e.getKey().substring("model.".length()), m);
                    }
                }
            }
            loaded = true;
        }
    }

    private Decision decide(
            ConvGeometry g,
            NDArray input,
            NDArray weight,
            NDArray bias,
            boolean weightGradient,
            boolean alwaysMeasure) {
        CostModel model = model(input.getManager(), g.dataType());
        double direct = model.directMs(g);
        double fft = model.fftMs(g, !weightGradient);
        double ratio = Math.max(direct, fft) / Math.min(direct, fft);
        boolean measure =
                !"false".equalsIgnoreCase(System.getProperty("fourier4j.autotune.measure"))
                        && (ratio < CLEAR_MARGIN || alwaysMeasure)
                        && Math.min(direct, fft) < MAX_MEASURE_MS;
        if (!measure) {
            ConvAlgorithm a = fft < direct ? ConvAlgorithm.FFT : ConvAlgorithm.DIRECT;
            return new Decision(a, Source.MODEL, direct, fft);
        }
        double[] measured = measure(g, input, weight, bias, weightGradient);
        ConvAlgorithm a = measured[1] < measured[0] ? ConvAlgorithm.FFT : ConvAlgorithm.DIRECT;
        return new Decision(a, Source.MEASURED, measured[0], measured[1]);
    }

    /**
     * Times DIRECT and FFT on detached copies, interleaved; returns the medians {direct, fft}. In
     * training (a recorded weight gradient) each timed call is forward + backward, on copies that
     * are leaves of their own graph: the two algorithms' backward passes differ more than their
     * forward ones (a near tie forward can be 10% apart in a training step).
     */
    static double[] measure(
            ConvGeometry g, NDArray input, NDArray weight, NDArray bias, boolean weightGradient) {
        try (NDManager scope = input.getManager().newSubManager()) {
            NDArray x = ArrayOps.own(scope, input.stopGradient());
            NDArray w = ArrayOps.own(scope, weight.stopGradient());
            NDArray b = bias == null ? null : ArrayOps.own(scope, bias.stopGradient());
            KernelSpectrumCache cache = weightGradient ? null : new KernelSpectrumCache();
            boolean withBackward = weightGradient && IndependentBackward.available(x);
            if (withBackward) {
                x.setRequiresGradient(true);
                w.setRequiresGradient(true);
                if (b != null) {
                    b.setRequiresGradient(true);
                }
            }
            try {
                Runnable direct =
                        timedCall(
                                scope, withBackward, () -> DirectConvolution.convolve(g, x, w, b));
                Runnable fft =
                        timedCall(
                                scope,
                                withBackward,
                                () -> FftConvolution.convolve(g, x, w, b, cache));
                return Timing.interleavedMedians(new Runnable[] {direct, fft}, 1, 5, 400);
            } finally {
                if (cache != null) {
                    cache.clear();
                }
            }
        }
    }

    private static Runnable timedCall(
            NDManager scope, boolean withBackward, java.util.function.Supplier<NDArray> conv) {
        return () -> {
            try (NDManager call = scope.newSubManager()) {
                NDArray y = conv.get();
                y.attach(call);
                if (withBackward) {
                    NDArray sum = y.sum();
                    sum.attach(call);
                    IndependentBackward.backward(sum);
                }
            }
        };
    }

    /** The calibrated cost model for a data type at the current thread count (calibrates once). */
    CostModel model(NDManager parent, DataType dt) {
        String key = dt.name().toLowerCase(Locale.ROOT) + " t" + threads();
        CostModel m = models.get(key);
        if (m != null) {
            return m;
        }
        synchronized (this) {
            m = models.get(key);
            if (m == null) {
                m = calibrate(parent, dt);
                models.put(key, m);
                store.put("model." + key, m.encode());
                LOGGER.info("Calibrated convolution cost model for {}: {}", key, m.encode());
            }
            return m;
        }
    }

    /**
     * Measures the cost model's rates with small problems: a depthwise 9x9 and a dense 3x3
     * convolution, a 2-D real FFT round trip, an elementwise complex product, and the overhead of a
     * tiny convolution.
     */
    static CostModel calibrate(NDManager parent, DataType dt) {
        try (NDManager m = parent.newSubManager()) {
            NDArray x = m.randomUniform(-1, 1, new Shape(1, 32, 48, 48), dt);
            NDArray dw = m.randomUniform(-1, 1, new Shape(32, 1, 9, 9), dt);
            NDArray dense = m.randomUniform(-1, 1, new Shape(32, 32, 3, 3), dt);
            NDArray tiny = m.randomUniform(-1, 1, new Shape(1, 1, 4, 4), dt);
            NDArray tinyW = m.randomUniform(-1, 1, new Shape(1, 1, 1, 1), dt);
            ConvOptions dwOpts = ConvOptions.builder().padding(4, 4).groups(32).build();
            ConvOptions denseOpts = ConvOptions.builder().padding(1, 1).build();
            ConvOptions tinyOpts = ConvOptions.builder().build();
            ConvGeometry dwG = ConvGeometry.resolve(2, x, dw, null, dwOpts);
            ConvGeometry denseG = ConvGeometry.resolve(2, x, dense, null, denseOpts);
            ConvGeometry tinyG = ConvGeometry.resolve(2, tiny, tinyW, null, tinyOpts);
            NDArray signal = m.randomUniform(-1, 1, new Shape(4, 32, 64, 64), dt);
            NDArray spectrum = signal.rfft(64, 3).fft(64, 2);
            double[] t =
                    Timing.interleavedMedians(
                            new Runnable[] {
                                () -> DirectConvolution.convolve(dwG, x, dw, null).close(),
                                () -> DirectConvolution.convolve(denseG, x, dense, null).close(),
                                () -> {
                                    try (NDArray f = signal.rfft(64, 3);
                                            NDArray f2 = f.fft(64, 2);
                                            NDArray i = f2.ifft(64, 2)) {
                                        i.irfft(64, 3).close();
                                    }
                                },
                                () -> spectrum.mul(spectrum).close(),
                                () -> DirectConvolution.convolve(tinyG, tiny, tinyW, null).close()
                            },
                            2,
                            5,
                            200);
            double fftPointLogs = 2 * 4 * 32 * 64 * 64 * Math.log(64 * 64) / Math.log(2) / 2;
            double products = 4 * 32 * 64 * 33;
            double overhead = Math.max(t[4], 0.005);
            return new CostModel(
                    dwG.directMacs() / positive(t[0] - overhead),
                    denseG.directMacs() / positive(t[1] - overhead),
                    fftPointLogs / positive(t[2]),
                    products / positive(t[3]),
                    overhead * 8);
        }
    }

    private static double positive(double ms) {
        return Math.max(ms, 1e-3);
    }

    /** Forgets every decision in memory (the disk cache is kept); for tests and benchmarks. */
    public void forgetDecisions() {
        decisions.clear();
    }

    @Override
    public String toString() {
        return "ConvAutoTuner" + Arrays.asList(store.file());
    }
}
