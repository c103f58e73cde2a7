package org.fourier4j.fft;

import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * The options of a convolution besides its tensors: stride, padding (amounts, 'same' or 'valid',
 * and what the border holds), dilation and groups. Immutable; build with {@link #builder()}.
 *
 * <p>Stride and dilation left unset mean 1 in every spatial dimension; padding unset means none.
 */
public final class ConvOptions {

    private final long[] stride;
    private final Padding padding;
    private final long[] dilation;
    private final int groups;
    private final PaddingMode paddingMode;

    private ConvOptions(Builder b) {
        this.stride = b.stride;
        this.padding = b.padding;
        this.dilation = b.dilation;
        this.groups = b.groups;
        this.paddingMode = b.paddingMode;
    }

    /**
     * Returns a builder of options.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns options from DJL's convolution arguments.
     *
     * @param stride the stride per spatial dimension
     * @param padding the symmetric zero padding per spatial dimension
     * @param dilation the dilation per spatial dimension
     * @param groups the number of groups
     * @return the options
     */
    public static ConvOptions of(Shape stride, Shape padding, Shape dilation, int groups) {
        Builder b = builder().groups(groups);
        if (stride != null) {
            b.stride(stride.getShape());
        }
        if (padding != null) {
            b.padding(Padding.symmetric(padding.getShape()));
        }
        if (dilation != null) {
            b.dilation(dilation.getShape());
        }
        return b.build();
    }

    /**
     * Returns the stride per spatial dimension, or null for all ones.
     *
     * @return a copy of the stride
     */
    public long[] getStride() {
        return stride == null ? null : stride.clone();
    }

    /**
     * Returns the padding.
     *
     * @return the padding
     */
    public Padding getPadding() {
        return padding;
    }

    /**
     * Returns the dilation per spatial dimension, or null for all ones.
     *
     * @return a copy of the dilation
     */
    public long[] getDilation() {
        return dilation == null ? null : dilation.clone();
    }

    /**
     * Returns the number of groups.
     *
     * @return the groups
     */
    public int getGroups() {
        return groups;
    }

    /**
     * Returns what the padded border holds.
     *
     * @return the padding mode
     */
    public PaddingMode getPaddingMode() {
        return paddingMode;
    }

    /**
     * Returns a builder initialised with these options.
     *
     * @return a builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.stride = stride;
        b.padding = padding;
        b.dilation = dilation;
        b.groups = groups;
        b.paddingMode = paddingMode;
        return b;
    }

    @Override
    public String toString() {
        return "stride="
                + (stride == null ? "1" : Arrays.toString(stride))
                + ", padding="
                + padding
                + ", dilation="
                + (dilation == null ? "1" : Arrays.toString(dilation))
                + ", groups="
                + groups
                + ", padding_mode="
                + paddingMode.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Builds {@link ConvOptions}. Values are checked against the tensors when a call is made. */
    public static final class Builder {
        private long[] stride;
        private Padding padding = Padding.valid();
        private long[] dilation;
        private int groups = 1;
        private PaddingMode paddingMode = PaddingMode.ZEROS;

        private Builder() {}

        /**
         * Sets the stride per spatial dimension.
         *
         * @param stride one value per spatial dimension
         * @return this builder
         */
        public Builder stride(long... stride) {
            this.stride = stride.clone();
            return this;
        }

        /**
         * Sets symmetric zero padding per spatial dimension.
         *
         * @param amounts one value per spatial dimension
         * @return this builder
         */
        public Builder padding(long... amounts) {
            this.padding = Padding.symmetric(amounts);
            return this;
        }

        /**
         * Sets the padding.
         *
         * @param padding explicit, 'same' or 'valid' padding
         * @return this builder
         */
        public Builder padding(Padding padding) {
            this.padding = padding == null ? Padding.valid() : padding;
            return this;
        }

        /**
         * Sets the dilation per spatial dimension.
         *
         * @param dilation one value per spatial dimension
         * @return this builder
         */
        public Builder dilation(long... dilation) {
            this.dilation = dilation.clone();
            return this;
        }

        /**
         * Sets the number of groups.
         *
         * @param groups a divisor of the input and output channel counts
         * @return this builder
         */
        public Builder groups(int groups) {
            this.groups = groups;
            return this;
        }

        /**
         * Sets what the padded border holds.
         *
         * @param mode zeros (default), reflect, replicate or circular
         * @return this builder
         */
        public Builder paddingMode(PaddingMode mode) {
            this.paddingMode = mode == null ? PaddingMode.ZEROS : mode;
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the options
         */
        public ConvOptions build() {
            return new ConvOptions(this);
        }
    }
}
