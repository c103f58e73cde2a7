package org.fourier4j.train;

import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.annotation.JsonAlias;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.fourier4j.models.ModelInfo;
import org.fourier4j.models.ModelOptions;
import org.fourier4j.models.ModelZoo;

/**
 * The model keys of a training configuration. {@code model}, {@code img_size}, {@code in_chans},
 * {@code num_classes} and {@code drop_path_rate} are the zoo's {@link
 * org.fourier4j.models.ModelOptions}; the keys marked {@link Setting#modelOverride()} (the seed
 * project's model keys) are passed to the zoo as overrides of the same name, as is any other
 * override key of the chosen model ({@link TrainConfig#modelOverrides()}). Each key is described by
 * its {@link Setting}.
 *
 * @param model the zoo name
 * @param embedDim token/channel width
 * @param dimFeedforward MLP hidden width
 * @param numLayers number of blocks
 * @param numHeads attention heads
 * @param patchSize patch size
 * @param imgSize input size
 * @param inChans input channels
 * @param numClasses classes
 * @param dropoutRate dropout probability ({@code drouput_rate} is the seed project's spelling)
 * @param dropPathRate stochastic depth rate
 * @param headTanh FiT's tanh head
 * @param fourierNorm FiT/FNet's Fourier scaling
 */
public record ModelSection(
        @Setting("model name (the model zoo's name, e.g. fit-tiny)") String model,
        @Setting(
                        value = "token/channel width (model default if unset)",
                        min = 1,
                        modelOverride = true)
                Integer embedDim,
        @Setting(value = "MLP hidden width", min = 1, modelOverride = true) Integer dimFeedforward,
        @Setting(value = "number of blocks", min = 1, modelOverride = true) Integer numLayers,
        @Setting(value = "attention heads (attention models)", min = 1, modelOverride = true)
                Integer numHeads,
        @Setting(value = "patch size, n or [h, w]", modelOverride = true) HeightWidth patchSize,
        @Setting("model input size, n or [h, w]") HeightWidth imgSize,
        @Setting(value = "input channels", min = 1) int inChans,
        @Setting(value = "classes; must match the data set if set", min = 1) Integer numClasses,
        @Setting(
                        value = "dropout probability (alias drouput_rate)",
                        min = 0,
                        max = 1,
                        maxExclusive = true,
                        modelOverride = true)
                @JsonAlias("drouput_rate")
                Double dropoutRate,
        @Setting(value = "stochastic depth rate", min = 0, max = 1, maxExclusive = true)
                Double dropPathRate,
        @Setting(
                        value =
                                "FiT: squash the logits with tanh as the seed code does (model"
                                        + " default true)",
                        modelOverride = true)
                Boolean headTanh,
        @Setting(
                        value =
                                "FiT/FNet: scaling of the Fourier mixer, backward (unnormalised,"
                                        + " the papers'; model default) or ortho (unitary DFT)",
                        modelOverride = true)
                String fourierNorm) {

    /** The defaults: every model key unset but {@code in_chans = 3}. */
    public static final ModelSection DEFAULTS =
            new ModelSection(
                    null, null, null, null, null, null, null, 3, null, null, null, null, null);

    private static volatile Set<String> zooKeys;

    /**
     * @return every override key of every zoo model (a flat configuration key that is none of the
     *     training keys must be one of these)
     */
    static Set<String> zooOverrideKeys() {
        Set<String> keys = zooKeys;
        if (keys == null) {
            keys = new TreeSet<>();
            for (String name : ModelZoo.names()) {
                keys.addAll(ModelZoo.info(name).overrideKeys());
            }
            zooKeys = keys = Set.copyOf(keys);
        }
        return keys;
    }

    /**
     * Whether {@link #model()} names a model of the zoo (tests train models of their own).
     *
     * @return true for a zoo name
     */
    public boolean isZooModel() {
        return model != null && ModelZoo.names().contains(model);
    }

    /**
     * What the zoo is asked to build: this section's options and overrides plus the other override
     * keys of the configuration. Checks that the model takes every override that is set.
     *
     * @param otherOverrides override keys of the model that are not keys of this section
     * @return the options
     * @throws ConfigException if the model is unset or unknown, {@code num_classes} is unset, a
     *     size is not square or the model does not take an override
     */
    public ModelOptions zooOptions(Map<String, Object> otherOverrides) {
        Shape input = inputShape();
        if (numClasses == null) {
            throw new ConfigException(
                    "num_classes is not set for model '"
                            + model
                            + "' (set it to the data set's number of classes)");
        }
        ModelOptions.Builder b =
                ModelOptions.builder()
                        .numClasses(numClasses)
                        .imageSize((int) input.get(1))
                        .inChannels(inChans);
        if (dropPathRate != null) {
            b.dropPathRate(dropPathRate.floatValue());
        }
        zooOverrides(otherOverrides).forEach(b::override);
        return b.build();
    }

    /**
     * The overrides passed to the zoo: every key marked {@link Setting#modelOverride()} that is set
     * ({@code patch_size} as one side), then the other override keys. Checks that the model takes
     * each of them.
     *
     * @param otherOverrides override keys of the model that are not keys of this section
     * @return key to value
     * @throws ConfigException naming a key the model does not take, or a non-square patch size
     */
    public Map<String, Object> zooOverrides(Map<String, Object> otherOverrides) {
        ModelInfo info = info();
        Map<String, Object> out = new LinkedHashMap<>();
        for (ConfigKeys.Key k : ConfigKeys.KEYS.values()) {
            Object v = k.section() == ModelSection.class ? k.valueIn(this) : null;
            if (v != null && k.setting().modelOverride()) {
                out.put(k.name(), v instanceof HeightWidth hw ? hw.square(k.name(), model) : v);
            }
        }
        out.putAll(otherOverrides);
        for (Map.Entry<String, Object> e : out.entrySet()) {
            if (!info.overrideKeys().contains(e.getKey())) {
                throw new ConfigException(
                        "config key "
                                + e.getKey()
                                + "="
                                + TrainConfig.show(e.getValue())
                                + " does not apply to model '"
                                + model
                                + "' ("
                                + info.family()
                                + "), whose override keys are "
                                + (info.overrideKeys().isEmpty()
                                        ? "none"
                                        : String.join(", ", new TreeSet<>(info.overrideKeys())))
                                + ": unset "
                                + e.getKey()
                                + " or choose another model");
            }
        }
        return out;
    }

    /**
     * The input of one image, {@code (in_chans, size, size)}: {@code img_size}, or the zoo model's
     * design resolution when unset.
     *
     * @return {@code (C, H, W)}
     * @throws ConfigException if the model is unset or unknown, or {@code img_size} is not square
     */
    public Shape inputShape() {
        ModelInfo info = info();
        int size = imgSize != null ? imgSize.square("img_size", model) : info.defaultImageSize();
        return new Shape(inChans, size, size);
    }

    private ModelInfo info() {
        if (model == null) {
            throw new ConfigException(
                    "no model given: set 'model' to a zoo name (list them with: fourier4j"
                            + " models)");
        }
        try {
            return ModelZoo.info(model);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage(), e);
        }
    }
}
