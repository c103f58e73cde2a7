package org.fourier4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import org.fourier4j.fft.Axes;
import org.fourier4j.fft.ConvOptions;
import org.fourier4j.fft.FftConvolution;
import org.fourier4j.fft.Padding;

/**
 * A depthwise convolution whose kernel, as long as the input, is generated from a few parameters
 * and applied by FFT ({@link FftConvolution}, 7-smooth transform lengths): the common part of
 * {@link SgConvKernel} and {@link S4dKernel}.
 *
 * <p>Layouts and semantics, per channel c of C:
 *
 * <ul>
 *   <li>1-D, input (B, C, L), causal (the default): {@code y[t] = sum_{j=0}^{t} K0[c, j] u[t-j]}.
 *   <li>1-D bidirectional: additionally {@code + sum_{j=1}^{L-1-t} K1[c, j-1] u[t+j]} (a second
 *       kernel for the anti-causal lags, SGConv/S4's two-sided construction).
 *   <li>2-D, input (B, C, H, W): a 'same' depthwise cross-correlation with an H x W kernel, exactly
 *       what a depthwise {@code Conv2d} with that weight and 'same' padding computes (for even
 *       sizes the extra tap is on the bottom/right, PyTorch's convention): a drop-in replacement
 *       for the depthwise convolution of a ConvNeXt block at any resolution.
 * </ul>
 *
 * Then, optionally, the skip term {@code + D[c] u} (parameter {@code D}, N(0, 1), as both papers)
 * and a {@code bias} (C), zeros. Output shape = input shape.
 */
public abstract class LongConvolution extends AbstractBlock implements FlopCountable {

    /** The block's name in messages. */
    protected final String name;

    /** 1 (sequences) or 2 (images). */
    protected final int dims;

    /** 1-D only: also convolve with an anti-causal kernel. */
    protected final boolean bidirectional;

    /** The channel count C. */
    protected final long channels;

    private final Parameter skip;
    private final Parameter bias;

    /**
     * Sets up the common parameters.
     *
     * @param name the block's name in messages
     * @param b dims, direction, channels, skip term and bias
     */
    protected LongConvolution(String name, Builder<?> b) {
        super((byte) 1);
        if (b.dims != 1 && b.dims != 2) {
            throw new IllegalArgumentException(name + ": dims must be 1 or 2, got " + b.dims);
        }
        if (b.channels < 1) {
            throw new IllegalArgumentException(
                    name + ": channels must be positive, got " + b.channels);
        }
        if (b.bidirectional && b.dims != 1) {
            throw new IllegalArgumentException(
                    name + ": bidirectional applies to 1-D only (2-D is centred)");
        }
        this.name = name;
        this.dims = b.dims;
        this.bidirectional = b.bidirectional;
        this.channels = b.channels;
        Shape perChannel = new Shape(channels);
        this.skip =
                b.skip
                        ? addParameter(Parameters.weight("D", Initializers.normal(1), perChannel))
                        : null;
        this.bias =
                b.bias
                        ? addParameter(
                                Parameters.of(
                                        "bias", Parameter.Type.BIAS, Initializer.ZEROS, perChannel))
                        : null;
    }

    /**
     * @return 1 (sequences) or 2 (images)
     */
    public int getDims() {
        return dims;
    }

    /**
     * @return whether a 1-D kernel is two-sided
     */
    public boolean isBidirectional() {
        return bidirectional;
    }

    /**
     * Generates the kernel for an input, in the input's manager and precision.
     *
     * @param ps the parameter store
     * @param x the input, (B, C, L) or (B, C, H, W)
     * @param training whether this is a training pass
     * @return 1-D: (k, C, L) with k = 1 (causal kernel {@code K0} over lags 0..L-1) or 2 (also
     *     {@code K1}, of which lags 1..L-1 use the first L-1 entries); 2-D: (C, H, W), the centred
     *     cross-correlation weight
     */
    protected abstract NDArray generateKernel(ParameterStore ps, NDArray x, boolean training);

