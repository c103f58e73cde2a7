package org.fourier4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.fourier4j.fft.ComplexArrays;
import org.fourier4j.fft.FftNorm;
import org.fourier4j.fft.RealFft2;

/**
 * DFFormer's dynamic filter: a global filter whose spectrum is mixed per image from a small bank of
 * learnable filters (Tatsunami and Taki, "FFT-based Dynamic Token Mixer for Vision", AAAI 2024;
 * official code okojoalg/dfformer, {@code models/dfformer.py}, class {@code DynamicFilter}).
 *
 * <p>Input (B, H, W, C), channels last, as the official code. With M = {@code expansion_ratio} x C
 * (2 C) and F filters (4):
 *
 * <ol>
 *   <li>routing: {@code reweight} (fc1 C to {@code route_ratio} x C, StarReLU, fc2 to F M, no
 *       biases) of the input averaged over (H, W), viewed as (B, F, M), softmax over the F filters;
 *   <li>{@code pwconv1} (C to M, no bias), {@code act1} ({@link StarReLU});
 *   <li>{@code X = rfft2} over (H, W), norm "ortho";
 *   <li>per image and channel the filter {@code K_b[u, v, m] = sum_f route[b, f, m] K[u, v, f]}
 *       from the bank {@code complex_weights};
 *   <li>{@code irfft2(X K_b, s = (H, W))}, norm "ortho", then {@code pwconv2} (M to C, no bias).
 * </ol>
 *
 * The two "ortho" scalings cancel around the product, so the layer computes the unscaled pair,
 * which gives the same result with two fewer passes.
 *
 * <p>Parameter {@code complex_weights}: a real (h, w/2+1, F, 2) array ({@code [..., 0]} real,
 * {@code [..., 1]} imaginary parts), initialised {@code N(0, 1) * 0.02} as the official code. (h,
 * w) is the grid it is built for: set with {@link GridFilterBuilder#optGridSize}, or the input's at
 * initialisation. A grid whose half spectrum (H, W/2+1) differs is filtered with the bank resized
 * to it by bicubic interpolation with aligned corners, real and imaginary parts as separate planes:
 * the official {@code weight_resize=True} path ({@code resize_complex_weight}, which the official
 * detection and segmentation backbones use; its classification models are fixed to 224). The
 * parameter keeps its size and receives the gradient through the interpolation. With {@link
 * GridFilterBuilder#optResize} false a mismatch is an error instead.
 */
public final class DynamicFilter extends AbstractBlock implements FlopCountable {

    private static final String NAME = "DynamicFilter";

    private final int channels;
    private final int med;
    private final int filters;
    private final GridFilterWeight bank;
    private final Linear pwconv1;
    private final StarReLU act1;
    private final Sequence reweight;
    private final Linear pwconv2;

    private DynamicFilter(Builder b) {
        super((byte) 1);
        this.channels = b.channels;
        this.med = (int) (b.expansionRatio * b.channels);
        this.filters = b.filters;
        this.bank = b.filterWeight(NAME, "complex_weights");
        addParameter(bank.parameter());
        pwconv1 = addChildBlock("pwconv1", linear(med));
        act1 = addChildBlock("act1", new StarReLU());
        reweight =
                addChildBlock(
                        "reweight",
                        new Sequence()
                                .add("fc1", linear((int) (b.routeRatio * b.channels)))
                                .add("act", new StarReLU())
                                .add("fc2", linear(filters * med)));
        pwconv2 = addChildBlock("pwconv2", linear(channels));
    }

