package org.fourier4j.models;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import org.fourier4j.config.Names;
import org.fourier4j.fft.ConvAlgorithm;

/**
 * The named models, as timm's {@code create_model}: {@code ModelZoo.create("replknet-31b",
 * options)}. Each name is a documented configuration of one family class; {@link ModelOptions} sets
 * classes, resolution, channels, drop path and family-specific overrides.
 */
public final class ModelZoo {

    /** Builds a model of a family from its name and options. */
    @FunctionalInterface
    interface Factory {
        ImageClassifier create(String name, ModelOptions options);
    }

    /**
     * The smallest image size a model takes under given overrides, for families where overrides (a
     * stem stride, a number of frequency bands) change it.
     */
    @FunctionalInterface
    interface SizeRule {
        int minImageSize(String name, ModelOptions options);
    }

    private static final class Entry {
        final ModelInfo info;
        final Factory factory;
        final SizeRule sizeRule;
        final Variant<?> variant;
        final ModelFamily family;

        Entry(ModelInfo info, Factory factory, SizeRule sizeRule) {
            this.info = info;
            this.factory = factory;
            this.sizeRule = sizeRule;
            this.variant = null;
            this.family = null;
        }

        Entry(Variant<?> variant, ModelFamily family) {
            this.info = variant.info();
            this.factory = null;
            this.sizeRule = null;
            this.variant = variant;
            this.family = family;
        }
    }

    private static final Map<String, Entry> MODELS = new LinkedHashMap<>();

    static {
        // RepLKNet: mmpretrain's count of the training structure (79.86M, 15.64G) for 31B; the
        // paper's 172M/96.0G (at 384) for 31L and 335M/128.7G (at 320) for XL
        registerRepLkNet(
                "replknet-31b",
                RepLkNet.B31,
                79.86,
                15.64,
                224,
                224,
                "RepLKNet-31B: channels 128-1024, layers 2/2/18/2, kernels 31/29/27/13 + 5x5");
        registerRepLkNet(
                "replknet-31l",
                RepLkNet.L31,
                172,
                96.0,
                384,
                384,
                "RepLKNet-31L: channels 192-1536, layers 2/2/18/2, kernels 31/29/27/13 + 5x5");
        registerRepLkNet(
                "replknet-xl",
                RepLkNet.XL,
                335,
                128.7,
                320,
                320,
                "RepLKNet-XL: channels 256-2048, kernels 27/27/27/13, dw ratio 1.5, no small"
                        + " kernel");
        // FFNet: the README's parameters and FLOPs, which are those of the fused inference form
        // (exact deploy-form counts from the spec, section 4.3: 13.66/26.91/48.33/79.20M); at
        // 256x256 except FFNet-4, reported at 384x384 only
        registerFfNet(
                "ffnet-1",
                FfNet.FFNET_1,
                13.66,
                2.9,
                256,
                "FFNet-1: depths 2/2/8/2, dims 80-640, channel-mixer kernel 3");
        registerFfNet(
                "ffnet-2",
                FfNet.FFNET_2,
                26.91,
                6.0,
                256,
                "FFNet-2: depths 3/3/15/3, dims 88-704, channel-mixer kernel 7");
        registerFfNet(
                "ffnet-3",
                FfNet.FFNET_3,
                48.33,
                10.1,
                256,
                "FFNet-3: depths 4/4/22/5, dims 96-768, kernel 7, layer scale");
        registerFfNet(
                "ffnet-4",
                FfNet.FFNET_4,
                79.20,
                43.1,
                384,
                "FFNet-4: depths 4/4/27/3, dims 128-1024, kernel 7, layer scale");
    }

    static {
        for (ModelFamily f :
                ServiceLoader.load(ModelFamily.class, ModelZoo.class.getClassLoader())) {
            register(f);
        }
    }

    private ModelZoo() {}

    /**
     * Registers every variant of a family (the families of fourier4j register themselves through
     * {@link ServiceLoader}; this is for a family defined elsewhere).
     *
     * @param family the family
     * @throws IllegalArgumentException if a name is already taken
     */
    public static synchronized void register(ModelFamily family) {
        for (Variant<?> v : family.variants()) {
            if (MODELS.containsKey(v.info().name())) {
                throw new IllegalArgumentException(
                        "model name '"
                                + v.info().name()
                                + "' of "
                                + family.name()
                                + " is already registered");
            }
            MODELS.put(v.info().name(), new Entry(v, family));
        }
    }

    /**
     * The variant behind a name, for families registered as {@link ModelFamily}.
     *
     * @param name a zoo name
     * @return its variant
     */
    public static Variant<?> variant(String name) {
        Entry e = entry(name);
        if (e.variant == null) {
            throw new IllegalArgumentException("model " + name + " has no typed variant yet");
        }
        return e.variant;
    }

    /**
     * The family a name belongs to, with its name maps.
     *
     * @param name a zoo name
     * @return its family
     */
    public static ModelFamily family(String name) {
        Entry e = entry(name);
        if (e.family == null) {
            throw new IllegalArgumentException("model " + name + " has no typed family yet");
        }
        return e.family;
    }

