package org.fourier4j.train;

import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fourier4j.models.ModelInfo;
import org.fourier4j.models.ModelOptions;
import org.fourier4j.models.ModelZoo;

/**
 * The model zoo as the training engine sees it: a {@link ModelFactory} for any {@link ModelZoo}
 * name, built from a resolved {@link TrainConfig}.
 *
 * <p>How configuration keys reach the model:
 *
 * <table>
 *   <caption>config key to model option</caption>
 *   <tr><th>key</th><th>goes to</th><th>models that take it</th></tr>
 *   <tr><td>{@code model}</td><td>the zoo name</td><td>all</td></tr>
 *   <tr><td>{@code num_classes}</td><td>{@link ModelOptions#numClasses()} (required)</td>
 *       <td>all</td></tr>
 *   <tr><td>{@code img_size}</td><td>{@link ModelOptions#imageSize()}; square only; unset: the
 *       model's design resolution ({@link ModelInfo#defaultImageSize()})</td><td>all</td></tr>
 *   <tr><td>{@code in_chans}</td><td>{@link ModelOptions#inChannels()}</td><td>all</td></tr>
 *   <tr><td>{@code drop_path_rate}</td><td>{@link ModelOptions#dropPathRate()}</td>
 *       <td>every family but FiT and FNet, which have no stochastic depth</td></tr>
 *   <tr><td>{@code embed_dim}</td><td>override {@code embed_dim}</td><td>ViT, FiT, FNet</td></tr>
 *   <tr><td>{@code dim_feedforward}</td><td>override {@code dim_feedforward}</td>
 *       <td>FiT, FNet</td></tr>
 *   <tr><td>{@code num_layers}</td><td>override {@code num_layers}</td><td>ViT, FiT, FNet</td></tr>
 *   <tr><td>{@code num_heads}</td><td>override {@code num_heads}</td><td>ViT</td></tr>
 *   <tr><td>{@code patch_size}</td><td>override {@code patch_size}; square only</td>
 *       <td>ViT, FiT, FNet, isotropic GFNet</td></tr>
 *   <tr><td>{@code dropout_rate}</td><td>override {@code dropout_rate}</td><td>FiT, FNet</td></tr>
 *   <tr><td>{@code head_tanh}</td><td>override {@code head_tanh}</td><td>FiT, FNet</td></tr>
 *   <tr><td>{@code fourier_norm}</td><td>override {@code fourier_norm}</td><td>FiT, FNet</td></tr>
 * </table>
 *
 * <p>An override key is passed exactly when the model lists it among its {@link
 * ModelInfo#overrideKeys()}; the last column is what the zoo declares today. A key that is set (not
 * null) but that the chosen model cannot take is a {@link ConfigException} naming the key, its
 * value, the model and the keys it does take: a silently ignored {@code embed_dim} would train
 * another model than the one asked for. Family-specific zoo overrides without a configuration key
 * ({@code depths}, {@code dims}, ...) keep the zoo's values.
 */
public final class ZooModels {

    /** Configuration keys passed as zoo overrides of the same name, when the model takes them. */
    public static final List<String> OVERRIDE_KEYS =
            List.of(
                    "embed_dim",
                    "dim_feedforward",
                    "num_layers",
                    "num_heads",
                    "patch_size",
                    "dropout_rate",
                    "head_tanh",
                    "fourier_norm");

    /** Families whose models have no stochastic depth (drop_path_rate would be ignored). */
    static final Set<String> FAMILIES_WITHOUT_DROP_PATH = Set.of("FiT", "FNet");

    /** Families whose models use {@link ModelOptions#dropPathRate()}. */
    static final Set<String> FAMILIES_WITH_DROP_PATH =
            Set.of(
                    "RepLKNet",
                    "ConvNeXt",
                    "DFFormer",
                    "ViT",
                    "GFNet",
                    "GFNet-H",
                    "AFFNet",
                    "FFNet",
                    "CAS-ViT",
                    "DSM");

    private ZooModels() {}

    /**
     * A registry with every zoo model, each built by {@link #factory(TrainConfig)}.
     *
     * @return the registry
     */
    public static ModelRegistry registry() {
        ModelRegistry r = new ModelRegistry();
        for (String name : ModelZoo.names()) {
            r.register(name, ZooModels::factory);
        }
        return r;
    }

    /**
     * The configuration keys a model takes besides the engine's own (data, optimisation, run).
     *
     * @param model a zoo name
     * @return the model keys, in {@link TrainConfig#KEYS} order
     * @throws ConfigException for an unknown model
     */
    public static List<String> modelKeys(String model) {
        ModelInfo info = info(model);
        List<String> keys =
                new ArrayList<>(List.of("model", "num_classes", "img_size", "in_chans"));
        if (takesDropPath(info)) {
            keys.add("drop_path_rate");
        }
        for (String k : OVERRIDE_KEYS) {
            if (info.overrideKeys().contains(k)) {
                keys.add(k);
            }
        }
        List<String> ordered = new ArrayList<>();
        for (String k : TrainConfig.KEYS.keySet()) {
            if (keys.contains(k)) {
                ordered.add(k);
            }
        }
        return ordered;
    }

