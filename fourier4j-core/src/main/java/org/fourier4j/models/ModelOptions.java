package org.fourier4j.models;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a named model is built for: number of classes, input resolution and channels, drop-path
 * rate, and family-specific overrides of the named configuration (e.g. {@code depths}, {@code
 * dims}, {@code large_kernel_algorithm}). Immutable; build with {@link #builder()}.
 */
public final class ModelOptions {

    private final int numClasses;
    private final int imageSize;
    private final int inChannels;
    private final float dropPathRate;
    private final Map<String, Object> overrides;

    private ModelOptions(Builder b) {
        this.numClasses = b.numClasses;
        this.imageSize = b.imageSize;
        this.inChannels = b.inChannels;
        this.dropPathRate = b.dropPathRate;
        this.overrides = Collections.unmodifiableMap(new LinkedHashMap<>(b.overrides));
    }

    /**
     * @return a builder with ImageNet defaults: 1000 classes, 224x224, 3 channels, no drop path
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @return the number of classes of the head
     */
    public int numClasses() {
        return numClasses;
    }

    /**
     * @return the input height = width
     */
    public int imageSize() {
        return imageSize;
    }

    /**
     * @return the input channels
     */
    public int inChannels() {
        return inChannels;
    }

    /**
     * @return the stochastic-depth rate of the last block (rates grow linearly from 0)
     */
    public float dropPathRate() {
        return dropPathRate;
    }

    /**
     * @return the overrides, by key
     */
    public Map<String, Object> overrides() {
        return overrides;
    }

    /** Builds {@link ModelOptions}. */
    public static final class Builder {
        private int numClasses = 1000;
        private int imageSize = 224;
        private int inChannels = 3;
        private float dropPathRate;
        private final Map<String, Object> overrides = new LinkedHashMap<>();

        private Builder() {}

        /**
         * Sets the number of classes.
         *
         * @param n at least 1
         * @return this builder
         */
        public Builder numClasses(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("num_classes must be at least 1, got " + n);
            }
            numClasses = n;
            return this;
        }

        /**
         * Sets the input height = width.
         *
         * @param size at least 1
         * @return this builder
         */
        public Builder imageSize(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("image size must be at least 1, got " + size);
            }
            imageSize = size;
            return this;
        }

        /**
         * Sets the input channels.
         *
         * @param c at least 1
         * @return this builder
         */
        public Builder inChannels(int c) {
            if (c < 1) {
                throw new IllegalArgumentException("in_chans must be at least 1, got " + c);
            }
            inChannels = c;
            return this;
        }

        /**
         * Sets the drop-path rate.
         *
         * @param rate in [0, 1)
         * @return this builder
         */
        public Builder dropPathRate(float rate) {
            if (!(rate >= 0 && rate < 1)) {
                throw new IllegalArgumentException("drop_path_rate must be in [0, 1), got " + rate);
            }
            dropPathRate = rate;
            return this;
        }

        /**
         * Overrides one entry of the named configuration.
         *
         * @param key the family's key, e.g. {@code depths}
         * @param value a number, a list or a string
         * @return this builder
         */
        public Builder override(String key, Object value) {
            overrides.put(key, value);
            return this;
        }

        /**
         * @return the options
         */
        public ModelOptions build() {
            return new ModelOptions(this);
        }
    }
}
