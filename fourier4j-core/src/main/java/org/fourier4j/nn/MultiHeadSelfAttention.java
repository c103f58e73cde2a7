package org.fourier4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.TruncatedNormalInitializer;
import ai.djl.util.PairList;
import org.fourier4j.fft.EngineArrays;

/**
 * ViT's multi-head self-attention (timm {@code Attention}), the quadratic baseline.
 *
 * <p>Input and output (B, N, D), any N. {@code qkv = Linear(D, 3D)(x)} split as (3, heads, D /
 * heads) per token (rows q, then k, then v); per head {@code softmax(q k^T / sqrt(D / heads)) v};
 * heads concatenated; {@code proj = Linear(D, D)}. Children {@code qkv} (weight (3D, D)) and {@code
 * proj} (weight (D, D)) as timm names them; weights trunc-normal 0.02, biases 0. Cost O(N^2 D) time
 * and O(heads N^2) memory.
 */
public final class MultiHeadSelfAttention extends AbstractBlock implements FlopCountable {

    private static final String NAME = "MultiHeadSelfAttention";

    private final long hidden;
    private final int heads;
    private final Linear qkv;
    private final Linear proj;
    private final Dropout attentionDropout;
    private final Dropout projectionDropout;

    private MultiHeadSelfAttention(Builder b) {
        super((byte) 1);
        this.hidden = b.hidden;
        this.heads = b.heads > 0 ? b.heads : (b.hidden % 64 == 0 ? (int) (b.hidden / 64) : 1);
        qkv =
                addChildBlock(
                        "qkv", Linear.builder().setUnits(3 * hidden).optBias(b.qkvBias).build());
        proj = addChildBlock("proj", Linear.builder().setUnits(hidden).build());
        for (Linear l : new Linear[] {qkv, proj}) {
            l.setInitializer(new TruncatedNormalInitializer(0.02f), Parameter.Type.WEIGHT);
            l.setInitializer(Initializer.ZEROS, Parameter.Type.BIAS);
        }
        attentionDropout =
                b.attentionDropout > 0
                        ? addChildBlock(
                                "attn_drop", Dropout.builder().optRate(b.attentionDropout).build())
                        : null;
        projectionDropout =
                b.projectionDropout > 0
                        ? addChildBlock(
                                "proj_drop", Dropout.builder().optRate(b.projectionDropout).build())
                        : null;
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
     * Returns the number of heads.
     *
     * @return heads
     */
    public int getHeads() {
        return heads;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = BlockInputs.single(NAME, inputs);
        check(x.getShape());
        long b = x.getShape().get(0);
        long n = x.getShape().get(1);
        long headDim = hidden / heads;
        NDArray packed =
                qkv.forward(ps, new NDList(x), training)
                        .head()
                        .reshape(b, n, 3, heads, headDim)
                        .transpose(2, 0, 3, 1, 4); // (3, B, heads, N, headDim)
        NDArray q = packed.get(0).mul(EngineArrays.scalar(x, 1 / Math.sqrt(headDim)));
        NDArray k = packed.get(1);
        NDArray v = packed.get(2);
        NDArray attention = q.matMul(k.transpose(0, 1, 3, 2)).softmax(-1);
        if (attentionDropout != null) {
            attention = attentionDropout.forward(ps, new NDList(attention), training).head();
        }
        NDArray merged = attention.matMul(v).transpose(0, 2, 1, 3).reshape(b, n, hidden);
        NDList out = proj.forward(ps, new NDList(merged), training);
        return projectionDropout == null ? out : projectionDropout.forward(ps, out, training);
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = check(BlockInputs.single(NAME, inputShapes));
        qkv.initialize(manager, dataType, s);
        proj.initialize(manager, dataType, s);
        if (attentionDropout != null) {
            attentionDropout.initialize(
                    manager, dataType, new Shape(s.get(0), heads, s.get(1), s.get(1)));
        }
        if (projectionDropout != null) {
            projectionDropout.initialize(manager, dataType, s);
        }
    }

    /**
     * The two matrix products over tokens, {@code q k^T} and {@code a v}: {@code 2 B N^2 D}
     * multiply-adds (the qkv and proj layers are counted as linear layers).
     */
    @Override
    public double ownFlops(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return 2.0 * s.get(0) * s.get(1) * s.get(1) * s.get(2);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {check(BlockInputs.single(NAME, inputShapes))};
    }

    private Shape check(Shape s) {
        return BlockInputs.withWidth(NAME, s, "(B, N, D)", 2, hidden);
    }

    /** Builds a {@link MultiHeadSelfAttention}. */
    public static final class Builder {
        private long hidden = -1;
        private int heads = -1;
        private boolean qkvBias = true;
        private float attentionDropout;
        private float projectionDropout;

        private Builder() {}

        /**
         * Sets the token width D.
         *
         * @param hidden D
         * @return this builder
         */
        public Builder setHiddenSize(long hidden) {
            this.hidden = hidden;
            return this;
        }

        /**
         * Sets the number of heads (default D / 64 when 64 divides D, as ViT's head width; else 1).
         *
         * @param heads a divisor of D
         * @return this builder
         */
        public Builder optHeads(int heads) {
            this.heads = heads;
            return this;
        }

        /**
         * Sets whether the qkv projection has a bias (default true, as timm).
         *
         * @param bias true for a bias
         * @return this builder
         */
        public Builder optQkvBias(boolean bias) {
            this.qkvBias = bias;
            return this;
        }

        /**
         * Sets dropout on the attention weights and after the projection (default 0, 0).
         *
         * @param attention on the (N, N) weights
         * @param projection on the output
         * @return this builder
         */
        public Builder optDropout(float attention, float projection) {
            this.attentionDropout = attention;
            this.projectionDropout = projection;
            return this;
        }

        /**
         * Builds the layer.
         *
         * @return the layer
         */
        public MultiHeadSelfAttention build() {
            if (hidden < 1) {
                throw new IllegalArgumentException(
                        NAME + ": hidden size must be positive, got " + hidden);
            }
            if (heads != -1 && (heads < 1 || hidden % heads != 0)) {
                throw new IllegalArgumentException(
                        NAME + ": heads=" + heads + " must be positive and divide D=" + hidden);
            }
            if (!(attentionDropout >= 0
                    && attentionDropout < 1
                    && projectionDropout >= 0
                    && projectionDropout < 1)) {
                throw new IllegalArgumentException(NAME + ": dropout rates must be in [0, 1)");
            }
            return new MultiHeadSelfAttention(this);
        }
    }
}