    /**
     * Returns the depthwise weight this block applies to {@code x}: (C, 1, L) (causal; cross-
     * correlation form, i.e. the kernel reversed), (C, 1, 2L-1) (bidirectional) or (C, 1, H, W).
     *
     * @param ps the parameter store
     * @param x the input
     * @param training whether this is a training pass
     * @return the weight, in the input's manager
     */
    public NDArray convolutionWeight(ParameterStore ps, NDArray x, boolean training) {
        check(x.getShape());
        NDArray k = generateKernel(ps, x, training);
        if (dims == 2) {
            Shape s = x.getShape();
            return k.reshape(channels, 1, s.get(2), s.get(3));
        }
        long l = x.getShape().get(2);
        NDArray causal = k.get(0).flip(1);
        NDArray w =
                bidirectional
                        ? NDArrays.concat(new NDList(causal, Axes.slice(k.get(1), 1, 0, l - 1)), 1)
                        : causal;
        return w.reshape(channels, 1, w.getShape().get(1));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = BlockInputs.single(name, inputs);
        NDArray w = convolutionWeight(ps, x, training);
        ConvOptions.Builder options = ConvOptions.builder().groups((int) channels);
        if (dims == 2) {
            options.padding(Padding.same());
        } else {
            long l = x.getShape().get(2);
            options.padding(Padding.of(new long[] {l - 1}, new long[] {bidirectional ? l - 1 : 0}));
        }
        NDArray b =
                bias == null
                        ? null
                        : BatchScope.adopt(ps.getValue(bias, x.getDevice(), training), x);
        NDArray y = FftConvolution.convolve(dims, x, w, b, options.build());
        if (skip != null) {
            Shape perChannel = dims == 1 ? new Shape(1, channels, 1) : new Shape(1, channels, 1, 1);
            NDArray d =
                    BatchScope.adopt(ps.getValue(skip, x.getDevice(), training), x)
                            .reshape(perChannel);
            y = y.add(x.mul(d));
        }
        return new NDList(y);
    }

    /**
     * The FFT convolution with the generated kernel, per channel: forward and inverse real-input
     * transforms of the input at the linear-convolution length (about twice the input per axis),
     * the kernel's transform, and the spectral product. Kernel generation is not counted.
     */
    @Override
    public double ownFlops(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        double points = 1;
        double bins = 1;
        for (int i = 2; i < s.dimension(); i++) {
            double n = 2.0 * s.get(i);
            points *= n;
            bins *= i == s.dimension() - 1 ? n / 2 + 1 : n;
        }
        double b = s.get(0);
        double c = s.get(1) * (bidirectional && dims == 1 ? 2 : 1);
        double transform = FlopCountable.fftFlops(points) / 2;
        return b * s.get(1) * 2 * transform + c * transform + b * c * bins;
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        check(BlockInputs.single(name, inputShapes));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {check(BlockInputs.single(name, inputShapes))};
    }

    /**
     * Checks an input shape against the layout.
     *
     * @param s the shape
     * @return the shape
     */
    protected Shape check(Shape s) {
        return BlockInputs.withWidth(
                name, s, dims == 1 ? "(B, C, L)" : "(B, C, H, W)", 1, channels);
    }

    /**
     * The options every long convolution has: channels, 1-D or 2-D, direction, skip term, bias.
     *
     * @param <T> the concrete builder
     */
    public abstract static class Builder<T extends Builder<T>> {
        private int dims = 1;
        private long channels = -1;
        private boolean bidirectional;
        private boolean skip = true;
        private boolean bias;

        /** Creates a builder with the defaults: 1-D, causal, skip term, no bias. */
        protected Builder() {}

        /**
         * @return this builder, typed as the concrete builder
         */
        protected abstract T self();

        /**
         * @return 1 or 2, as set
         */
        protected int dims() {
            return dims;
        }

        /**
         * @return whether the kernel is two-sided, as set
         */
        protected boolean bidirectional() {
            return bidirectional;
        }

        /**
         * Sets the channel count C (S4's H).
         *
         * @param channels C
         * @return this builder
         */
        public T setChannels(long channels) {
            this.channels = channels;
            return self();
        }

        /**
         * Sets 1 (sequences (B, C, L), the default) or 2 (images (B, C, H, W)).
         *
         * @param dims 1 or 2
         * @return this builder
         */
        public T optDims(int dims) {
            this.dims = dims;
            return self();
        }

        /**
         * Sets a two-sided kernel (1-D only; default causal).
         *
         * @param bidirectional true for two-sided
         * @return this builder
         */
        public T optBidirectional(boolean bidirectional) {
            this.bidirectional = bidirectional;
            return self();
        }

        /**
         * Sets whether to add the skip term {@code D u} (default true).
         *
         * @param skip true to add it
         * @return this builder
         */
        public T optSkip(boolean skip) {
            this.skip = skip;
            return self();
        }

        /**
         * Sets whether to add a bias (default false).
         *
         * @param bias true to add one
         * @return this builder
         */
        public T optBias(boolean bias) {
            this.bias = bias;
            return self();
        }
    }
}
