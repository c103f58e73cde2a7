package org.fourier4j.inference.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fourier4j.fft.ConvAutoTuner;
import org.fourier4j.fft.Timing;
import org.fourier4j.models.ImageClassifier;
import org.fourier4j.plan.InferencePlan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One model's logits through the engine {@link EngineChoice} picks for each input shape: its {@link
 * InferencePlan} on DJL, or another engine's runner (prepared once per image size, shared by every
 * batch size). Safe for several threads.
 *
 * <p>The plan is compiled when a shape first needs it. A choice that times the plan against another
 * engine compiles it for that, and frees it again when the other engine wins: the plan holds its
 * own folded copy of the weights, which a model served by the other engine never uses.
 */
public final class ModelEngines implements AutoCloseable {

    private static final Logger LOGGER = LoggerFactory.getLogger(ModelEngines.class);

    private final String identity;
    private final ImageClassifier model;
    private final String requested;
    private final List<InferenceEngine> engines;
    private InferencePlan plan;
    private final Map<String, String> chosen = new HashMap<>();
    private final Map<String, InferenceEngine.Runner> runners = new HashMap<>();

    /**
     * @param identity what decides the speed besides the shape: the architecture and its form
     * @param model the network with its weights (in its inference form)
     */
    public ModelEngines(String identity, ImageClassifier model) {
        this(identity, model, EngineChoice.requested());
    }

    /**
     * @param identity what decides the speed besides the shape: the architecture and its form
     * @param model the network with its weights (in its inference form)
     * @param requested djl, auto or an engine's name, whatever {@link EngineChoice#PROPERTY} says
     */
    public ModelEngines(String identity, ImageClassifier model, String requested) {
        this(identity, model, requested, EngineChoice.engines());
    }

    /** With the other engines given rather than found on the class path. */
    ModelEngines(
            String identity,
            ImageClassifier model,
            String requested,
            List<InferenceEngine> engines) {
        this.identity = identity;
        this.model = model;
        this.requested = requested;
        this.engines = List.copyOf(engines);
    }

    private InferenceEngine find(String name) {
        return engines.stream().filter(e -> e.name().equals(name)).findFirst().orElse(null);
    }

    /**
     * @return the model's plan on DJL, compiled on first call from the model's weights then
     */
    public synchronized InferencePlan plan() {
        if (plan == null) {
            plan = InferencePlan.compile(model);
        }
        return plan;
    }

    /**
     * @return whether the plan is compiled now (it is freed again when another engine wins a choice
     *     that compiled it)
     */
    public synchronized boolean planCompiled() {
        return plan != null;
    }

    /**
     * The logits of a batch, computed by the engine chosen for its shape.
     *
     * @param x (B, C, H, W), normalised as the model expects
     * @return (B, classes), in x's manager
     */
    public NDArray logits(NDArray x) {
        String engine = engineFor(x);
        if (engine.equals(EngineChoice.DJL)) {
            return plan().logits(x);
        }
        Shape s = x.getShape();
        // the engine reads the array's memory in place: copying it into a float[] (and ONNX
        // Runtime copying that again) cost about 1 ms per 224x224 image
        float[] y = runner(engine, s).logits(floats(x), s.getShape());
        return x.getManager().create(y, new Shape(s.get(0), y.length / s.get(0)));
    }

    /**
     * The logits and pre-logits of a batch, as DJL's predictors return them, computed by the engine
     * chosen for its shape (the choice made on the logits: the second output costs the same in
     * either engine). An engine that computes the logits alone leaves this to the plan.
     *
     * @param x (B, C, H, W), normalised as the model expects
     * @return {logits (B, classes), pre-logits (B, D)}, in x's manager
     */
    public NDList logitsAndPreLogits(NDArray x) {
        String engine = engineFor(x);
        if (!engine.equals(EngineChoice.DJL)) {
            Shape s = x.getShape();
            float[][] y;
            try {
                y = runner(engine, s).logitsAndPreLogits(floats(x), s.getShape());
            } catch (UnsupportedOperationException logitsAlone) {
                y = null;
            }
            if (y != null) {
                NDManager m = x.getManager();
                long b = s.get(0);
                return new NDList(
                        m.create(y[0], new Shape(b, y[0].length / b)),
                        m.create(y[1], new Shape(b, y[1].length / b)));
            }
        }
        return plan().logitsAndPreLogits(x);
    }

