package org.fourier4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import org.fourier4j.fft.Axes;
import org.fourier4j.fft.EngineArrays;

/**
 * SGConv's structured global convolution (Li et al. 2022, "What Makes Convolutional Models Great on
 * Long Sequence Modeling?"): a depthwise kernel as long as the input, built from a few small
 * sub-kernels at doubling scales with decaying weights, applied by FFT. See {@link LongConvolution}
 * for layouts, causality, the skip term and the bias.
 *
 * <p><b>1-D (the paper's layer, default mode "cat_randn").</b> Parameters {@code kernel_i}, i < S,
 * each (k, C, d) ~ N(0, 1), k = 2 if bidirectional else 1 (d = kernel dim, default 64). The number
 * of scales is {@code S = 1 + ceil(log2(maxLength / d))}. Sub-kernel i is upsampled by {@code
 * 2^max(0, i-1)} with linear interpolation (half-pixel centres, PyTorch's {@code
 * F.interpolate(mode="linear")}), multiplied by {@code m_c^(S-1-i)} with {@code m =
 * linspace(decay_min, decay_max, C)} (default 2, 2: each doubling of the range halves the weight),
 * and the S pieces are concatenated: lengths d, d, 2d, 4d, ..., total {@code d 2^(S-1) >=
 * maxLength}. The result is divided by {@code kernel_norm} (k, C), the L2 norm of this full-length
 * kernel at initialisation (a fixed, saved, non-trainable parameter, as the official buffer), then
 * cut or zero-padded to the input length L. Bidirectional: the second half of the channels gives
 * the anti-causal kernel K1.
 *
 * <p><b>2-D (our provisional design; the paper's code is 1-D only).</b> Parameters {@code kernel_i}
 * (C, d, d) ~ N(0, 1) (default d = 8), S as above with maxLength = the largest side. Sub-kernel i
 * is upsampled by {@code 2^i} on both axes with bilinear interpolation (side {@code d 2^i}),
 * weighted by {@code m_c^(S-1-i)}, centred in a P x P canvas ({@code P = d 2^(S-1)}) and the S
 * layers are summed (SGConv's "sum" variant in 2-D: nested, coarser and weaker scales farther out,
 * so the kernel decays with distance from its centre and the parameter count grows only with
 * log(size)). Divided by the per-channel {@code kernel_norm} (C) fixed at initialisation, then
 * centre-cropped (or zero-padded) to the input's H x W: the weight of a 'same' depthwise
 * convolution as large as the image.
 */
public final class SgConvKernel extends LongConvolution {

    private static final String NAME = "SgConvKernel";

    private final int kernelDim;
    private final int scales;
    private final double decayMin;
    private final double decayMax;
    private final int kernels;
    private final Parameter[] subKernels;
    private final Parameter kernelNorm;

