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
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.fourier4j.fft.FftNorm;

/**
 * A post-norm Fourier encoder layer on (B, N, D) tokens, in either of two published wirings.
 *
 * <p>With {@code m = Re(FFT_N(FFT_D(x)))} ({@link FourierMixer}) and {@code FF(h) =
 * Dropout(dense(GELU(ff(h))))} ({@code D -> F -> D}):
 *
 * <ul>
 *   <li>{@link Style#FNET} (FNet encoder block): {@code x1 = LN1(x + m)}, {@code out = LN2(x1 +
 *       FF(x1))}; GELU in its tanh form (Flax); ff/dense weights N(0, 0.02), ff bias N(0, 0.02),
 *       dense bias 0.
 *   <li>{@link Style#FIT} (FiTBlock of the FiT seed code): {@code h = LN1(m + x)}, {@code out =
 *       LN2(FF(h) + m)} - the second residual adds the raw Fourier output, not the first norm's;
 *       exact (erf) GELU; PyTorch default init, {@code U(+-1/sqrt(fan_in))} for weights and biases.
 * </ul>
 *
 * Both LayerNorms normalise each token over D with eps 1e-12. Children, named as FiT's {@code
 * FiTBlock} (siddagra/fourier-project, {@code FiT.py}): {@code fft} (no parameters), {@code
 * layerNorm1}, {@code ff} (weight (F, D)), {@code dense} (weight (D, F)), {@code layerNorm2},
 * {@code dropout}. Output (B, N, D). Any N.
 */
public final class FourierEncoderBlock extends AbstractBlock {

    private static final String NAME = "FourierEncoderBlock";

    /** Which paper's layer. */
    public enum Style {
        /** FNet: second residual from the first LayerNorm's output. */
        FNET,
        /** FiT: second residual from the Fourier output. */
        FIT
    }

    private final Style style;
    private final long hidden;
    private final Gelu gelu;
    private final FourierMixer mixer;
    private final LayerNorm norm1;
    private final Linear ff;
    private final Linear dense;
    private final LayerNorm norm2;
    private final Dropout dropout;

