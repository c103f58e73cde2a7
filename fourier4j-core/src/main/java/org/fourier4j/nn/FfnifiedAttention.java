package org.fourier4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.TruncatedNormalInitializer;
import ai.djl.util.PairList;
import org.fourier4j.reparam.ConvSpec;
import org.fourier4j.reparam.FfNetUnits;
import org.fourier4j.reparam.Fusable;
import org.fourier4j.reparam.MultiBranchConv;
import org.fourier4j.reparam.Reparameterizer;

/**
 * FFNet/MetaMixer's token mixer, "FFNified attention" ({@code Token_Mixer} of the official code,
 * ysj9909/FFNet {@code models/ffnet.py}): attention's query-key-value structure with the
 * interactions replaced by depthwise convolutions and softmax by GELU.
 *
 * <p>Input and output (B, C, H, W), any H, W: {@code TM(x) = DW2(act(DW1(PW(x))))}, with
 *
 * <ul>
 *   <li>{@code fc}: 1x1 convolution C to C plus BatchNorm (query projection, a {@code Conv2d_BN});
 *   <li>{@code conv1}, {@code conv2}: depthwise k1 x k1 and k2 x k2 convolutions (query-key and
 *       coefficient-value interactions). For k = 7 each is a {@code RepVGGDW}: a 7x7 conv+BN branch
 *       plus a 3x3 conv+BN branch, summed; for other k a plain depthwise convolution with bias;
 *   <li>act: GELU (exact), or ReLU with {@link Builder#optGelu}(false).
 * </ul>
 *
 * Defaults k1 = k2 = 7 (FFNet stages 3-4; stages 1-2 use 3). Init as the paper's code: convolution
 * weights trunc-normal 0.02, biases 0, BatchNorm gamma 1, beta 0 (eps 1e-5).
 *
 * <p>Training form vs inference form: the {@code Conv2d_BN} and {@code RepVGGDW} units are {@link
 * MultiBranchConv}s ({@link FfNetUnits}); {@link #fuse()} folds every BatchNorm (running
 * statistics) into its convolution and merges each RepVGGDW's branches in place, leaving three
 * plain convolutions with bias ({@code fc}, {@code conv1}, {@code conv2}) named as the official
 * deploy form; {@link #reparameterize()} returns a fused copy and leaves this block unchanged. In
 * inference mode both forms give the same output up to rounding.
 */
public final class FfnifiedAttention extends AbstractBlock implements FlopCountable, Fusable {

    private static final String NAME = "FfnifiedAttention";

    private final long channels;
    private final int kernel1;
    private final int kernel2;
    private final boolean gelu;
    private final Block pointwise;
    private final Block depthwise1;
    private final Block depthwise2;

    private FfnifiedAttention(Builder b, boolean inference) {
        super((byte) 1);
        this.channels = b.channels;
        this.kernel1 = b.kernel1;
        this.kernel2 = b.kernel2;
        this.gelu = b.gelu;
        int c = (int) channels;
        pointwise = addChildBlock("fc", FfNetUnits.convBn(c, 1, 1, 1, inference));
        depthwise1 = addChildBlock("conv1", depthwise(c, kernel1, inference));
        depthwise2 = addChildBlock("conv2", depthwise(c, kernel2, inference));
        setInitializer(new TruncatedNormalInitializer(0.02f), Parameter.Type.WEIGHT);
        setInitializer(Initializer.ZEROS, Parameter.Type.BIAS);
    }

    private static Block depthwise(int channels, int kernel, boolean inference) {
        return kernel == 7
                ? FfNetUnits.repVggDw(channels, channels, kernel, 1, inference)
                : ConvSpec.of(channels, kernel).withGroups(channels).conv(true);
    }

    /**
     * Returns a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @return true for GELU between the depthwise convolutions, false for ReLU
     */
    public boolean usesGelu() {
        return gelu;
    }

    /**
     * Returns whether this is the merged single-branch inference form.
     *
     * @return {@link #isFused()}
     */
    public boolean isReparameterized() {
        return isFused();
    }

    @Override
    public boolean isFused() {
        return Reparameterizer.isInferenceForm(pointwise)
                && Reparameterizer.isInferenceForm(depthwise1)
                && Reparameterizer.isInferenceForm(depthwise2);
    }

    /**
     * Fuses the {@code Conv2d_BN} and {@code RepVGGDW} units in place.
     *
     * @return false if already fused
     */
    @Override
    public boolean fuse() {
        if (isFused()) {
            return false;
        }
        if (!isInitialized()) {
            throw new IllegalStateException(NAME + ": initialize the block before fusing it");
        }
        for (Block b : new Block[] {pointwise, depthwise1, depthwise2}) {
            Reparameterizer.toInferenceForm(b);
        }
        return true;
    }