    private SgConvKernel(Builder b) {
        super(NAME, b);
        this.kernelDim = b.kernelDim > 0 ? b.kernelDim : (dims == 1 ? 64 : 8);
        this.scales =
                b.scales > 0
                        ? b.scales
                        : Math.max(
                                1,
                                1
                                        + (int)
                                                Math.ceil(
                                                        Math.log((double) b.maxLength / kernelDim)
                                                                / Math.log(2)));
        this.decayMin = b.decayMin;
        this.decayMax = b.decayMax;
        this.kernels = bidirectional ? 2 : 1;
        subKernels = new Parameter[scales];
        Shape each =
                dims == 1
                        ? new Shape(kernels, channels, kernelDim)
                        : new Shape(channels, kernelDim, kernelDim);
        for (int i = 0; i < scales; i++) {
            subKernels[i] =
                    addParameter(Parameters.weight("kernel_" + i, Initializers.normal(1), each));
        }
        kernelNorm =
                addParameter(
                        Parameter.builder()
                                .setName("kernel_norm")
                                .setType(Parameter.Type.OTHER)
                                .optRequiresGrad(false)
                                .optInitializer(Initializer.ONES)
                                .optShape(
                                        dims == 1
                                                ? new Shape(kernels, channels)
                                                : new Shape(channels))
                                .build());
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
     * Returns the number of scales S.
     *
     * @return S
     */
    public int getScales() {
        return scales;
    }

    /**
     * Returns the length (1-D) or side (2-D) of the full kernel before it is fitted to the input,
     * {@code d 2^(S-1)}.
     *
     * @return the full size
     */
    public long getFullSize() {
        return (long) kernelDim << (scales - 1);
    }

    @Override
    public void initialize(NDManager manager, DataType dataType, Shape... inputShapes) {
        boolean fresh = !kernelNorm.isInitialized();
        super.initialize(manager, dataType, inputShapes);
        if (fresh) {
            // the official layer stores the norm of the kernel it first builds and keeps it fixed
            try (NDManager scope = manager.newSubManager()) {
                NDArray full = fullKernel(scope, i -> subKernels[i].getArray());
                int[] lengthAxes = dims == 1 ? new int[] {2} : new int[] {1, 2};
                NDArray norms = full.square().sum(lengthAxes).sqrt();
                kernelNorm.getArray().set(norms.toByteBuffer());
            }
        }
    }

    @Override
    protected NDArray generateKernel(ParameterStore ps, NDArray x, boolean training) {
        NDManager m = x.getManager();
        NDArray full = fullKernel(m, i -> ps.getValue(subKernels[i], x.getDevice(), training));
        NDArray norm = BatchScope.adopt(ps.getValue(kernelNorm, x.getDevice(), training), m);
        Shape s = x.getShape();
        if (dims == 1) {
            NDArray k = full.div(norm.reshape(kernels, channels, 1));
            return Axes.fitEnd(k, 2, s.get(2));
        }
        NDArray k = full.div(norm.reshape(channels, 1, 1));
        return Axes.fitCentred(Axes.fitCentred(k, 1, s.get(2)), 2, s.get(3));
    }

    /** The unnormalised full kernel: 1-D (k, C, d 2^(S-1)), 2-D (C, P, P); in {@code scope}. */
    private NDArray fullKernel(NDManager scope, java.util.function.IntFunction<NDArray> parameter) {
        NDArray first = parameter.apply(0);
        DataType type = first.getDataType();
        long full = getFullSize();
        NDList pieces = new NDList();
        NDArray canvas = null;
        for (int i = 0; i < scales; i++) {
            NDArray sub = BatchScope.adopt(parameter.apply(i), scope);
            NDArray decay = decay(scope, type, scales - 1 - i);
            if (dims == 1) {
                int factor = 1 << Math.max(0, i - 1);
                pieces.add(
                        Resampling.apply(sub, 2, Resampling.linear(kernelDim, kernelDim * factor))
                                .mul(decay));
            } else {
                int side = kernelDim << i;
                double[][] up = Resampling.linear(kernelDim, side);
                NDArray layer = Resampling.apply(Resampling.apply(sub, 1, up), 2, up).mul(decay);
                long before = (full - side) / 2;
                long after = full - side - before;
                layer = Axes.pad(Axes.pad(layer, 1, before, after), 2, before, after);
                canvas = canvas == null ? layer : canvas.add(layer);
            }
        }
        return dims == 1 ? NDArrays.concat(pieces, 2) : canvas;
    }

    /** {@code m_c^power} per channel, shaped to broadcast over a sub-kernel. */
    private NDArray decay(NDManager scope, DataType type, int power) {
        double[] v = new double[(int) channels];
        for (int c = 0; c < channels; c++) {
            double m =
                    channels == 1
                            ? decayMin
                            : decayMin + (decayMax - decayMin) * c / (channels - 1);
            v[c] = Math.pow(m, power);
        }
        return EngineArrays.of(
                scope, v, dims == 1 ? new Shape(1, channels, 1) : new Shape(channels, 1, 1), type);
    }

    /** Builds an {@link SgConvKernel}. */
    public static final class Builder extends LongConvolution.Builder<Builder> {
        private long maxLength = -1;
        private int kernelDim = -1;
        private int scales = -1;
        private double decayMin = 2;
        private double decayMax = 2;

        private Builder() {}

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets the longest input the kernel should cover: the sequence length (1-D) or the larger
         * image side (2-D). Longer inputs work; the kernel is zero beyond this reach.
         *
         * @param maxLength positive
         * @return this builder
         */
        public Builder setMaxLength(long maxLength) {
            this.maxLength = maxLength;
            return this;
        }

        /**
         * Sets the sub-kernel size d (default 64 in 1-D, 8 in 2-D).
         *
         * @param kernelDim positive
         * @return this builder
         */
        public Builder optKernelDim(int kernelDim) {
            this.kernelDim = kernelDim;
            return this;
        }

        /**
         * Overrides the number of scales S (default {@code 1 + ceil(log2(maxLength / d))}).
         *
         * @param scales positive
         * @return this builder
         */
        public Builder optScales(int scales) {
            this.scales = scales;
            return this;
        }

        /**
         * Sets the per-scale decay factors, spread linearly over the channels (default 2, 2).
         *
         * @param min decay of the first channel
         * @param max decay of the last channel
         * @return this builder
         */
        public Builder optDecay(double min, double max) {
            this.decayMin = min;
            this.decayMax = max;
            return this;
        }

        /**
         * Builds the layer.
         *
         * @return the layer
         */
        public SgConvKernel build() {
            if (maxLength < 1) {
                throw new IllegalArgumentException(
                        NAME + ": setMaxLength is required and must be positive");
            }
            if (kernelDim == 0 || kernelDim < -1 || scales == 0 || scales < -1 || scales > 40) {
                throw new IllegalArgumentException(
                        NAME + ": invalid kernel dim " + kernelDim + " or scales " + scales);
            }
            if (!(decayMin > 0 && decayMax > 0)) {
                throw new IllegalArgumentException(NAME + ": decay factors must be positive");
            }
            return new SgConvKernel(this);
        }
    }
}
