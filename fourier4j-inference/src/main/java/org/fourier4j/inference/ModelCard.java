package org.fourier4j.inference;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fourier4j.models.ModelOptions;

/**
 * The {@code model.json} of a model directory: which zoo model with which options, the form its
 * weights are in, how images are prepared for it, and its class names. The weights themselves are
 * in {@code model.safetensors} under fourier4j's parameter names.
 *
 * @param format always {@link #FORMAT}
 * @param version the format version ({@link #VERSION})
 * @param model the zoo name
 * @param numClasses the number of classes
 * @param imageSize the input size the model was built for
 * @param inChannels input channels
 * @param overrides the zoo overrides it was built with
 * @param form {@code training} or {@code deploy} (re-parameterised)
 * @param preprocessing how images become inputs
 * @param classes the class names, one per output
 * @param source where the weights came from (file, checksum, naming scheme, training run)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelCard(
        @JsonProperty("format") String format,
        @JsonProperty("version") int version,
        @JsonProperty("model") String model,
        @JsonProperty("num_classes") int numClasses,
        @JsonProperty("image_size") int imageSize,
        @JsonProperty("in_channels") int inChannels,
        @JsonProperty("overrides") Map<String, Object> overrides,
        @JsonProperty("form") String form,
        @JsonProperty("preprocessing") Preprocessing preprocessing,
        @JsonProperty("classes") List<String> classes,
        @JsonProperty("source") Map<String, Object> source) {

    /** The {@code format} value. */
    public static final String FORMAT = "fourier4j-model";

    /** The current version. */
    public static final int VERSION = 1;

    /** The training form (as built and trained). */
    public static final String TRAINING = "training";

    /** The re-parameterised inference form. */
    public static final String DEPLOY = "deploy";

    /** Checks the values. */
    public ModelCard {
        if (!FORMAT.equals(format)) {
            throw new IllegalArgumentException(
                    "not a fourier4j model card: format is '" + format + "', expected " + FORMAT);
        }
        if (version < 1 || version > VERSION) {
            throw new IllegalArgumentException(
                    "model card version "
                            + version
                            + " is not supported (this fourier4j reads up to "
                            + VERSION
                            + ")");
        }
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("model card: 'model' is missing");
        }
        if (numClasses < 1 || imageSize < 1 || inChannels < 1) {
            throw new IllegalArgumentException(
                    "model card: num_classes, image_size and in_channels must be positive, got "
                            + numClasses
                            + ", "
                            + imageSize
                            + ", "
                            + inChannels);
        }
        if (classes != null && classes.size() != numClasses) {
            throw new IllegalArgumentException(
                    "model card: "
                            + classes.size()
                            + " class names for "
                            + numClasses
                            + " classes");
        }
        if (!TRAINING.equals(form) && !DEPLOY.equals(form)) {
            throw new IllegalArgumentException(
                    "model card: form must be training or deploy, got '" + form + "'");
        }
        overrides = overrides == null ? Map.of() : new LinkedHashMap<>(overrides);
        source = source == null ? Map.of() : new LinkedHashMap<>(source);
        classes = classes == null ? numbered(numClasses) : List.copyOf(classes);
    }

    /**
     * A card for a zoo model.
     *
     * @param model the zoo name
     * @param options its options
     * @param form training or deploy
     * @param preprocessing how images become inputs
     * @param classes class names (null: "0", "1", ...)
     * @param source provenance
     * @return the card
     */
    public static ModelCard of(
            String model,
            ModelOptions options,
            String form,
            Preprocessing preprocessing,
            List<String> classes,
            Map<String, Object> source) {
        return new ModelCard(
                FORMAT,
                VERSION,
                model,
                options.numClasses(),
                options.imageSize(),
                options.inChannels(),
                options.overrides(),
                form,
                preprocessing,
                classes,
                source);
    }

    /**
     * @return the zoo options this card describes
     */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public ModelOptions options() {
        ModelOptions.Builder b =
                ModelOptions.builder()
                        .numClasses(numClasses)
                        .imageSize(imageSize)
                        .inChannels(inChannels);
        overrides.forEach(b::override);
        return b.build();
    }

    /**
     * @return whether the weights are in the re-parameterised form
     */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isDeploy() {
        return DEPLOY.equals(form);
    }

    /**
     * @return what decides the model's speed besides the input's shape (architecture, form, widths
     *     of input and output, overrides): the key of its engine choice ({@link
     *     org.fourier4j.inference.engine.EngineChoice})
     */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public String engineIdentity() {
        return model
                + " "
                + form
                + " c"
                + numClasses
                + " in"
                + inChannels
                + " "
                + new java.util.TreeMap<>(overrides == null ? Map.of() : overrides);
    }

    private static List<String> numbered(int n) {
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            out[i] = String.valueOf(i);
        }
        return List.of(out);
    }
}