    private static java.nio.FloatBuffer floats(NDArray x) {
        if (x.getDataType() != ai.djl.ndarray.types.DataType.FLOAT32) {
            return java.nio.FloatBuffer.wrap(x.toFloatArray());
        }
        // a view of the array's memory (a contiguous copy first if it is not contiguous)
        return x.toByteBuffer(true).order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /**
     * The engine used for inputs of a shape, deciding on first sight.
     *
     * @param x an input of that shape (timed with when deciding)
     * @return djl or an engine's name
     */
    public synchronized String engineFor(NDArray x) {
        Shape s = x.getShape();
        String key = key(s);
        String e = chosen.get(key);
        if (e == null) {
            e = decide(key, x);
            chosen.put(key, e);
        }
        return e;
    }

    private String key(Shape s) {
        return String.format(
                Locale.ROOT,
                "%s %dx%d b%d t%d",
                identity,
                s.get(2),
                s.get(3),
                s.get(0),
                ConvAutoTuner.threads());
    }

    private String decide(String key, NDArray x) {
        if (!requested.equals(EngineChoice.AUTO)) {
            return requested;
        }
        if (engines.isEmpty()) {
            return EngineChoice.DJL;
        }
        InferenceEngine other = engines.get(0);
        String stamp;
        try {
            stamp = EngineChoice.stamp(other);
        } catch (RuntimeException | LinkageError ex) {
            // e.g. ONNX Runtime's native library does not load on this platform
            LOGGER.warn("{} is not usable here: {}; using djl", other.name(), ex.toString());
            return EngineChoice.DJL;
        }
        String cached = EngineChoice.cached(key, stamp);
        if (cached != null && (cached.equals(EngineChoice.DJL) || find(cached) != null)) {
            return cached;
        }
        InferenceEngine.Runner r;
        try {
            r = runner(other.name(), x.getShape());
        } catch (RuntimeException | LinkageError ex) {
            // e.g. a layer with no export: DJL it is, for good
            LOGGER.info("{} cannot run {}: {}; using djl", other.name(), identity, ex.toString());
            EngineChoice.store(key, stamp, EngineChoice.DJL, Double.NaN, Double.NaN);
            return EngineChoice.DJL;
        }
        long[] dims = x.getShape().getShape();
        NDManager parent = x.getManager();
        boolean compiledForTheChoice = plan == null;
        InferencePlan timedPlan = plan();
        Runnable djl =
                () -> {
                    try (NDManager step = parent.newSubManager()) {
                        // results belong to the first operand's manager: a view owned by this run
                        NDArray view = x.reshape(x.getShape());
                        view.attach(step);
                        NDArray y = timedPlan.logits(view);
                        y.attach(step);
                        y.toFloatArray();
                    }
                };
        Runnable theirs = () -> r.logits(floats(x), dims);
        // the plan calls the engine op by op from Java: until the JIT has compiled that code (a
        // second or two) it runs 20-40% slower, and a choice made then would favour the other
        Timing.Samples timed =
                Timing.interleaved(
                        new Runnable[] {djl, theirs},
                        Timing.Rounds.of(2, 7).atLeast(3).budgetMs(3000).warmupMs(1500));
        double[] ms = timed.medians();
        double ratio = timed.pairedRatio(1, 0);
        String winner = EngineChoice.otherWins(ratio) ? other.name() : EngineChoice.DJL;
        LOGGER.info(
                "engine for {}: {} (djl {} ms, {} {} ms, paired ratio {})",
                key,
                winner,
                String.format(Locale.ROOT, "%.1f", ms[0]),
                other.name(),
                String.format(Locale.ROOT, "%.1f", ms[1]),
                String.format(Locale.ROOT, "%.3f", ratio));
        EngineChoice.store(key, stamp, winner, ms[0], ms[1]);
        if (winner.equals(EngineChoice.DJL)) {
            // the runner holds a second copy of the weights: free it until a shape wants it
            close(other.name() + " " + dims[2] + "x" + dims[3]);
        } else if (compiledForTheChoice) {
            // no caller has the plan yet (every use goes through this locked choice first)
            plan = null;
            timedPlan.close();
        }
        return winner;
    }

    private synchronized InferenceEngine.Runner runner(String engine, Shape s) {
        String size = engine + " " + s.get(2) + "x" + s.get(3);
        InferenceEngine.Runner r = runners.get(size);
        if (r == null) {
            InferenceEngine e = find(engine);
            if (e == null) {
                throw new IllegalArgumentException(
                        EngineChoice.PROPERTY
                                + " must be one of "
                                + EngineChoice.choices()
                                + ", got '"
                                + engine
                                + "'");
            }
            r =
                    e.open(
                            model,
                            Math.toIntExact(s.get(2)),
                            Math.toIntExact(s.get(3)),
                            ConvAutoTuner.threads());
            runners.put(size, r);
        }
        return r;
    }

    private synchronized void close(String size) {
        InferenceEngine.Runner r = runners.remove(size);
        if (r != null) {
            r.close();
        }
    }

    @Override
    public synchronized void close() {
        runners.values().forEach(InferenceEngine.Runner::close);
        runners.clear();
        if (plan != null) {
            plan.close();
            plan = null;
        }
    }
}
