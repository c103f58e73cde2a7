package org.fourier4j.models;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.fourier4j.config.ConfigBinder;

/**
 * A named model: a family's typed configuration record with the values of this variant, what the
 * paper reports about it, and the sizes it takes. The zoo binds a user's overrides onto the record
 * ({@link ConfigBinder}) and hands it to the family's factory.
 *
 * @param <C> the family's configuration record
 */
public final class Variant<C extends Record> {

    /**
     * Builds a model of the family.
     *
     * @param <C> the configuration record
     */
    @FunctionalInterface
    public interface Factory<C> {
        /**
         * Creates the model.
         *
         * @param name the zoo name
         * @param options classes, image size, drop path
         * @param config the configuration with the user's overrides applied
         * @return the model, not yet initialised
         */
        ImageClassifier create(String name, ModelOptions options, C config);
    }

    /** The smallest image size and the required multiple, given a configuration. */
    public record Sizes(int min, int multiple) {
        /**
         * Checks the values.
         *
         * @param min the smallest size
         * @param multiple sizes must be multiples of it
         */
        public Sizes {
            if (min < 1 || multiple < 1) {
                throw new IllegalArgumentException(
                        "sizes need min >= 1 and multiple >= 1, got " + min + ", " + multiple);
            }
        }
    }

    /**
     * The sizes a configuration takes.
     *
     * @param <C> the configuration record
     */
    @FunctionalInterface
    public interface SizeRule<C> {
        /**
         * @param config the configuration
         * @return its smallest size and multiple
         */
        Sizes sizes(C config);
    }

    private final ModelInfo info;
    private final C config;
    private final Factory<C> factory;
    private final SizeRule<C> sizes;

    private Variant(Builder<C> b) {
        this.config = b.config;
        this.factory = b.factory;
        this.sizes = b.sizes;
        Sizes s = b.sizes.sizes(b.config);
        Set<String> keys = new LinkedHashSet<>(ConfigBinder.keys(b.config.getClass()));
        this.info =
                new ModelInfo(
                        b.name,
                        b.family,
                        b.description,
                        b.paramsM,
                        b.gflops,
                        b.reportedSize,
                        b.reportedClasses,
                        b.defaultSize,
                        s.min(),
                        s.multiple(),
                        keys,
                        b.reportedOverrides,
                        b.trainingRecipe);
    }

    /**
     * Starts a variant.
     *
     * @param <C> the configuration record
     * @param name the zoo name
     * @param config the variant's configuration
     * @param factory the family's model factory
     * @return a builder
     */
    public static <C extends Record> Builder<C> of(String name, C config, Factory<C> factory) {
        return new Builder<>(name, config, factory);
    }

    /**
     * @return what the zoo shows about the variant
     */
    public ModelInfo info() {
        return info;
    }

    /**
     * @return the variant's configuration before overrides
     */
    public C config() {
        return config;
    }

    /**
     * The configuration with overrides applied.
     *
     * @param options the options whose overrides to apply
     * @return the bound configuration
     */
    public C configure(ModelOptions options) {
        return ConfigBinder.bind("model " + info.name(), config, options.overrides());
    }

    /**
     * Checks the image size and builds the model.
     *
     * @param options classes, image size, drop path, overrides
     * @return the model, not yet initialised
     */
    public ImageClassifier create(ModelOptions options) {
        C c = configure(options);
        Sizes s = sizes.sizes(c);
        info.checkImageSize(options.imageSize(), s.min(), s.multiple());
        return factory.create(info.name(), options, c);
    }

    /**
     * Builds a {@link Variant} with named values.
     *
     * @param <C> the configuration record
     */
    public static final class Builder<C extends Record> {
        private final String name;
        private final C config;
        private final Factory<C> factory;
        private String family;
        private String description = "";
        private double paramsM = Double.NaN;
        private double gflops = Double.NaN;
        private int reportedSize = 224;
        private int reportedClasses = 1000;
        private int defaultSize = 224;
        private SizeRule<C> sizes = c -> new Sizes(32, 32);
        private final Map<String, Object> reportedOverrides = new LinkedHashMap<>();
        private final Map<String, Object> trainingRecipe = new LinkedHashMap<>();

        private Builder(String name, C config, Factory<C> factory) {
            this.name = Objects.requireNonNull(name);
            this.config = Objects.requireNonNull(config);
            this.factory = Objects.requireNonNull(factory);
        }

        /**
         * @param family the family's display name
         * @return this builder
         */
        public Builder<C> family(String family) {
            this.family = family;
            return this;
        }

        /**
         * @param description one line shown by {@code fourier4j models}
         * @return this builder
         */
        public Builder<C> description(String description) {
            this.description = description;
            return this;
        }

        /**
         * What the paper (or the reference model card) reports.
         *
         * @param paramsM parameters in millions (NaN if none)
         * @param gflops GFLOPs (NaN if none)
         * @param imageSize the image size they refer to
         * @param classes the number of classes they refer to
         * @return this builder
         */
        public Builder<C> reported(double paramsM, double gflops, int imageSize, int classes) {
            this.paramsM = paramsM;
            this.gflops = gflops;
            this.reportedSize = imageSize;
            this.reportedClasses = classes;
            return this;
        }

        /**
         * What the paper reports at 224 x 224 with 1000 classes (ImageNet-1k).
         *
         * @param paramsM parameters in millions (NaN if none)
         * @param gflops GFLOPs (NaN if none)
         * @return this builder
         */
        public Builder<C> reported(double paramsM, double gflops) {
            return reported(paramsM, gflops, 224, 1000);
        }

        /**
         * An override that builds the form the reported figures refer to (e.g. deploy=true).
         *
         * @param key the override key
         * @param value its value
         * @return this builder
         */
        public Builder<C> reportedWith(String key, Object value) {
            reportedOverrides.put(key, value);
            return this;
        }

        /**
         * A training setting measured best for this model ({@link ModelInfo#trainingRecipe()}).
         *
         * @param key a training configuration key, e.g. {@code lr}
         * @param value its value
         * @return this builder
         */
        public Builder<C> trainWith(String key, Object value) {
            trainingRecipe.put(key, value);
            return this;
        }

        /**
         * @param size the resolution the variant was designed for
         * @return this builder
         */
        public Builder<C> defaultImageSize(int size) {
            this.defaultSize = size;
            return this;
        }

        /**
         * @param rule the sizes a configuration takes (default: multiples of 32)
         * @return this builder
         */
        public Builder<C> sizes(SizeRule<C> rule) {
            this.sizes = rule;
            return this;
        }

        /**
         * Takes every image size from {@code min} up (models whose stems and downsampling pad).
         *
         * @param min the smallest size
         * @return this builder
         */
        public Builder<C> anySizeFrom(int min) {
            return sizes(c -> new Sizes(min, 1));
        }

        /**
         * @return the variant
         */
        public Variant<C> build() {
            Objects.requireNonNull(family, name + ": family");
            return new Variant<>(this);
        }
    }
}
