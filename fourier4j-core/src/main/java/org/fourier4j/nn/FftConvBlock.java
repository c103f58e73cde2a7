package org.fourier4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.LayoutType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Locale;
import org.fourier4j.fft.ConvAlgorithm;
import org.fourier4j.fft.ConvOptions;
import org.fourier4j.fft.Convolutions;
import org.fourier4j.fft.KernelSpectrumCache;
import org.fourier4j.fft.Padding;
import org.fourier4j.fft.PaddingMode;

/**
 * What {@link FftConv1d}, {@link FftConv2d} and {@link FftConv3d} share: a DJL {@link Convolution}
 * (same parameters {@code weight}, {@code bias}, same saved format as DJL's {@code Conv1d/2d/3d})
 * that computes by {@link ConvAlgorithm#FFT}, {@link ConvAlgorithm#DIRECT} or {@link
 * ConvAlgorithm#AUTO}, with 'same' padding, padding modes, and a kernel spectrum cache for
 * inference.
 */
public abstract class FftConvBlock extends Convolution {

    private static final LayoutType[] SPATIAL_AXES = {
        LayoutType.DEPTH, LayoutType.HEIGHT, LayoutType.WIDTH
    };

    private final int dims;
    private final ConvAlgorithm algorithm;
    private final PaddingMode paddingMode;
    private final boolean samePadding;
    private final ConvOptions options;
    private final KernelSpectrumCache cache = new KernelSpectrumCache();

    /**
     * Creates the block.
     *
     * @param builder the configuration, with its number of spatial dimensions
     */
    protected FftConvBlock(Builder<?> builder) {
        super(builder);
        this.dims = builder.dims;
        this.algorithm = builder.algorithm;
        this.paddingMode = builder.paddingMode;
        this.samePadding = builder.samePadding;
        this.options =
                ConvOptions.builder()
                        .stride(stride.getShape())
                        .dilation(dilation.getShape())
                        .groups(groups)
                        .padding(
                                samePadding
                                        ? Padding.same()
                                        : Padding.symmetric(padding.getShape()))
                        .paddingMode(paddingMode)
                        .build();
    }

    /**
     * @return how the convolution is computed
     */
    public ConvAlgorithm getAlgorithm() {
        return algorithm;
    }

    /**
     * @return what the padded border holds
     */
    public PaddingMode getPaddingMode() {
        return paddingMode;
    }

    /**
     * @return whether the padding is 'same' (computed from the input size)
     */
    public boolean isSamePadding() {
        return samePadding;
    }

    /**
     * @return stride, padding, dilation, groups and padding mode, as the convolution uses them
     */
    public ConvOptions convOptions() {
        return options;
    }

    /**
     * @return the block's kernel spectrum cache (used by the FFT path in inference)
     */
    public KernelSpectrumCache getSpectrumCache() {
        return cache;
    }

    /** DJL's layout of a convolution input with this many spatial axes: NCW, NCHW or NCDHW. */
    @Override
    protected LayoutType[] getExpectedLayout() {
        LayoutType[] layout = new LayoutType[dims + 2];
        layout[0] = LayoutType.BATCH;
        layout[1] = LayoutType.CHANNEL;
        System.arraycopy(SPATIAL_AXES, SPATIAL_AXES.length - dims, layout, 2, dims);
        return layout;
    }

    @Override
    protected String getStringLayout() {
        return LayoutType.toString(getExpectedLayout());
    }

    @Override
    protected int numDimensions() {
        return dims + 2;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray input = inputs.singletonOrThrow();
        NDArray w = ps.getValue(weight, input.getDevice(), training);
        NDArray b = bias == null ? null : ps.getValue(bias, input.getDevice(), training);
        return new NDList(Convolutions.convolve(dims, input, w, b, options, algorithm, cache));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape[] djl = super.getOutputShapes(inputs);
        if (!samePadding) {
            return djl;
        }
        long[] s = djl[0].getShape().clone();
        for (int i = 0; i < dims; i++) {
            long size = inputs[0].get(2 + i);
            s[2 + i] = (size + stride.get(i) - 1) / stride.get(i);
        }
        return new Shape[] {new Shape(s)};
    }

    /**
     * Takes over the parameters of a DJL convolution with the same configuration: the very same
     * {@link Parameter} objects (ids, arrays, gradient flags), so that an initialised or trained
     * layer keeps its weights and any optimiser state.
     *
     * @param source the convolution this block stands in for
     */
    protected void adopt(Convolution source) {
        boolean same =
                source.getKernelShape().equals(getKernelShape())
                        && source.getStride().equals(getStride())
                        && source.getPadding().equals(getPadding())
                        && source.getDilation().equals(getDilation())
                        && source.getFilters() == getFilters()
                        && source.getGroups() == getGroups()
                        && source.isIncludeBias() == isIncludeBias();
        if (!same) {
            throw new IllegalArgumentException(
                    "cannot adopt parameters of a convolution with another configuration: "
                            + describe(source)
                            + " vs "
                            + describe(this));
        }
        weight = source.getDirectParameters().get("weight");
        parameters.put("weight", weight);
        if (includeBias) {
            bias = source.getDirectParameters().get("bias");
            parameters.put("bias", bias);
        }
        if (source.isInitialized()) {
            beforeInitialize(source.getInputShapes());
        }
    }

