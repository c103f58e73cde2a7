package org.fourier4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.fourier4j.fft.ComplexArrays;
import org.fourier4j.fft.FftNorm;
import org.fourier4j.fft.RealFft2;

/**
 * GFNet's global filter layer (Rao et al., "Global Filter Networks for Image Classification",
 * NeurIPS 2021; official code https://github.com/raoyongming/GFNet, {@code gfnet.py}, class {@code
 * GlobalFilter}): a learnable filter multiplied with the 2-D spectrum of a token grid.
 *
 * <p>Input (B, H, W, C) (GFNet reshapes its (B, N, C) tokens to this grid). With {@code X =
 * rfft2(x)} over (H, W), norm "ortho" (complex (B, H, W/2+1, C)), the output is {@code irfft2(X *
 * K, s = (H, W))}, norm "ortho", shape (B, H, W, C). The product in the frequency domain is a
 * circular convolution of each channel with the kernel {@code irfft2(K)} (backward norm) - a
 * depthwise convolution as large as the grid. (The two "ortho" scalings cancel around the product,
 * so the layer computes the unscaled pair, which gives the same result.)
 *
 * <p>Parameter {@code complex_weight}: a real (h, w/2+1, C, 2) array holding the complex filter
 * {@code K} ({@code [..., 0]} real, {@code [..., 1]} imaginary parts; optimizers need real
 * weights), initialised {@code N(0, 1) * 0.02}. (h, w) is the grid it is built for: set with {@link
 * GridFilterBuilder#optGridSize}, or taken from the input shape at initialisation.
 *
 * <p>Other resolutions: when the input's half spectrum (H, W/2+1) differs from (h, w/2+1), the
 * filter is resized on the fly to (H, W/2+1) by bicubic interpolation with aligned corners
 * (PyTorch's {@code A = -0.75}), real and imaginary parts as separate channels - the rule GFNet
 * applies to its weights when fine-tuning at a higher resolution (official {@code main_gfnet.py}).
 * The parameter keeps its size and receives the gradient through the interpolation. Grids whose
 * half spectra match (for example W = 8 and W = 9) use the filter as is, as GFNet's code would.
 * With {@link GridFilterBuilder#optResize} false a mismatch is an error instead.
 */
public final class GlobalFilter extends AbstractBlock implements FlopCountable {

    private static final String NAME = "GlobalFilter";

    private final GridFilterWeight filter;
    private long channels;

    private GlobalFilter(Builder b) {
        super((byte) 1);
        this.channels = b.channels;
        this.filter = b.filterWeight(NAME, "complex_weight");
        addParameter(filter.parameter());
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
     * Returns the grid (h, w) the filter was built for (known after initialisation).
     *
     * @return {h, w}
     */
    public int[] getGridSize() {
        return filter.gridSize();
    }

    /**
     * Returns the filter this layer multiplies the spectrum of an H x W grid with: the parameter,
     * resized when the grid's half spectrum differs from the one it was built for (see above).
     *
     * @param manager where the returned array is created
     * @param height H
     * @param width W
     * @return a new (H, W/2+1, C, 2) array in {@code manager}
     * @throws IllegalArgumentException if resizing is off and the grid does not fit
     */
    public NDArray filterFor(ai.djl.ndarray.NDManager manager, int height, int width) {
        return filter.forGrid(manager, height, width);
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        Shape s = BlockInputs.single(NAME, inputShapes);
        BlockInputs.rank(NAME, s, 4, "(B, H, W, C)");
        if (channels <= 0) {
            channels = s.get(3);
        }
        checkChannels(s);
        filter.prepare(s, channels);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = BlockInputs.single(NAME, inputs);
        Shape s = x.getShape();
        BlockInputs.rank(NAME, s, 4, "(B, H, W, C)");
        checkChannels(s);
        int h = (int) s.get(1);
        int w = (int) s.get(2);
        NDArray weights = filter.forInput(ps, x, training);
        NDArray k = ComplexArrays.fromParts(weights.get("..., 0"), weights.get("..., 1"));
        // ortho forward (1/sqrt(HW)) and ortho inverse (sqrt(HW) on top of the engine's 1/(HW))
        // cancel around a product with a fixed filter: the unscaled pair gives the same result
        // with two fewer passes over the spectrum
        NDArray spectrum = RealFft2.rfft2(x, 1, 2, FftNorm.BACKWARD);
        return new NDList(RealFft2.irfft2(spectrum.mul(k), h, w, 1, 2, FftNorm.BACKWARD));
    }

    private void checkChannels(Shape s) {
        BlockInputs.require(
                channels <= 0 || s.get(3) == channels,
                NAME,
                "(B, H, W, C) with C = " + channels,
                s);
    }

    /**
     * A real-input 2-D FFT and its inverse per channel (half of {@code 5 n log2 n} each, n = H W)
     * and the elementwise complex product with the filter (one multiply-add per half-spectrum entry
     * and channel).
     */
    @Override
    public double ownFlops(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        double b = s.get(0);
        double h = s.get(1);
        double w = s.get(2);
        double c = s.get(3);
        return b * c * (FlopCountable.fftFlops(h * w) + h * (Math.floor(w / 2) + 1));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = BlockInputs.single(NAME, inputShapes);
        BlockInputs.rank(NAME, s, 4, "(B, H, W, C)");
        checkChannels(s);
        filter.checkGrid(s);
        return new Shape[] {s};
    }

    /** Builds a {@link GlobalFilter}. */
    public static final class Builder extends GridFilterBuilder<Builder> {
        private long channels = -1;

        private Builder() {}

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets the channel count C; default: the input's at initialisation.
         *
         * @param channels C
         * @return this builder
         */
        public Builder optChannels(long channels) {
            this.channels = channels;
            return this;
        }

        /**
         * Builds the layer.
         *
         * @return the layer
         */
        public GlobalFilter build() {
            checkGrid(NAME);
            if (channels != -1 && channels < 1) {
                throw new IllegalArgumentException(
                        NAME + ": channels must be positive, got " + channels);
            }
            return new GlobalFilter(this);
        }
    }
}
