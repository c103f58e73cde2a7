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
import org.fourier4j.fft.FftNorm;

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
        // ViT: the spec's exact counts for 1000 classes at 224 (DeiT sizes) and commonly cited
        // GFLOPs; -p4 variants take 32x32 inputs, ViT-B/4 counted as in the seed report's
        // CIFAR-10 comparison (85.15M with 10 classes, "86M")
        registerVit(
                "vit-tiny",
                VisionTransformer.TINY,
                5.717416,
                1.3,
                224,
                1000,
                "ViT-Ti/16: D 192, 12 blocks, 3 heads");
        registerVit(
                "vit-small",
                VisionTransformer.SMALL,
                22.050664,
                4.6,
                224,
                1000,
                "ViT-S/16: D 384, 12 blocks, 6 heads");
        registerVit(
                "vit-base",
                VisionTransformer.BASE,
                86.567656,
                17.5,
                224,
                1000,
                "ViT-B/16: D 768, 12 blocks, 12 heads");
        registerVit(
                "vit-tiny-p4",
                VisionTransformer.TINY.withPatch(4),
                Double.NaN,
                Double.NaN,
                32,
                10,
                "ViT-Ti/4 for 32x32: D 192, 12 blocks, 3 heads");
        registerVit(
                "vit-small-p4",
                VisionTransformer.SMALL.withPatch(4),
                Double.NaN,
                Double.NaN,
                32,
                10,
                "ViT-S/4 for 32x32: D 384, 12 blocks, 6 heads");
        registerVit(
                "vit-base-p4",
                VisionTransformer.BASE.withPatch(4),
                85.15,
                Double.NaN,
                32,
                10,
                "ViT-B/4 for 32x32: D 768, 12 blocks, 12 heads");
        // FiT: the seed's config, 37.92M at 32x32, patch 4, 10 classes (README "38M")
        registerFourier(
                "fit",
                FourierTransformer.FIT,
                37.92,
                32,
                "FiT (seed config): D 768, FF 2048, 12 FiT blocks, patch 4, tanh head");
        registerFourier(
                "fit-tiny",
                FourierTransformer.FIT_TINY,
                Double.NaN,
                32,
                "FiT-tiny for CPU: D 192, FF 768, 6 FiT blocks, patch 4, tanh head");
        registerFourier(
                "fit-small",
                FourierTransformer.FIT_SMALL,
                Double.NaN,
                32,
                "FiT-small: D 384, FF 1536, 8 FiT blocks, patch 4, tanh head");
        registerFourier(
                "fnet-tiny",
                FourierTransformer.FNET_TINY,
                Double.NaN,
                32,
                "FNet blocks in FiT's image skeleton: D 192, FF 768, 6 blocks, patch 4");
        registerFourier(
                "fnet-base",
                FourierTransformer.FNET_BASE,
                Double.NaN,
                224,
                "FNet-Base blocks in FiT's image skeleton: D 768, FF 3072, 12 blocks, patch 16");
        // GFNet: the spec's exact counts (README rounds them: 7/16/25/43/15/32/54M) and the
        // README's GFLOPs, 1000 classes at 224
        registerGfNet(
                "gfnet-ti", GfNet.TI, 7.51, 1.3, "GFNet-Ti: isotropic, D 256, 12 blocks, patch 16");
        registerGfNet(
                "gfnet-xs",
                GfNet.XS,
                15.99,
                2.8,
                "GFNet-XS: isotropic, D 384, 12 blocks, patch 16");
        registerGfNet(
                "gfnet-s", GfNet.S, 24.87, 4.5, "GFNet-S: isotropic, D 384, 19 blocks, patch 16");
        registerGfNet(
                "gfnet-b", GfNet.B, 43.12, 7.9, "GFNet-B: isotropic, D 512, 19 blocks, patch 16");
        registerGfNet(
                "gfnet-h-ti",
                GfNet.H_TI,
                15.09,
                2.0,
                "GFNet-H-Ti: hierarchical, dims 64-512, depths 3/3/10/3");
        registerGfNet(
                "gfnet-h-s",
                GfNet.H_S,
                32.16,
                4.5,
                "GFNet-H-S: hierarchical, dims 96-768, depths 3/3/10/3");
        registerGfNet(
                "gfnet-h-b",
                GfNet.H_B,
                53.74,
                8.4,
                "GFNet-H-B: hierarchical, dims 96-768, depths 3/3/27/3");
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

    private static void registerVit(
            String name,
            VisionTransformer.Config c,
            double params,
            double gflops,
            int size,
            int classes,
            String desc) {
        Set<String> keys = Set.of("embed_dim", "num_layers", "num_heads", "patch_size");
        register(
                new ModelInfo(
                        name, "ViT", desc, params, gflops, size, classes, size, c.patch, 1, keys),
                (n, o) -> {
                    VisionTransformer.Config cfg =
                            new VisionTransformer.Config(
                                    o.intOverride("embed_dim", c.dim),
                                    o.intOverride("num_layers", c.depth),
                                    o.intOverride("num_heads", c.heads),
                                    o.intOverride("patch_size", c.patch));
                    if (cfg.heads < 1 || cfg.dim % cfg.heads != 0) {
                        throw new IllegalArgumentException(
                                "model "
                                        + n
                                        + ": num_heads="
                                        + cfg.heads
                                        + " must divide embed_dim="
                                        + cfg.dim);
                    }
                    return new VisionTransformer(n, o, cfg);
                });
    }

    private static void registerFourier(
            String name, FourierTransformer.Config c, double params, int size, String desc) {
        Set<String> keys =
                Set.of(
                        "embed_dim",
                        "dim_feedforward",
                        "num_layers",
                        "patch_size",
                        "dropout_rate",
                        "head_tanh",
                        "fourier_norm");
        boolean fit = c.style == org.fourier4j.nn.FourierEncoderBlock.Style.FIT;
        register(
                new ModelInfo(
                        name,
                        fit ? "FiT" : "FNet",
                        desc,
                        params,
                        Double.NaN,
                        size,
                        10,
                        size,
                        c.patch,
                        1,
                        keys),
                (n, o) -> {
                    if (o.dropPathRate() > 0) {
                        // refused rather than ignored: the caller would train another model
                        throw new IllegalArgumentException(
                                "model "
                                        + n
                                        + ": FiT and FNet blocks have no stochastic depth,"
                                        + " drop_path_rate must be 0, got "
                                        + o.dropPathRate());
                    }
                    FourierTransformer.Config cfg =
                            new FourierTransformer.Config(
                                    o.intOverride("embed_dim", c.dim),
                                    o.intOverride("dim_feedforward", c.feedForward),
                                    o.intOverride("num_layers", c.depth),
                                    o.intOverride("patch_size", c.patch),
                                    c.style,
                                    o.floatOverride("dropout_rate", c.dropout),
                                    fourierNorm(
                                            n,
                                            o.stringOverride(
                                                    "fourier_norm", c.fourierNorm.name())));
                    boolean tanh =
                            Boolean.parseBoolean(
                                    o.stringOverride("head_tanh", String.valueOf(fit)));
                    return new FourierTransformer(n, o, cfg, tanh);
                });
    }

    private static FftNorm fourierNorm(String model, String value) {
        switch (value.toLowerCase(Locale.ROOT)) {
            case "backward":
                return FftNorm.BACKWARD;
            case "ortho":
                return FftNorm.ORTHO;
            default:
                throw new IllegalArgumentException(
                        model
                                + ": override fourier_norm must be backward or ortho, got '"
                                + value
                                + "'");
        }
    }

    private static void registerGfNet(
            String name, GfNet.Config c, double params, double gflops, String desc) {
        boolean pyramid = c.isHierarchical();
        Set<String> keys = Set.of("dims", "depths", "patch_size", "layer_scale");
        int min = pyramid ? 32 : c.patch;
        int multiple = pyramid ? 32 : 1; // isotropic: the patch grid floors
        register(
                new ModelInfo(
                        name,
                        pyramid ? "GFNet-H" : "GFNet",
                        desc,
                        params,
                        gflops,
                        224,
                        1000,
                        224,
                        min,
                        multiple,
                        pyramid ? Set.of("dims", "depths", "layer_scale") : keys),
                (n, o) -> {
                    GfNet.Config cfg =
                            new GfNet.Config(
                                    o.intsOverride("dims", c.dims),
                                    o.intsOverride("depths", c.depths),
                                    o.intOverride("patch_size", c.patch),
                                    o.floatOverride("layer_scale", c.layerScale));
                    checkStages(n, "dims", cfg.dims, c.dims.length);
                    checkStages(n, "depths", cfg.depths, c.depths.length);
                    return new GfNet(n, o, cfg);
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
        if (e.info.overrideKeys().contains("patch_size")) {
            // isotropic patch models floor the grid as a stride-P convolution does (1080 at
            // patch 16: a 67 x 67 grid): any size from one patch up
            int patch = options.intOverride("patch_size", e.info.minImageSize());
            if (patch < 1) {
                throw new IllegalArgumentException(
                        "model " + name + ": patch_size must be positive, got " + patch);
            }
            min = patch;
            multiple = 1;
        }
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
