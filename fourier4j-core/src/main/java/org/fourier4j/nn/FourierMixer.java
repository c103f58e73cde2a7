package org.fourier4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.fourier4j.fft.ComplexArrays;

/**
 * FNet/FiT token mixing: the real part of a multi-dimensional DFT, no parameters.
 *
 * <ul>
 *   <li>{@link Layout#SEQUENCE}: input (B, N, D) tokens; {@code y = Re(FFT_N(FFT_D(x)))}, the DFT
 *       over the sequence axis of the DFT over the hidden axis (FNet, FiT; FiT's sequence includes
 *       its CLS token).
 *   <li>{@link Layout#GRID}: input (B, H, W, D) token grids, for hierarchical models; {@code y =
 *       Re(FFT_H(FFT_W(FFT_D(x))))}: the sequence DFT becomes a 2-D DFT over the grid, the hidden
 *       DFT is kept.
 * </ul>
 *
 * Unnormalised (as both papers), output shape = input shape, any N (or H, W) and D. Cost O(N D
 * log(N D)). Differentiable: the DFTs are taken of the real input and only {@code real()} is read.
 */
public final class FourierMixer extends AbstractBlock {

    private static final String NAME = "FourierMixer";

    /** Where the tokens are. */
    public enum Layout {
        /** (B, N, D): a sequence of N tokens of width D. */
        SEQUENCE,
        /** (B, H, W, D): an H x W grid of tokens of width D. */
        GRID
    }

    private final Layout layout;

    private FourierMixer(Builder builder) {
        super((byte) 1);
        this.layout = builder.layout;
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
     * Returns the layout this mixer expects.
     *
     * @return SEQUENCE or GRID
     */
    public Layout getLayout() {
        return layout;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray x = BlockInputs.single(NAME, inputs);
        check(x.getShape());
        Shape s = x.getShape();
        NDArray spectrum;
        if (layout == Layout.SEQUENCE) {
            spectrum = x.fft(s.get(2), 2).fft(s.get(1), 1);
        } else {
            spectrum = x.fft(s.get(3), 3).fft(s.get(2), 2).fft(s.get(1), 1);
        }
        return new NDList(ComplexArrays.realPart(spectrum));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = BlockInputs.single(NAME, inputShapes);
        check(s);
        return new Shape[] {s};
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        check(BlockInputs.single(NAME, inputShapes));
    }

    private void check(Shape s) {
        if (layout == Layout.SEQUENCE) {
            BlockInputs.rank(NAME, s, 3, "(B, N, D) [layout SEQUENCE]");
        } else {
            BlockInputs.rank(NAME, s, 4, "(B, H, W, D) [layout GRID]");
        }
    }

    /** Builds a {@link FourierMixer}. */
    public static final class Builder {
        private Layout layout = Layout.SEQUENCE;

        private Builder() {}

        /**
         * Sets the layout: SEQUENCE (B, N, D), the default, or GRID (B, H, W, D).
         *
         * @param layout the layout
         * @return this builder
         */
        public Builder optLayout(Layout layout) {
            this.layout = layout;
            return this;
        }

        /**
         * Builds the mixer.
         *
         * @return the mixer
         */
        public FourierMixer build() {
            if (layout == null) {
                throw new IllegalArgumentException(NAME + ": layout must not be null");
            }
            return new FourierMixer(this);
        }
    }
}
