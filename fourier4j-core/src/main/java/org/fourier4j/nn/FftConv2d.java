package org.fourier4j.nn;

import ai.djl.nn.convolutional.Conv2d;
import org.fourier4j.fft.ConvAlgorithm;

/**
 * A 2-D convolution block over (N, C, H, W) that computes by FFT, DIRECT or AUTO (the default:
 * chosen per input shape by {@link org.fourier4j.fft.ConvAutoTuner}).
 *
 * <p>Its parameters and saved format are those of DJL's {@link Conv2d}, so parameters saved from
 * either load into the other; {@link #from} and {@link ConvSurgery} swap it for a {@code Conv2d} in
 * a model. See {@link FftConvBlock} for what it adds.
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
public class FftConv2d extends FftConvBlock {

    /**
     * Creates the block from its builder.
     *
     * @param builder the configuration
     */
    protected FftConv2d(Builder builder) {
        super(builder);
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
     * Returns a block configured like a DJL {@code Conv2d} that takes over its parameters (the same
     * {@link ai.djl.nn.Parameter} objects), so an initialised or trained layer keeps its weights
     * and any optimiser state.
     *
     * @param source the convolution to stand in for
     * @param algorithm how to compute
     * @return the new block
     */
    public static FftConv2d from(Conv2d source, ConvAlgorithm algorithm) {
        FftConv2d block = configuredLike(builder(), source, algorithm).build();
        block.adopt(source);
        return block;
    }

    /** Builds {@link FftConv2d}. */
    public static class Builder extends FftConvBlock.Builder<Builder> {

        /** Creates a builder with DJL's defaults. */
        protected Builder() {
            super(2);
        }

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Builds the block.
         *
         * @return the block
         * @throws IllegalArgumentException if the kernel shape or filters are missing, groups do
         *     not divide the filters, or an option has the wrong number of entries
         */
        public FftConv2d build() {
            validate("FftConv2d");
            return new FftConv2d(this);
        }
    }
}