    /**
     * The model the configuration describes. The model is built once here, so that a bad image size
     * or override value fails now, not when training starts.
     *
     * @param config a configuration with {@code model} and {@code num_classes} set
     * @return its factory; {@link ModelFactory#newBlock()} builds a new, uninitialised model
     * @throws ConfigException for an unknown model, a key the model cannot take, a non-square size,
     *     an unset {@code num_classes} or a configuration the model rejects
     */
    public static ModelFactory factory(TrainConfig config) {
        Shape input = inputShape(config);
        checkModelKeys(config);
        String name = config.getString("model");
        if (!config.isSet("num_classes")) {
            throw new ConfigException(
                    "num_classes is not set for model '"
                            + name
                            + "' (set it to the data set's number of classes)");
        }
        int size = (int) input.get(1);
        ModelOptions.Builder b =
                ModelOptions.builder()
                        .numClasses(config.getInt("num_classes"))
                        .imageSize(size)
                        .inChannels(config.getInt("in_chans"));
        if (config.isSet("drop_path_rate")) {
            b.dropPathRate((float) config.getDouble("drop_path_rate"));
        }
        for (String k : OVERRIDE_KEYS) {
            if (config.isSet(k)) {
                b.override(k, k.equals("patch_size") ? square(config, k, name) : config.get(k));
            }
        }
        ModelOptions options = b.build();
        try {
            ModelZoo.create(name, options);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage(), e);
        }
        return ModelFactory.of(name, input, () -> ModelZoo.create(name, options));
    }

    /**
     * Checks that the configured model takes every model key that is set.
     *
     * @param config a configuration with {@code model} set
     * @throws ConfigException naming the first key the model cannot take, its value and the keys
     *     the model takes
     */
    public static void checkModelKeys(TrainConfig config) {
        String name = modelName(config);
        ModelInfo info = info(name);
        List<String> accepted = modelKeys(name);
        for (String k : OVERRIDE_KEYS) {
            rejectIfSet(config, k, info, accepted);
        }
        rejectIfSet(config, "drop_path_rate", info, accepted);
    }

    /**
     * The input of one image of the model a configuration describes, {@code (in_chans, size,
     * size)}, without building the model ({@code num_classes} may still be unset).
     *
     * @param config a configuration with {@code model} set
     * @return {@code (C, H, W)}
     * @throws ConfigException for an unknown model or a non-square {@code img_size}
     */
    public static Shape inputShape(TrainConfig config) {
        String name = modelName(config);
        ModelInfo info = info(name);
        int size =
                config.isSet("img_size")
                        ? square(config, "img_size", name)
                        : info.defaultImageSize();
        return new Shape(config.getInt("in_chans"), size, size);
    }

    /**
     * The zoo overrides and options a configuration gives a model, for display.
     *
     * @param config a configuration accepted by {@link #factory(TrainConfig)}
     * @return key to value of every model key that is set
     */
    public static Map<String, Object> describe(TrainConfig config) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String k : modelKeys(config.getString("model"))) {
            if (config.isSet(k)) {
                m.put(k, config.toMap().get(k));
            }
        }
        return m;
    }

    private static String modelName(TrainConfig config) {
        String name = config.getString("model");
        if (name == null) {
            throw new ConfigException(
                    "no model given: set 'model' to a zoo name (list them with: fourier4j"
                            + " models)");
        }
        return name;
    }

    private static ModelInfo info(String name) {
        try {
            return ModelZoo.info(name);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage() + " (all names: fourier4j models)", e);
        }
    }

    static boolean takesDropPath(ModelInfo info) {
        return !FAMILIES_WITHOUT_DROP_PATH.contains(info.family());
    }

    private static void rejectIfSet(
            TrainConfig config, String key, ModelInfo info, List<String> accepted) {
        if (config.isSet(key) && !accepted.contains(key)) {
            throw new ConfigException(
                    "config key "
                            + key
                            + "="
                            + config.toMap().get(key)
                            + " does not apply to model '"
                            + info.name()
                            + "' ("
                            + info.family()
                            + "), which takes "
                            + String.join(", ", accepted)
                            + ": unset "
                            + key
                            + " or choose another model");
        }
    }

    private static int square(TrainConfig config, String key, String model) {
        int[] p = config.getPair(key);
        if (p[0] != p[1]) {
            throw new ConfigException(
                    key
                            + " ["
                            + p[0]
                            + ", "
                            + p[1]
                            + "] is not square: model '"
                            + model
                            + "' takes one size for height and width");
        }
        return p[0];
    }
}
