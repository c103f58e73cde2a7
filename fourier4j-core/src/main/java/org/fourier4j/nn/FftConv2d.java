package org.fourier4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.LayoutType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.fourier4j.fft.ConvAlgorithm;
import org.fourier4j.fft.KernelSpectrumCache;
import org.fourier4j.fft.PaddingMode;

/**
 * A 2-D convolution block over (N, C, H, W) that computes by FFT, DIRECT or AUTO (the default:
 * chosen per input shape by {@link org.fourier4j.fft.ConvAutoTuner}).
 *
 * <p>It is a DJL {@link Convolution} like {@link Conv2d}: same builder methods, same parameters
 * ({@code weight} (filters, C/groups, kH, kW), {@code bias} (filters)), same saved format, so
 * parameters saved from either load into the other, and {@link #from} or {@link ConvSurgery} swap
 * it for a {@code Conv2d} in a model. In addition it supports 'same' padding, the padding modes
 * reflect/replicate/circular, and keeps the kernel spectrum between inference calls while the
 * weight is unchanged.
 *
 * <pre>{@code
 * Block conv = FftConv2d.builder()
 *         .setKernelShape(new Shape(31, 31))
 *         .setFilters(64)
 *         .optGroups(64)
 *         .optPadding(new Shape(15, 15))
 *         .optAlgorithm(ConvAlgorithm.FFT)
 *         .build();
 * }</pre>
 */
public class FftConv2d extends Convolution implements FftConvBlock {

    private static final LayoutType[] EXPECTED_LAYOUT = {
        LayoutType.BATCH, LayoutType.CHANNEL, LayoutType.HEIGHT, LayoutType.WIDTH
    };

    private final FftConvSupport support;

    /**
     * Creates the block from its builder.
     *
     * @param builder the configuration
     */
    protected FftConv2d(Builder builder) {
        super(builder);
        support =
                new FftConvSupport(
                        2,
                        kernelShape,
                        stride,
                        padding,
                        dilation,
                        groups,
                        builder.algorithm,
                        builder.paddingMode,
                        builder.samePadding);
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
     * Returns a block with the configuration of a DJL {@code Conv2d} that takes over its parameters
     * (the same {@link Parameter} objects: ids, arrays and gradient flags), so that an initialised
     * or trained layer keeps its weights and any optimiser state.
     *
     * @param source the convolution to stand in for
     * @param algorithm how to compute
     * @return the new block
     */
    public static FftConv2d from(Conv2d source, ConvAlgorithm algorithm) {
        Builder b =
                builder()
                        .setKernelShape(source.getKernelShape())
                        .setFilters(source.getFilters())
                        .optStride(source.getStride())
                        .optPadding(source.getPadding())
                        .optDilation(source.getDilation())
                        .optGroups(source.getGroups())
                        .optBias(source.isIncludeBias())
                        .optAlgorithm(algorithm);
        FftConv2d block = b.build();
        block.adopt(source);
        return block;
    }

    private void adopt(Conv2d source) {
        FftConvSupport.checkSameConfiguration(source, this);
        weight = FftConvSupport.parameter(source, "weight");
        parameters.put("weight", weight);
        if (includeBias) {
            bias = FftConvSupport.parameter(source, "bias");
            parameters.put("bias", bias);
        }
        if (source.isInitialized()) {
            beforeInitialize(source.getInputShapes());
        }
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray input = inputs.singletonOrThrow();
        NDArray w = parameterStore.getValue(weight, input.getDevice(), training);
        NDArray b =
                bias == null ? null : parameterStore.getValue(bias, input.getDevice(), training);
        return new NDList(support.forward(input, w, b));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return support.outputShapes(
                inputs, super.getOutputShapes(inputs), kernelShape, stride, dilation);
    }

    @Override
    protected LayoutType[] getExpectedLayout() {
        return EXPECTED_LAYOUT;
    }

    @Override
    protected String getStringLayout() {
        return "NCHW";
    }

    @Override
    protected int numDimensions() {
        return 4;
    }

    @Override
    public ConvAlgorithm getAlgorithm() {
        return support.algorithm;
    }

    @Override
    public PaddingMode getPaddingMode() {
        return support.paddingMode;
    }

    @Override
    public boolean isSamePadding() {
        return support.samePadding;
    }

    @Override
    public KernelSpectrumCache getSpectrumCache() {
        return support.cache;
    }

    @Override
    public String toString() {
        return "FftConv2d(kernel " + kernelShape + ", filters " + filters + ", " + support + ")";
    }

    /**
     * Builds {@link FftConv2d}: DJL's {@code Conv2d.Builder} plus algorithm and padding options.
     */
    public static class Builder extends ConvolutionBuilder<Builder> {

        private ConvAlgorithm algorithm = ConvAlgorithm.AUTO;
        private PaddingMode paddingMode = PaddingMode.ZEROS;
        private boolean samePadding;

        /**
         * Creates a builder with DJL's defaults (stride 1, padding 0, dilation 1, groups 1, bias).
         */
        protected Builder() {
            stride = new Shape(1, 1);
            padding = new Shape(0, 0);
            dilation = new Shape(1, 1);
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        public Builder optPadding(Shape padding) {
            super.optPadding(padding);
            samePadding = false;
            return this;
        }

        /**
         * Sets how the convolution is computed (default AUTO).
         *
         * @param algorithm AUTO, DIRECT or FFT
         * @return this builder
         */
        public Builder optAlgorithm(ConvAlgorithm algorithm) {
            this.algorithm = algorithm == null ? ConvAlgorithm.AUTO : algorithm;
            return this;
        }

        /**
         * Sets what the padded border holds (default zeros).
         *
         * @param mode zeros, reflect, replicate or circular
         * @return this builder
         */
        public Builder optPaddingMode(PaddingMode mode) {
            this.paddingMode = mode == null ? PaddingMode.ZEROS : mode;
            return this;
        }

        /**
         * Uses 'same' padding: the output has the input's size (divided by the stride, rounded up);
         * an even total goes one unit more to the end, as in PyTorch.
         *
         * @return this builder
         */
        public Builder optSamePadding() {
            this.samePadding = true;
            return this;
        }

        /**
         * Builds the block.
         *
         * @return the block
         * @throws IllegalArgumentException if the kernel shape or filters are missing or options
         *     have the wrong number of entries
         */
        public FftConv2d build() {
            if (kernelShape == null) {
                throw new IllegalArgumentException("FftConv2d: setKernelShape(..) is required");
            }
            if (filters <= 0) {
                throw new IllegalArgumentException(
                        "FftConv2d: setFilters(..) must be positive, got " + filters);
            }
            if (groups <= 0 || filters % groups != 0) {
                throw new IllegalArgumentException(
                        "FftConv2d: groups="
                                + groups
                                + " must be positive and divide filters="
                                + filters);
            }
            return new FftConv2d(this);
        }
    }
}
