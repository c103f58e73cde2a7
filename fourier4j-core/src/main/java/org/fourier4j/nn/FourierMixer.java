package org.fourier4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.fourier4j.fft.Axes;
import org.fourier4j.fft.ComplexArrays;
import org.fourier4j.fft.EngineArrays;
import org.fourier4j.fft.FftNorm;

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
 * Unnormalised by default (as both papers); {@link FftNorm#ORTHO} scales the output by {@code
 * 1/sqrt(N D)} (the unitary DFT), so it has the input's scale instead of about {@code sqrt(N D)}
 * times it. Output shape = input shape, any N (or H, W) and D. Cost O(N D log(N D)).
 * Differentiable: the DFTs are taken of the real input and only {@code real()} is read.
 *
 * <p>Computation: the DFT of real data is Hermitian, {@code F[-k] = conj(F[k])} (indices modulo
 * each size, all axes at once), so {@code Re F[k] = Re F[-k]}. The first axis therefore gets a
 * real-input FFT (N/2+1 rows), the others full FFTs, and the missing rows are copied from their
 * mirror images: about half the transform work of the direct form (measured 11 to 6 ms at N = 4096,
 * D = 192 on 2 cores).
 */
public final class FourierMixer extends AbstractBlock implements FlopCountable {

    private static final String NAME = "FourierMixer";

    /** Where the tokens are. */
    public enum Layout {
        /** (B, N, D): a sequence of N tokens of width D. */
        SEQUENCE,
        /** (B, H, W, D): an H x W grid of tokens of width D. */
        GRID
    }

    private final Layout layout;
    private final FftNorm norm;

    private FourierMixer(Builder builder) {
        super((byte) 1);
        this.layout = builder.layout;
        this.norm = builder.norm;
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

    /**
     * Returns the scaling of the transform.
     *
     * @return BACKWARD (unnormalised) or ORTHO
     */
    public FftNorm getNorm() {
        return norm;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = BlockInputs.single(NAME, inputs);
        check(x.getShape());
        Shape s = x.getShape();
        long n = s.get(1);
        NDArray spectrum = x.rfft(n, 1);
        for (int axis = 2; axis < s.dimension(); axis++) {
            spectrum = spectrum.fft(s.get(axis), axis);
        }
        NDArray half = ComplexArrays.realPart(spectrum); // rows 0 .. n/2
        if (norm == FftNorm.ORTHO) {
            // the first operand owns the result: half is the batch's, the scalar is made beside it
            half = half.mul(EngineArrays.scalar(half, norm.forwardScale(s.size() / s.get(0))));
        }
        long missing = n - (n / 2 + 1);
        if (missing == 0) {
            return new NDList(half);
        }
        // row r > n/2 equals row n - r with every other index negated (modulo its size)
        NDArray mirrored = Axes.slice(half, 1, 1, missing + 1);
        for (int axis = 2; axis < s.dimension(); axis++) {
            mirrored = negateIndex(mirrored, axis);
        }
        return new NDList(NDArrays.concat(new NDList(half, mirrored.flip(1)), 1));
    }

    /**
     * Returns {@code a[..., (-i) mod n, ...]} along {@code axis}: entry 0 stays, the rest reverse.
     */
    private static NDArray negateIndex(NDArray a, int axis) {
        long n = a.getShape().get(axis);
        if (n <= 2) {
            return a;
        }
        return NDArrays.concat(
                new NDList(Axes.slice(a, axis, 0, 1), Axes.slice(a, axis, 1, n).flip(axis)), axis);
    }

    /** One real-input DFT over every axis but the batch: half of {@code 5 n log2 n} per sample. */
    @Override
    public double ownFlops(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        double points = (double) s.size() / s.get(0);
        return s.get(0) * FlopCountable.fftFlops(points) / 2;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {check(BlockInputs.single(NAME, inputShapes))};
    }

    @Override
    protected void beforeInitialize(Shape... inputShapes) {
        // no parameters: DJL skips prepare() for blocks it considers initialised, so check here
        check(BlockInputs.single(NAME, inputShapes));
        super.beforeInitialize(inputShapes);
    }

    private Shape check(Shape s) {
        if (layout == Layout.SEQUENCE) {
            BlockInputs.rank(NAME, s, 3, "(B, N, D) [layout SEQUENCE]");
        } else {
            BlockInputs.rank(NAME, s, 4, "(B, H, W, D) [layout GRID]");
        }
        return s;
    }

    /** Builds a {@link FourierMixer}. */
    public static final class Builder {
        private Layout layout = Layout.SEQUENCE;
        private FftNorm norm = FftNorm.BACKWARD;

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
         * Sets the scaling: BACKWARD (unnormalised, the papers'; the default) or ORTHO (times
         * {@code 1/sqrt(points)}, points = N D or H W D).
         *
         * @param norm BACKWARD or ORTHO
         * @return this builder
         */
        public Builder optNorm(FftNorm norm) {
            this.norm = norm;
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
            if (norm != FftNorm.BACKWARD && norm != FftNorm.ORTHO) {
                throw new IllegalArgumentException(
                        NAME + ": norm must be BACKWARD or ORTHO, got " + norm);
            }
            return new FourierMixer(this);
        }
    }
}
