package org.fourier4j.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.fourier4j.fft.EngineArrays;
import org.fourier4j.nn.Pooling;

/**
 * The classifier head of a {@link MetaFormer}: pool the features, an optional {@code norm}, the
 * linear {@code fc} (or another classifier block in its place, such as the MetaFormer baselines'
 * MLP head), and optionally a second linear {@code dist} (DeiT-style distillation head, averaged
 * with {@code fc}) and a tanh on the logits (the FiT seed code's head).
 */
public final class ClassifierHead extends AbstractBlock {

    /** How the features become one vector per image. */
    public enum Pool {
        /** Mean over axes 2 and 3 of (B, C, H, W) maps. */
        MEAN_CHANNELS_FIRST,
        /** Mean over axes 1 and 2 of (B, H, W, C) grids. */
        MEAN_CHANNELS_LAST,
        /** Mean over the tokens of (B, N, D). */
        MEAN_TOKENS,
        /** The first token of (B, N, D) (the class token). */
        CLASS_TOKEN;

        /**
         * Pools features to one vector per image.
         *
         * @param x the model's features
         * @return (B, D)
         */
        public NDArray apply(NDArray x) {
            switch (this) {
                case MEAN_CHANNELS_FIRST:
                    return Pooling.mean(x, false, 2, 3);
                case MEAN_CHANNELS_LAST:
                    return Pooling.mean(x, false, 1, 2);
                case MEAN_TOKENS:
                    return x.mean(new int[] {1});
                default:
                    return x.get(new NDIndex().addAllDim().addIndices(0));
            }
        }
    }

    private final Pool pool;
    private final Block norm;
    private final Block fc;
    private final Linear dist;
    private final boolean tanh;

    private ClassifierHead(Builder b) {
        this.pool = b.pool;
        this.norm = b.norm == null ? null : addChildBlock("norm", b.norm);
        this.fc = addChildBlock("fc", b.fc == null ? linear(b.classes) : b.fc);
        this.dist = b.distillation ? addChildBlock("dist", linear(b.classes)) : null;
        this.tanh = b.tanh;
    }

    private static Linear linear(int classes) {
        if (classes < 1) {
            throw new IllegalArgumentException("num_classes must be at least 1, got " + classes);
        }
        return Linear.builder().setUnits(classes).build();
    }

    /**
     * Starts a head.
     *
     * @param pool how to pool the features
     * @param classes the number of classes
     * @return a builder
     */
    public static Builder builder(Pool pool, int classes) {
        return new Builder(pool, classes);
    }

    /**
     * @return how the features are pooled
     */
    public Pool pool() {
        return pool;
    }

    /**
     * @return whether the logits are squashed with tanh
     */
    public boolean isTanh() {
        return tanh;
    }

    /**
     * @return whether there is a distillation head
     */
    public boolean hasDistillation() {
        return dist != null;
    }

    /**
     * The pooled (and normalised) features: the input of {@code fc}.
     *
     * @param ps the parameter store
     * @param features the model's features
     * @param training whether in training mode
     * @return (B, D)
     */
    public NDArray preLogits(ParameterStore ps, NDArray features, boolean training) {
        NDArray pooled = pool.apply(features);
        return norm == null
                ? pooled
                : norm.forward(ps, new NDList(pooled), training).singletonOrThrow();
    }

    /**
     * The logits of each linear head: {@code fc} and, with distillation, {@code dist}.
     *
     * @param ps the parameter store
     * @param features the model's features
     * @param training whether in training mode
     * @return one or two (B, classes) arrays
     */
    public NDList heads(ParameterStore ps, NDArray features, boolean training) {
        return linearHeads(ps, preLogits(ps, features, training), training);
    }

    private NDList linearHeads(ParameterStore ps, NDArray preLogits, boolean training) {
        NDList pre = new NDList(preLogits);
        NDList out = new NDList(fc.forward(ps, pre, training).singletonOrThrow());
        if (dist != null) {
            out.add(dist.forward(ps, pre, training).singletonOrThrow());
        }
        return out;
    }

    /**
     * The logits from the pooled features ({@link #preLogits}): {@code fc}, averaged with {@code
     * dist} when there is one, then tanh if asked.
     *
     * @param ps the parameter store
     * @param preLogits (B, D)
     * @param training whether in training mode
     * @return (B, classes)
     */
    public NDArray logits(ParameterStore ps, NDArray preLogits, boolean training) {
        NDList heads = linearHeads(ps, preLogits, training);
        NDArray logits =
                heads.size() == 1
                        ? heads.head()
                        : heads.get(0)
                                .add(heads.get(1))
                                .mul(EngineArrays.scalar(heads.get(0), 0.5));
        return tanh ? logits.tanh() : logits;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(logits(ps, preLogits(ps, inputs.singletonOrThrow(), training), training));
    }

    private Shape pooledShape(Shape s) {
        switch (pool) {
            case MEAN_CHANNELS_FIRST:
                return new Shape(s.get(0), s.get(1));
            default:
                return new Shape(s.get(0), s.get(s.dimension() - 1));
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return fc.getOutputShapes(new Shape[] {pooledShape(inputShapes[0])});
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape pooled = pooledShape(inputShapes[0]);
        if (norm != null) {
            norm.initialize(manager, dataType, pooled);
        }
        fc.initialize(manager, dataType, pooled);
        if (dist != null) {
            dist.initialize(manager, dataType, pooled);
        }
    }

    /** Builds a {@link ClassifierHead}. */
    public static final class Builder {
        private final Pool pool;
        private final int classes;
        private Block norm;
        private Block fc;
        private boolean distillation;
        private boolean tanh;

        private Builder(Pool pool, int classes) {
            this.pool = pool;
            this.classes = classes;
        }

        /**
         * Adds a norm after pooling (ConvNeXt's).
         *
         * @param norm a norm over the last axis of (B, D)
         * @return this builder
         */
        public Builder norm(Block norm) {
            this.norm = norm;
            return this;
        }

        /**
         * Puts another classifier in place of the linear {@code fc} (e.g. the MetaFormer baselines'
         * {@code MlpHead}: fc1, squared ReLU, norm, fc2), named {@code fc}.
         *
         * @param classifier a block from the pooled (B, D) to (B, classes)
         * @return this builder
         */
        public Builder fc(Block classifier) {
            this.fc = classifier;
            return this;
        }

        /**
         * Adds the distillation head {@code dist}, averaged with {@code fc}.
         *
         * @param on whether to add it
         * @return this builder
         */
        public Builder distillation(boolean on) {
            this.distillation = on;
            return this;
        }

        /**
         * Squashes the logits with tanh (the FiT seed code's head).
         *
         * @param on whether to
         * @return this builder
         */
        public Builder tanh(boolean on) {
            this.tanh = on;
            return this;
        }

        /**
         * @return the head
         */
        public ClassifierHead build() {
            return new ClassifierHead(this);
        }
    }
}