    private static Entry entry(String name) {
        Entry e = MODELS.get(name);
        if (e == null) {
            throw new IllegalArgumentException(
                    "unknown model '"
                            + name
                            + "'; closest: "
                            + String.join(", ", closest(name, 3))
                            + " (all names: fourier4j models)");
        }
        return e;
    }

    static void register(ModelInfo info, Factory factory) {
        register(info, factory, null);
    }

    static void register(ModelInfo info, Factory factory, SizeRule sizeRule) {
        MODELS.put(info.name(), new Entry(info, factory, sizeRule));
    }

    private static void registerRepLkNet(
            String name,
            RepLkNet.Config c,
            double params,
            double gflops,
            int reportedAt,
            int size,
            String desc) {
        Set<String> keys =
                Set.of(
                        "channels",
                        "layers",
                        "large_kernels",
                        "small_kernel",
                        "dw_ratio",
                        "large_kernel_algorithm");
        register(
                new ModelInfo(
                        name,
                        "RepLKNet",
                        desc,
                        params,
                        gflops,
                        reportedAt,
                        1000,
                        size,
                        32,
                        1,
                        keys),
                (n, o) -> {
                    RepLkNet.Config cfg =
                            new RepLkNet.Config(
                                    o.intsOverride("channels", c.channels),
                                    o.intsOverride("layers", c.layers),
                                    o.intsOverride("large_kernels", c.largeKernels),
                                    o.intOverride("small_kernel", c.smallKernel),
                                    o.floatOverride("dw_ratio", c.dwRatio));
                    checkStages(n, "channels", cfg.channels, 4);
                    checkStages(n, "layers", cfg.layers, 4);
                    checkStages(n, "large_kernels", cfg.largeKernels, 4);
                    return new RepLkNet(n, o, cfg, algorithm(o, "large_kernel_algorithm"));
                });
    }

    private static void registerFfNet(
            String name, FfNet.Config c, double params, double gflops, int size, String desc) {
        Set<String> keys =
                Set.of(
                        "depths",
                        "dims",
                        "token_kernels",
                        "channel_kernels",
                        "stem_dim",
                        "expansion",
                        "layer_scale",
                        "deploy");
        register(
                new ModelInfo(
                        name,
                        "FFNet",
                        desc,
                        params,
                        gflops,
                        size,
                        1000,
                        256,
                        32,
                        1,
                        keys,
                        Map.of("deploy", true)),
                (n, o) -> {
                    FfNet.Config cfg =
                            new FfNet.Config(
                                    o.intsOverride("depths", c.depths),
                                    o.intsOverride("dims", c.dims),
                                    o.intsOverride("token_kernels", c.tokenKernels),
                                    o.intsOverride("channel_kernels", c.channelKernels),
                                    o.intOverride("stem_dim", c.stemDim),
                                    o.intOverride("expansion", c.expansion),
                                    o.floatOverride("layer_scale", c.layerScale));
                    return new FfNet(n, o, cfg, o.booleanOverride("deploy", false));
                });
    }

    static void checkStages(String model, String key, int[] values, int stages) {
        if (values.length != stages) {
            throw new IllegalArgumentException(
                    "model "
                            + model
                            + ": "
                            + key
                            + " must have "
                            + stages
                            + " entries, got "
                            + java.util.Arrays.toString(values));
        }
        for (int v : values) {
            if (v < 1) {
                throw new IllegalArgumentException(
                        "model "
                                + model
                                + ": "
                                + key
                                + " must be positive, got "
                                + java.util.Arrays.toString(values));
            }
        }
    }

    static ConvAlgorithm algorithm(ModelOptions o, String key) {
        String v = o.stringOverride(key, "auto");
        try {
            return ConvAlgorithm.valueOf(v.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "override '" + key + "' must be auto, direct or fft, got '" + v + "'");
        }
    }

    /**
     * Builds a named model.
     *
     * @param name a name from {@link #names()}
     * @param options classes, resolution, channels, drop path, overrides
     * @return the model, not yet initialised
     * @throws IllegalArgumentException for an unknown name (listing the closest names), an image
     *     size the model cannot take (saying which work) or an unknown override key
     */
    public static ImageClassifier create(String name, ModelOptions options) {
        Entry e = entry(name);
        if (e.variant != null) {
            return e.variant.create(options);
        }
        options.checkOverrideKeys(name, e.info.overrideKeys());
        int multiple = e.info.sizeMultiple();
        int min =
                e.sizeRule == null ? e.info.minImageSize() : e.sizeRule.minImageSize(name, options);
        e.info.checkImageSize(options.imageSize(), min, multiple);
        return e.factory.create(name, options);
    }

    /**
     * Returns what the zoo knows about a model.
     *
     * @param name a name from {@link #names()}
     * @return its info
     */
    public static ModelInfo info(String name) {
        return entry(name).info;
    }

    /**
     * @return every model name, in registration order (grouped by family)
     */
    public static List<String> names() {
        return Collections.unmodifiableList(new ArrayList<>(MODELS.keySet()));
    }

    /**
     * Returns the names closest to a misspelt one (edit distance).
     *
     * @param name the unknown name
     * @param count how many
     * @return the closest names, best first
     */
    static List<String> closest(String name, int count) {
        return Names.closest(name, MODELS.keySet(), count);
    }
}
