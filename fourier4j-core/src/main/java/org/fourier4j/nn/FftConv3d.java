package org.fourier4j.nn;

import ai.djl.nn.convolutional.Conv3d;
import org.fourier4j.fft.ConvAlgorithm;

/**
 * A 3-D convolution block over (N, C, D, H, W) that computes by FFT, DIRECT or AUTO (the default:
 * chosen per input shape by {@link org.fourier4j.fft.ConvAutoTuner}).
 *
 * <p>Its parameters and saved format are those of DJL's {@link Conv3d}, so parameters saved from
 * either load into the other; {@link #from} and {@link ConvSurgery} swap it for a {@code Conv3d} in
 * a model. See {@link FftConvBlock} for what it adds.
 *
 * <pre>{@code
 * Block conv = FftConv3d.builder()
 *         .setKernelShape(new Shape(7, 7, 7))
 *         .setFilters(64)
 *         .optGroups(64)
 *         .optPadding(new Shape(3, 3, 3))
 *         .optAlgorithm(ConvAlgorithm.FFT)
 *         .build();
 * }</pre>
 */
public class FftConv3d extends FftConvBlock {

    /**
     * Creates the block from its builder.
     *
     * @param builder the configuration
     */
    protected FftConv3d(Builder builder) {
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
     * Returns a block configured like a DJL {@code Conv3d} that takes over its parameters (the same
     * {@link ai.djl.nn.Parameter} objects), so an initialised or trained layer keeps its weights
     * and any optimiser state.
     *
     * @param source the convolution to stand in for
     * @param algorithm how to compute
     * @return the new block
     */
    public static FftConv3d from(Conv3d source, ConvAlgorithm algorithm) {
        FftConv3d block = configuredLike(builder(), source, algorithm).build();
        block.adopt(source);
        return block;
    }

    /** Builds {@link FftConv3d}. */
    public static class Builder extends FftConvBlock.Builder<Builder> {

        /** Creates a builder with DJL's defaults. */
        protected Builder() {
            super(3);
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
        public FftConv3d build() {
            validate("FftConv3d");
            return new FftConv3d(this);
        }
    }
}