    /**
     * Returns whether GELU (else ReLU) sits between the depthwise convolutions.
     *
     * @return true for GELU
     */
    public boolean isGelu() {
        return gelu;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = BlockInputs.single(NAME, inputs);
        check(x.getShape());
        NDList q = pointwise.forward(ps, new NDList(x), training);
        NDArray qk = depthwise1.forward(ps, q, training).head();
        NDArray a = gelu ? Activation.gelu(qk) : Activation.relu(qk);
        return depthwise2.forward(ps, new NDList(a), training);
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = check(BlockInputs.single(NAME, inputShapes));
        pointwise.initialize(manager, dataType, s);
        depthwise1.initialize(manager, dataType, s);
        depthwise2.initialize(manager, dataType, s);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {check(BlockInputs.single(NAME, inputShapes))};
    }

    /**
     * Returns 0: all of this mixer's arithmetic is in its child convolutions (counted there as
     * multiply-adds); the BatchNorms, the RepVGGDW branch sums and the activation are not counted.
     *
     * @param inputShapes the input shape (B, C, H, W)
     * @return 0
     */
    @Override
    public double ownFlops(Shape[] inputShapes) {
        return 0;
    }

    private Shape check(Shape s) {
        return BlockInputs.withWidth(NAME, s, "(B, C, H, W)", 1, channels);
    }

    /**
     * Returns the inference form: an initialised copy of this block, fused ({@link #fuse()}), in
     * this block's manager and precision. Equal to this block in inference mode ({@code training =
     * false}); this block is left unchanged.
     *
     * @return the single-branch block ({@code this} if already fused)
     */
    public FfnifiedAttention reparameterize() {
        if (isFused()) {
            return this;
        }
        if (!isInitialized()) {
            throw new IllegalStateException(
                    NAME + ": initialize the block before reparameterize()");
        }
        FfnifiedAttention copy = new FfnifiedAttention(toBuilder(), false);
        PairList<String, Parameter> from = getParameters();
        PairList<String, Parameter> to = copy.getParameters();
        for (int i = 0; i < from.size(); i++) {
            to.valueAt(i).setArray(from.valueAt(i).getArray().duplicate());
        }
        NDArray any = from.valueAt(0).getArray();
        copy.initialize(any.getManager(), any.getDataType(), inputShapes);
        copy.fuse();
        return copy;
    }

    private Builder toBuilder() {
        return builder().setChannels(channels).optKernelSizes(kernel1, kernel2).optGelu(gelu);
    }

    /** Builds a {@link FfnifiedAttention}. */
    public static final class Builder {
        private long channels = -1;
        private int kernel1 = 7;
        private int kernel2 = 7;
        private boolean gelu = true;

        private Builder() {}

        /**
         * Sets the channel count C.
         *
         * @param channels C
         * @return this builder
         */
        public Builder setChannels(long channels) {
            this.channels = channels;
            return this;
        }

        /**
         * Sets the two depthwise kernel sizes (default 7, 7; odd). Size 7 gets the RepVGGDW
         * training branches, other sizes a plain depthwise convolution with bias, as in FFNet.
         *
         * @param first k1 (query-key)
         * @param second k2 (coefficient-value)
         * @return this builder
         */
        public Builder optKernelSizes(int first, int second) {
            this.kernel1 = first;
            this.kernel2 = second;
            return this;
        }

        /**
         * Sets GELU (default) or ReLU between the depthwise convolutions.
         *
         * @param gelu true for GELU
         * @return this builder
         */
        public Builder optGelu(boolean gelu) {
            this.gelu = gelu;
            return this;
        }

        /**
         * Builds the training form.
         *
         * @return the mixer
         */
        public FfnifiedAttention build() {
            validate();
            return new FfnifiedAttention(this, false);
        }

        private void validate() {
            if (channels < 1
                    || kernel1 < 1
                    || kernel2 < 1
                    || kernel1 % 2 == 0
                    || kernel2 % 2 == 0) {
                throw new IllegalArgumentException(
                        NAME
                                + ": need channels >= 1 and odd kernel sizes, got C="
                                + channels
                                + ", k1="
                                + kernel1
                                + ", k2="
                                + kernel2);
            }
        }

        /**
         * Builds the inference form directly: the three plain convolutions with bias that {@link
         * FfnifiedAttention#reparameterize()} produces, e.g. to load weights already fused.
         *
         * @return the single-branch mixer
         */
        public FfnifiedAttention buildInferenceForm() {
            validate();
            return new FfnifiedAttention(this, true);
        }
    }
}
