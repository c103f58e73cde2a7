package org.fourier4j.models;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

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

    /**
     * Checks that every override key is one the family knows.
     *
     * @param model the model name, for the message
     * @param known the keys the family accepts
     * @throws IllegalArgumentException naming the unknown keys and listing the known ones
     */
    void checkOverrideKeys(String model, Set<String> known) {
        for (String k : overrides.keySet()) {
            if (!known.contains(k)) {
                throw new IllegalArgumentException(
                        "model "
                                + model
                                + ": unknown override '"
                                + k
                                + "'; this model accepts "
                                + new java.util.TreeSet<>(known));
            }
        }
    }

    int intOverride(String key, int dflt) {
        Object v = overrides.get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Number) {
            return ((Number) v).intValue();
        }
        try {
            return Integer.parseInt(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "override '" + key + "' must be an integer, got '" + v + "'");
        }
    }

    float floatOverride(String key, float dflt) {
        Object v = overrides.get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Number) {
            return ((Number) v).floatValue();
        }
        try {
            return Float.parseFloat(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "override '" + key + "' must be a number, got '" + v + "'");
        }
    }

    int[] intsOverride(String key, int[] dflt) {
        Object v = overrides.get(key);
        if (v == null) {
            return dflt.clone();
        }
        if (v instanceof int[]) {
            return ((int[]) v).clone();
        }
        if (v instanceof java.util.List) {
            java.util.List<?> l = (java.util.List<?>) v;
            int[] out = new int[l.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = Integer.parseInt(l.get(i).toString().trim());
            }
            return out;
        }
        String[] parts = v.toString().replace("[", "").replace("]", "").split("[,\\s]+");
        int[] out = new int[parts.length];
        try {
            for (int i = 0; i < parts.length; i++) {
                out[i] = Integer.parseInt(parts[i].trim());
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "override '" + key + "' must be a list of integers, got '" + v + "'");
        }
        return out;
    }

    boolean booleanOverride(String key, boolean dflt) {
        Object v = overrides.get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Boolean) {
            return (Boolean) v;
        }
        String t = v.toString().trim().toLowerCase(java.util.Locale.ROOT);
        if (t.equals("true") || t.equals("false")) {
            return Boolean.parseBoolean(t);
        }
        throw new IllegalArgumentException(
                "override '" + key + "' must be true or false, got '" + v + "'");
    }

    String stringOverride(String key, String dflt) {
        Object v = overrides.get(key);
        return v == null ? dflt : v.toString();
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
