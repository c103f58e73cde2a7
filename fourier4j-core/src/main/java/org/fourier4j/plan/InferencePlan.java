package org.fourier4j.plan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import org.fourier4j.fft.GradientRecording;
import org.fourier4j.models.ClassifierHead;
import org.fourier4j.models.ImageClassifier;
import org.fourier4j.models.MetaFormer;

/**
 * A model compiled for inference: the same function as the model in inference mode, computed with
 * fewer and cheaper engine calls. The model itself is not changed (its parameters, names and saved
 * form stay as they are); the plan reads its weights once, when compiled.
 *
 * <ul>
 *   <li>Batch norms (running statistics) and layer scales are folded into the convolution or linear
 *       layer beside them, on copies of the weights (in float64, rounded once); re-parameterisable
 *       units (RepLKNet, FFNet) run as their single fused convolution.
 *   <li>Activations flow in channels-last memory (logical shape (B, C, H, W) unchanged): the
 *       engine's depthwise and dense convolutions are fastest on it, 1x1 convolutions become one
 *       matrix product with the weight as stored, and channel norms need no copy.
 *   <li>Every intermediate is freed as soon as it is used; a residual sum is taken in place.
 *   <li>Blocks the compiler does not know run unchanged, in a scope of their own.
 * </ul>
 *
 * <p>Logits equal the model's up to float32 rounding (the folded weights and the reordered sums;
 * checked against the model for every zoo name in the tests). While a gradient may be recorded the
 * plan runs the model itself. A plan is a snapshot: compile it again after the weights change.
 * Thread-safe; close it (or the model's manager) to free the folded weights.
 *
 * <pre>{@code
 * try (InferencePlan plan = InferencePlan.compile(model)) {
 *     NDArray logits = plan.logits(images);
 * }
 * }</pre>
 */
public final class InferencePlan implements AutoCloseable {

    private final ImageClassifier model;
    private final NDManager manager;
    private final Step body;
    private final Step preLogits;
    private final Step fromPreLogits;
    private final Step logitsOnly;
    private final boolean channelsLast;

    private InferencePlan(ImageClassifier model, NDManager manager) {
        this.model = model;
        this.manager = manager;
        PlanCompiler c = new PlanCompiler(new PlanContext(manager));
        if (model instanceof MetaFormer) {
            ClassifierHead head = ((MetaFormer) model).head();
            List<Block> parts = new ArrayList<>();
            for (Block b : model.getChildren().values()) {
                if (b != head) {
                    parts.add(b);
                }
            }
            Step features = c.chain(parts);
            AffineStep moved = null;
            if (head.pool() == ClassifierHead.Pool.MEAN_CHANNELS_FIRST) {
                moved = trailingAffine(features);
                if (moved != null) {
                    features = withoutLast(features);
                    moved = (AffineStep) moved.onChannelsLast(); // on the pooled (B, C)
                }
            }
            Block norm = PlanCompiler.childOrNull(head, "norm");
            Step pool = new HeadSteps.Pool(head.pool());
            Step normStep = norm == null ? null : c.compile(norm);
            Block dist = PlanCompiler.childOrNull(head, "dist");
            Step logits =
                    new HeadSteps.Logits(
                            c.compile(PlanCompiler.child(head, "fc")),
                            dist == null ? null : c.compile(dist),
                            head.isTanh());
            this.body = features;
            this.preLogits = ChainStep.of(listOf(pool, moved, normStep));
            this.fromPreLogits = logits;
            this.logitsOnly = ChainStep.of(listOf(pool, moved, normStep, logits));
            this.channelsLast = true;
        } else {
            this.body = new BlockStep(model);
            this.preLogits = null;
            this.fromPreLogits = null;
            this.logitsOnly = null;
            this.channelsLast = false;
        }
    }

    /**
     * Compiles an initialised model (with its weights loaded).
     *
     * @param model the model
     * @return its plan
     * @throws IllegalStateException if the model is not initialised
     */
    public static InferencePlan compile(ImageClassifier model) {
        if (!model.isInitialized() || model.getParameters().isEmpty()) {
            throw new IllegalStateException(
                    "InferencePlan: initialise the model (and load its weights) before compiling"
                            + " it");
        }
        Parameter any = model.getParameters().valueAt(0);
        NDManager m = any.getArray().getManager().newSubManager();
        try {
            return new InferencePlan(model, m);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /**
     * @return the model this plan computes
     */
    public ImageClassifier model() {
        return model;
    }

    /**
     * The logits of a batch, as {@code model.forward(ps, images, false)}.
     *
     * @param images (B, C, H, W)
     * @return (B, classes), in the images' manager
     */
    public NDArray logits(NDArray images) {
        if (logitsOnly == null || GradientRecording.mayRecord(images)) {
            return model.forward(store(images), new NDList(images), false).singletonOrThrow();
        }
        try (NDArray features = features(images)) {
            return logitsOnly.apply(features);
        }
    }

    /**
     * The logits and the pre-logits (the pooled, normalised features the classifier takes), as
     * {@link ImageClassifier#forwardPreLogits} and {@link ImageClassifier#forwardLogits} give them.
     *
     * @param images (B, C, H, W)
     * @return {@code [logits (B, classes), pre-logits (B, D)]}, in the images' manager
     */
    public NDList logitsAndPreLogits(NDArray images) {
        if (preLogits == null || GradientRecording.mayRecord(images)) {
            ParameterStore ps = store(images);
            NDArray pre =
                    model.forwardPreLogits(ps, model.forwardFeatures(ps, images, false), false);
            return new NDList(model.forwardLogits(ps, pre, false), pre);
        }
        NDArray pre;
        try (NDArray features = features(images)) {
            pre = preLogits.apply(features);
        }
        return new NDList(fromPreLogits.apply(pre), pre);
    }

    /**
     * @return what the plan is made of
     */
    public PlanCensus census() {
        PlanCensus census = new PlanCensus();
        body.count(census);
        if (logitsOnly != null) {
            logitsOnly.count(census);
        }
        return census;
    }

    private NDArray features(NDArray images) {
        Shape s = images.getShape();
        int channels = model.options().inChannels();
        if (s.dimension() != 4 || s.get(1) != channels) {
            throw new IllegalArgumentException(
                    model.modelName() + ": expected images (B, " + channels + ", H, W), got " + s);
        }
        if (!channelsLast || images.getShape().dimension() != 4) {
            return body.apply(images);
        }
        try (NDArray x = ChannelsLast.of(images)) {
            return body.apply(x);
        }
    }

    private static ParameterStore store(NDArray images) {
        return new ParameterStore(images.getManager(), false);
    }

    private static AffineStep trailingAffine(Step s) {
        if (s instanceof AffineStep && ((AffineStep) s).axis() == AffineStep.Axis.CHANNELS_FIRST) {
            return (AffineStep) s;
        }
        return s instanceof ChainStep ? trailingAffine(((ChainStep) s).last()) : null;
    }

    private static Step withoutLast(Step s) {
        if (s instanceof AffineStep) {
            return IdentityStep.INSTANCE;
        }
        ChainStep chain = (ChainStep) s;
        return chain.replaceLast(withoutLast(chain.last()));
    }

    private static List<Step> listOf(Step... steps) {
        List<Step> out = new ArrayList<>();
        for (Step s : steps) {
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    /** Frees the plan's own arrays (the folded weights); the model is left as it is. */
    @Override
    public void close() {
        manager.close();
    }
}