    /**
     * Copies a DJL convolution's configuration into a builder.
     *
     * @param b the builder
     * @param source the convolution
     * @param algorithm how the new block computes
     * @param <T> the builder type
     * @return the builder
     */
    static <T extends Builder<T>> T configuredLike(
            T b, Convolution source, ConvAlgorithm algorithm) {
        return b.setKernelShape(source.getKernelShape())
                .setFilters(source.getFilters())
                .optStride(source.getStride())
                .optPadding(source.getPadding())
                .optDilation(source.getDilation())
                .optGroups(source.getGroups())
                .optBias(source.isIncludeBias())
                .optAlgorithm(algorithm);
    }

    /**
     * Describes a convolution's configuration.
     *
     * @param c the convolution
     * @return e.g. {@code Conv2d(kernel (31, 31), stride (1, 1), ...)}
     */
    public static String describe(Convolution c) {
        return c.getClass().getSimpleName()
                + "(kernel "
                + c.getKernelShape()
                + ", stride "
                + c.getStride()
                + ", padding "
                + c.getPadding()
                + ", dilation "
                + c.getDilation()
                + ", filters "
                + c.getFilters()
                + ", groups "
                + c.getGroups()
                + ", bias "
                + c.isIncludeBias()
                + ")";
    }

    @Override
    public String toString() {
        return getClass().getSimpleName()
                + "(kernel "
                + kernelShape
                + ", filters "
                + filters
                + ", algorithm="
                + algorithm.name().toLowerCase(Locale.ROOT)
                + ", "
                + options
                + ")";
    }

    /**
     * The builder methods of DJL's {@code Conv2d.builder()} plus algorithm and padding options.
     *
     * @param <T> the concrete builder
     */
    public abstract static class Builder<T extends Builder<T>> extends ConvolutionBuilder<T> {

        private final int dims;
        private ConvAlgorithm algorithm = ConvAlgorithm.AUTO;
        private PaddingMode paddingMode = PaddingMode.ZEROS;
        private boolean samePadding;

        /**
         * Creates a builder with DJL's defaults (stride 1, padding 0, dilation 1, groups 1, bias).
         *
         * @param dims the number of spatial dimensions
         */
        protected Builder(int dims) {
            this.dims = dims;
            long[] ones = new long[dims];
            java.util.Arrays.fill(ones, 1);
            stride = new Shape(ones);
            padding = new Shape(new long[dims]);
            dilation = new Shape(ones);
        }

        @Override
        public T optPadding(Shape padding) {
            samePadding = false;
            return super.optPadding(padding);
        }

        /**
         * Sets how the convolution is computed (default AUTO).
         *
         * @param algorithm AUTO, DIRECT or FFT
         * @return this builder
         */
        public T optAlgorithm(ConvAlgorithm algorithm) {
            this.algorithm = algorithm == null ? ConvAlgorithm.AUTO : algorithm;
            return self();
        }

        /**
         * Sets what the padded border holds (default zeros).
         *
         * @param mode zeros, reflect, replicate or circular
         * @return this builder
         */
        public T optPaddingMode(PaddingMode mode) {
            this.paddingMode = mode == null ? PaddingMode.ZEROS : mode;
            return self();
        }

        /**
         * Uses 'same' padding: the output has the input's size (divided by the stride, rounded up);
         * an even total goes one unit more to the end, as in PyTorch.
         *
         * @return this builder
         */
        public T optSamePadding() {
            this.samePadding = true;
            return self();
        }

        /**
         * Checks the configuration before building.
         *
         * @param block the block's name, for messages
         * @throws IllegalArgumentException naming what is missing or inconsistent
         */
        protected void validate(String block) {
            if (kernelShape == null) {
                throw new IllegalArgumentException(block + ": setKernelShape(..) is required");
            }
            if (filters <= 0) {
                throw new IllegalArgumentException(
                        block + ": setFilters(..) must be positive, got " + filters);
            }
            if (groups <= 0 || filters % groups != 0) {
                throw new IllegalArgumentException(
                        block
                                + ": groups="
                                + groups
                                + " must be positive and divide filters="
                                + filters);
            }
            String[] names = {"kernel shape", "stride", "padding", "dilation"};
            Shape[] shapes = {kernelShape, stride, padding, dilation};
            for (int i = 0; i < names.length; i++) {
                if (shapes[i] == null || shapes[i].dimension() != dims) {
                    throw new IllegalArgumentException(
                            block
                                    + ": "
                                    + names[i]
                                    + " must have "
                                    + dims
                                    + " entries, got "
                                    + shapes[i]);
                }
            }
        }
    }
}
