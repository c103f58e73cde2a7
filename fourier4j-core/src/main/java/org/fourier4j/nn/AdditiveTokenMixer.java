package org.fourier4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * CAS-ViT's Convolutional Additive Token Mixer (CATM, {@code AdditiveTokenMixer} of the official
 * code): additive similarity of query and key, no matrix product over tokens, no softmax.
 *
 * <p>Input and output (B, C, H, W), any H, W; cost linear in H W. Steps:
 *
 * <ol>
 *   <li>{@code q, k, v} = the three C-channel thirds of {@code qkv(x)} (1x1 conv C to 3C, no bias
 *       by default), in that order;
 *   <li>{@code q' = Phi_q(q)}, {@code k' = Phi_k(k)}, each Phi = spatial then channel attention
 *       ({@code oper_q}, {@code oper_k}: {@code 0} a {@link SpatialOperation}, {@code 1} a {@link
 *       ChannelOperation}, separate weights);
 *   <li>{@code out = Dropout(proj(dwc(q' + k') * v))}, {@code dwc} and {@code proj} 3x3 depthwise
 *       convolutions with bias.
 * </ol>
 *
 * Convolutions and BatchNorm keep PyTorch's default init, as the paper's code does.
 */
public final class AdditiveTokenMixer extends AbstractBlock implements FlopCountable {

    private static final String NAME = "AdditiveTokenMixer";

    private final long channels;
    private final Conv2d qkv;
    private final Sequence operQ;
    private final Sequence operK;
    private final Conv2d dwc;
    private final Conv2d proj;
    private final Dropout dropout;

    private AdditiveTokenMixer(Builder b) {
        super((byte) 1);
        this.channels = b.channels;
        int c = (int) channels;
        qkv = addChildBlock("qkv", conv(3 * c, 1, 1, b.attentionBias));
        operQ =
                addChildBlock(
                        "oper_q", Sequence.of(new SpatialOperation(c), new ChannelOperation(c)));
        operK =
                addChildBlock(
                        "oper_k", Sequence.of(new SpatialOperation(c), new ChannelOperation(c)));
        dwc = addChildBlock("dwc", conv(c, 3, c, true));
        proj = addChildBlock("proj", conv(c, 3, c, true));
        qkv.setInitializer(Initializers.torchDefaultBias(c), Parameter.Type.BIAS);
        dwc.setInitializer(Initializers.torchDefaultBias(9), Parameter.Type.BIAS);
        proj.setInitializer(Initializers.torchDefaultBias(9), Parameter.Type.BIAS);
        dropout =
                b.dropout > 0
                        ? addChildBlock("proj_drop", Dropout.builder().optRate(b.dropout).build())
                        : null;
    }

    /** A 'same' convolution with PyTorch's default weight init. */
    static Conv2d conv(int filters, int kernel, int groups, boolean bias) {
        Conv2d c = SquareConv.centred(filters, kernel, 1, groups, bias);
        c.setInitializer(Initializers.torchDefaultWeight(), Parameter.Type.WEIGHT);
        return c;
    }

    /**
     * Returns a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = BlockInputs.single(NAME, inputs);
        check(x.getShape());
        NDList parts = qkv.forward(ps, new NDList(x), training).head().split(3, 1);
        NDArray q = operQ.forward(ps, new NDList(parts.get(0)), training).head();
        NDArray k = operK.forward(ps, new NDList(parts.get(1)), training).head();
        NDArray mixed = dwc.forward(ps, new NDList(q.add(k)), training).head().mul(parts.get(2));
        NDList out = proj.forward(ps, new NDList(mixed), training);
        return dropout == null ? out : dropout.forward(ps, out, training);
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = check(BlockInputs.single(NAME, inputShapes));
        qkv.initialize(manager, dataType, s);
        operQ.initialize(manager, dataType, s);
        operK.initialize(manager, dataType, s);
        dwc.initialize(manager, dataType, s);
        proj.initialize(manager, dataType, s);
        if (dropout != null) {
            dropout.initialize(manager, dataType, s);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {check(BlockInputs.single(NAME, inputShapes))};
    }

    private Shape check(Shape s) {
        return BlockInputs.withWidth(NAME, s, "(B, C, H, W)", 1, channels);
    }

    /**
     * Counts the additive attention's elementwise work for input (B, C, H, W), P = B C H W: the sum
     * {@code q' + k'} (P), the product with {@code v} (P), and in each of {@code oper_q} and {@code
     * oper_k} the spatial and the channel gate products (2 P each) - 6 P in all. The convolutions
     * (qkv, dwc, proj and those inside the two operations) are child blocks and counted there;
     * sigmoids, ReLU, BatchNorm and the global average pool are not counted.
     *
     * @param inputShapes the input shape (B, C, H, W)
     * @return the work, in operations (one per elementwise sum or product)
     */
    @Override
    public double ownFlops(Shape[] inputShapes) {
        return 6.0 * BlockInputs.single(NAME, inputShapes).size();
    }

    /** Builds an {@link AdditiveTokenMixer}. */
    public static final class Builder {
        private long channels = -1;
        private boolean attentionBias;
        private float dropout;

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
         * Sets whether the qkv projection has a bias (default false, the code's {@code attn_bias}).
         *
         * @param bias true for a bias
         * @return this builder
         */
        public Builder optAttentionBias(boolean bias) {
            this.attentionBias = bias;
            return this;
        }

        /**
         * Sets the output dropout (default 0).
         *
         * @param rate in [0, 1)
         * @return this builder
         */
        public Builder optDropout(float rate) {
            this.dropout = rate;
            return this;
        }

        /**
         * Builds the mixer.
         *
         * @return the mixer
         */
        public AdditiveTokenMixer build() {
            if (channels < 1 || !(dropout >= 0 && dropout < 1)) {
                throw new IllegalArgumentException(
                        NAME
                                + ": need channels >= 1 and dropout in [0, 1), got "
                                + channels
                                + ", "
                                + dropout);
            }
            return new AdditiveTokenMixer(this);
        }
    }
}