    private FourierEncoderBlock(Builder b) {
        super((byte) 1);
        this.style = b.style;
        this.hidden = b.hidden;
        this.gelu = b.gelu != null ? b.gelu : (b.style == Style.FNET ? Gelu.TANH : Gelu.ERF);
        mixer = addChildBlock("fft", FourierMixer.builder().optNorm(b.norm).build());
        norm1 = addChildBlock("layerNorm1", LayerNorm.builder().axis(2).optEpsilon(1e-12f).build());
        ff = addChildBlock("ff", Linear.builder().setUnits(b.feedForward).build());
        dense = addChildBlock("dense", Linear.builder().setUnits(b.hidden).build());
        norm2 = addChildBlock("layerNorm2", LayerNorm.builder().axis(2).optEpsilon(1e-12f).build());
        dropout =
                b.dropout > 0
                        ? addChildBlock("dropout", Dropout.builder().optRate(b.dropout).build())
                        : null;
        if (style == Style.FNET) {
            ff.setInitializer(Initializers.normal(0.02), Parameter.Type.WEIGHT);
            ff.setInitializer(Initializers.normal(0.02), Parameter.Type.BIAS);
            dense.setInitializer(Initializers.normal(0.02), Parameter.Type.WEIGHT);
            dense.setInitializer(
                    ai.djl.training.initializer.Initializer.ZEROS, Parameter.Type.BIAS);
        } else {
            ff.setInitializer(Initializers.torchDefaultWeight(), Parameter.Type.WEIGHT);
            ff.setInitializer(Initializers.torchDefaultBias(b.hidden), Parameter.Type.BIAS);
            dense.setInitializer(Initializers.torchDefaultWeight(), Parameter.Type.WEIGHT);
            dense.setInitializer(Initializers.torchDefaultBias(b.feedForward), Parameter.Type.BIAS);
        }
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
     * Returns the wiring.
     *
     * @return FNET or FIT
     */
    public Style getStyle() {
        return style;
    }

    /**
     * Returns the GELU form of the feed-forward network.
     *
     * @return ERF or TANH
     */
    public Gelu getGelu() {
        return gelu;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = BlockInputs.single(NAME, inputs);
        check(x.getShape());
        return InferenceScope.run(x, in -> block(ps, in, training));
    }

    private NDList block(ParameterStore ps, NDArray x, boolean training) {
        NDArray m = mixer.forward(ps, new NDList(x), training).head();
        if (style == Style.FNET) {
            NDArray x1 = norm1.forward(ps, new NDList(x.add(m)), training).head();
            NDArray f = feedForward(ps, x1, training);
            return norm2.forward(ps, new NDList(x1.add(f)), training);
        }
        NDArray h = norm1.forward(ps, new NDList(m.add(x)), training).head();
        NDArray f = feedForward(ps, h, training);
        return norm2.forward(ps, new NDList(f.add(m)), training);
    }

    private NDArray feedForward(ParameterStore ps, NDArray h, boolean training) {
        NDArray up = ff.forward(ps, new NDList(h), training).head();
        NDArray down = dense.forward(ps, new NDList(gelu.apply(up)), training).head();
        return dropout == null ? down : dropout.forward(ps, new NDList(down), training).head();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {check(BlockInputs.single(NAME, inputShapes))};
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = check(BlockInputs.single(NAME, inputShapes));
        mixer.initialize(manager, dataType, s);
        norm1.initialize(manager, dataType, s);
        ff.initialize(manager, dataType, s);
        dense.initialize(manager, dataType, ff.getOutputShapes(new Shape[] {s}));
        norm2.initialize(manager, dataType, s);
        if (dropout != null) {
            dropout.initialize(manager, dataType, s);
        }
    }

    private Shape check(Shape s) {
        return BlockInputs.withWidth(NAME, s, "(B, N, D)", 2, hidden);
    }

    /** Builds a {@link FourierEncoderBlock}. */
    public static final class Builder {
        private Style style = Style.FNET;
        private long hidden = -1;
        private long feedForward = -1;
        private float dropout;
        private Gelu gelu;
        private FftNorm norm = FftNorm.BACKWARD;

        private Builder() {}

        /**
         * Sets the Fourier mixer's scaling: BACKWARD (unnormalised, both papers; the default) or
         * ORTHO. Unnormalised, the mixer's output is about {@code sqrt(N D)} times its input, so
         * the residuals that add it drown the input and the MLP's output until the weights grow;
         * ORTHO keeps all three at one scale.
         *
         * @param norm BACKWARD or ORTHO
         * @return this builder
         */
        public Builder optFourierNorm(FftNorm norm) {
            this.norm = norm;
            return this;
        }

        /**
         * Sets the token width D.
         *
         * @param hidden D, positive
         * @return this builder
         */
        public Builder setHiddenSize(long hidden) {
            this.hidden = hidden;
            return this;
        }

        /**
         * Sets the feed-forward width F (FNet-Base 3072, FiT 2048).
         *
         * @param feedForward F, positive
         * @return this builder
         */
        public Builder setFeedForwardSize(long feedForward) {
            this.feedForward = feedForward;
            return this;
        }

        /**
         * Sets the wiring; default FNET.
         *
         * @param style FNET or FIT
         * @return this builder
         */
        public Builder optStyle(Style style) {
            this.style = style;
            return this;
        }

        /**
         * Sets the dropout after the feed-forward network; default 0 (both papers train with 0.1).
         *
         * @param rate in [0, 1)
         * @return this builder
         */
        public Builder optDropout(float rate) {
            this.dropout = rate;
            return this;
        }

        /**
         * Overrides the GELU form (default: TANH for FNET, ERF for FIT).
         *
         * @param gelu the form
         * @return this builder
         */
        public Builder optGelu(Gelu gelu) {
            this.gelu = gelu;
            return this;
        }

        /**
         * Builds the block.
         *
         * @return the block
         */
        public FourierEncoderBlock build() {
            if (hidden < 1 || feedForward < 1) {
                throw new IllegalArgumentException(
                        NAME
                                + ": hidden size and feed-forward size must be positive, got "
                                + hidden
                                + " and "
                                + feedForward);
            }
            if (style == null) {
                throw new IllegalArgumentException(NAME + ": style must not be null");
            }
            if (!(dropout >= 0 && dropout < 1)) {
                throw new IllegalArgumentException(
                        NAME + ": dropout must be in [0, 1), got " + dropout);
            }
            return new FourierEncoderBlock(this);
        }
    }
}