    private static Linear linear(int units) {
        return Linear.builder().setUnits(units).optBias(false).build();
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
     * Returns the grid (h, w) the filter bank was built for (known after initialisation).
     *
     * @return {h, w}
     */
    public int[] getGridSize() {
        return bank.gridSize();
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        bank.prepare(checked(BlockInputs.single(NAME, inputShapes)), filters);
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        pwconv1.initialize(manager, dataType, s);
        Shape[] hidden = pwconv1.getOutputShapes(new Shape[] {s});
        act1.initialize(manager, dataType, hidden);
        reweight.initialize(manager, dataType, new Shape(s.get(0), channels));
        pwconv2.initialize(manager, dataType, hidden);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = BlockInputs.single(NAME, inputs);
        Shape s = checked(x.getShape());
        long b = s.get(0);
        int h = (int) s.get(1);
        int w = (int) s.get(2);
        int wh = w / 2 + 1;
        NDArray pooled = Pooling.mean(x, false, 1, 2);
        NDArray route =
                reweight.forward(ps, new NDList(pooled), training)
                        .singletonOrThrow()
                        .reshape(b, filters, med)
                        .softmax(1);
        NDList hidden = act1.forward(ps, pwconv1.forward(ps, inputs, training), training);
        NDArray spectrum = RealFft2.rfft2(hidden.singletonOrThrow(), 1, 2, FftNorm.BACKWARD);
        NDArray weights = bank.forInput(ps, x, training);
        // (1, H Wh, F) x (B, F, M): each image's filter is its routing mix of the bank
        NDArray re = weights.get("..., 0").reshape(1, (long) h * wh, filters).matMul(route);
        NDArray im = weights.get("..., 1").reshape(1, (long) h * wh, filters).matMul(route);
        Shape perImage = new Shape(b, h, wh, med);
        NDArray filter = ComplexArrays.fromParts(re.reshape(perImage), im.reshape(perImage));
        // ortho forward and ortho inverse cancel around the product: the unscaled pair is equal
        NDArray mixed = RealFft2.irfft2(spectrum.mul(filter), h, w, 1, 2, FftNorm.BACKWARD);
        return pwconv2.forward(ps, new NDList(mixed), training);
    }

    /**
     * Returns the filter bank used for an H x W grid: the parameter, resized when the grid's half
     * spectrum differs from the one it was built for (see above). Exporters use it.
     *
     * @param manager where the returned array is created
     * @param height H
     * @param width W
     * @return a new (H, W/2+1, F, 2) array in {@code manager}
     * @throws IllegalArgumentException if resizing is off and the grid does not fit
     */
    public NDArray filterBankFor(NDManager manager, int height, int width) {
        return bank.forGrid(manager, height, width);
    }

    /**
     * @return the number F of filters in the bank
     */
    public int getFilters() {
        return filters;
    }

    /**
     * @return the expanded width M the filters act on
     */
    public int getExpandedChannels() {
        return med;
    }

    private Shape checked(Shape s) {
        return BlockInputs.withWidth(NAME, s, "(B, H, W, C)", 3, channels);
    }

    /**
     * Per image: a real-input 2-D FFT and its inverse per expanded channel (half of {@code 5 n log2
     * n} each, n = H W), the per-channel filter mix (F real-by-complex multiply-adds, 2 F real
     * ones, per half-spectrum entry and channel) and the complex product (4). The linear layers are
     * children and counted as such.
     */
    @Override
    public double ownFlops(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        double h = s.get(1);
        double w = s.get(2);
        double bins = h * (Math.floor(w / 2) + 1);
        return s.get(0) * med * (FlopCountable.fftFlops(h * w) + bins * (2.0 * filters + 4));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = checked(BlockInputs.single(NAME, inputShapes));
        bank.checkGrid(s);
        return new Shape[] {s};
    }

    /** Builds a {@link DynamicFilter}. */
    public static final class Builder extends GridFilterBuilder<Builder> {
        private int channels = -1;
        private double expansionRatio = 2;
        private double routeRatio = 0.25;
        private int filters = 4;

        private Builder() {}

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets the channel count C of the input (required).
         *
         * @param channels C
         * @return this builder
         */
        public Builder setChannels(int channels) {
            this.channels = channels;
            return this;
        }

        /**
         * Sets the width of the filtered features, M = ratio x C (default 2, the paper's).
         *
         * @param ratio the expansion ratio
         * @return this builder
         */
        public Builder optExpansionRatio(double ratio) {
            this.expansionRatio = ratio;
            return this;
        }

        /**
         * Sets the hidden width of the routing MLP, ratio x C (default 0.25, the paper's).
         *
         * @param ratio the routing MLP's ratio
         * @return this builder
         */
        public Builder optRouteRatio(double ratio) {
            this.routeRatio = ratio;
            return this;
        }

        /**
         * Sets the number of filters in the bank (default 4, the paper's).
         *
         * @param filters F
         * @return this builder
         */
        public Builder optFilters(int filters) {
            this.filters = filters;
            return this;
        }

        /**
         * Builds the layer.
         *
         * @return the layer
         */
        public DynamicFilter build() {
            if (channels < 1) {
                throw new IllegalArgumentException(
                        NAME + ": setChannels must be positive, got " + channels);
            }
            if (filters < 1) {
                throw new IllegalArgumentException(
                        NAME + ": filters must be positive, got " + filters);
            }
            if ((int) (expansionRatio * channels) < 1 || (int) (routeRatio * channels) < 1) {
                throw new IllegalArgumentException(
                        NAME
                                + ": C = "
                                + channels
                                + " with expansion ratio "
                                + expansionRatio
                                + " and routing ratio "
                                + routeRatio
                                + " leaves a layer of width 0 (both products must be >= 1)");
            }
            checkGrid(NAME);
            return new DynamicFilter(this);
        }
    }
}
