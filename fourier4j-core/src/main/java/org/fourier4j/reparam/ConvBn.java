package org.fourier4j.reparam;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.fourier4j.fft.ConvAlgorithm;
import org.fourier4j.nn.Act;
import org.fourier4j.nn.FftConv2d;
import org.fourier4j.nn.Transparent;

/**
 * A convolution without bias, a batch norm, and optionally an activation: RepLKNet's {@code
 * conv_bn} / {@code conv_bn_relu} (children {@code conv}, {@code bn}, {@code nonlinear};
 * DingXiaoH/RepLKNet-pytorch, {@code replknet.py}) and FFNet's {@code Conv2d_BN} (children {@code
 * c}, {@code bn}; ysj9909/FFNet, {@code models/ffnet.py}). The child names are configurable for
 * that reason.
 *
 * <p>A ConvBn is not {@link Fusable} by itself (RepLKNet's deploy form keeps its conv-BN pairs);
 * {@link #equivalentConv()} gives the convolution it equals (before the activation), which a {@link
 * MultiBranchConv} uses to fuse it, alone (FFNet's {@code Conv2d_BN}) or with other branches.
 */
public class ConvBn extends ConvUnit implements ConvBranch {

    private final float eps;
    private final FftConv2d conv;
    private final BatchNorm bn;
    private final Act act;

    private ConvBn(Builder b) {
        super(b.spec);
        this.eps = b.eps;
        this.conv = addChildBlock(b.convName, b.spec.conv(false));
        this.bn = addChildBlock(b.bnName, BatchNormFolding.batchNorm(eps));
        this.act = b.activation == null ? null : addChildBlock("nonlinear", new Act(b.activation));
    }

    /**
     * Starts a unit.
     *
     * @param filters output channels
     * @param kernel an odd kernel size (padding kernel / 2)
     * @return a builder
     */
    public static Builder builder(int filters, int kernel) {
        return new Builder(ConvSpec.of(filters, kernel));
    }

    /**
     * @return the convolution (no bias)
     */
    public FftConv2d conv() {
        return conv;
    }

    /**
     * @return the activation after the batch norm, or null
     */
    public Act.Kind activation() {
        return act == null ? null : act.kind();
    }

    /**
     * The convolution equal to conv + BN in inference ({@link BatchNormFolding#afterConv}); the
     * activation, if any, comes after it.
     *
     * @return new detached arrays in the parameters' manager
     */
    @Override
    public ConvWeights equivalentConv() {
        Units.requireInitialized(this, "ConvBn");
        return BatchNormFolding.afterConv(conv.getParameters().get("weight").getArray(), bn, eps);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList y = bn.forward(ps, conv.forward(ps, inputs, training), training);
        return act == null ? y : act.forward(ps, y, training);
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        conv.initialize(manager, dataType, inputShapes);
        Shape[] out = conv.getOutputShapes(inputShapes);
        for (Block b : new Block[] {bn, act}) {
            if (b != null) {
                b.initialize(manager, dataType, out);
            }
        }
    }

    /** A ConvBn whose children are named as its parent's own (FFNet's {@code Conv2d_BN}). */
    static final class Own extends ConvBn implements Transparent {
        Own(Builder b) {
            super(b);
        }
    }

    /** Builds a {@link ConvBn}. */
    public static final class Builder {
        private ConvSpec spec;
        private float eps = BatchNormFolding.BN_EPS;
        private String convName = "conv";
        private String bnName = "bn";
        private Act.Kind activation;

        private Builder(ConvSpec spec) {
            this.spec = spec;
        }

        /**
         * @param stride the stride (default 1)
         * @return this builder
         */
        public Builder optStride(int stride) {
            spec = spec.withStride(stride);
            return this;
        }

        /**
         * @param groups the groups (default 1)
         * @return this builder
         */
        public Builder optGroups(int groups) {
            spec = spec.withGroups(groups);
            return this;
        }

        /**
         * @param algorithm how the convolution computes (default DIRECT)
         * @return this builder
         */
        public Builder optAlgorithm(ConvAlgorithm algorithm) {
            spec = spec.withAlgorithm(algorithm);
            return this;
        }

        /**
         * @param conv the convolution's name (default {@code conv}; FFNet: {@code c})
         * @param bn the batch norm's name (default {@code bn})
         * @return this builder
         */
        public Builder optNames(String conv, String bn) {
            this.convName = conv;
            this.bnName = bn;
            return this;
        }

        /**
         * @param kind the activation after the batch norm (child {@code nonlinear}), or null
         * @return this builder
         */
        public Builder optActivation(Act.Kind kind) {
            this.activation = kind;
            return this;
        }

        /**
         * @param eps the batch norm's epsilon (default {@link BatchNormFolding#BN_EPS})
         * @return this builder
         */
        public Builder optEps(float eps) {
            this.eps = eps;
            return this;
        }

        /**
         * @return the unit
         */
        public ConvBn build() {
            return new ConvBn(this);
        }

        /** The unit with its children named as its parent's. */
        ConvBn buildOwn() {
            return new Own(this);
        }
    }
}
