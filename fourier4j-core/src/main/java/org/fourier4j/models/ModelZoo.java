package org.fourier4j.models;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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

    private static final class Entry {
        final ModelInfo info;
        final Factory factory;

        Entry(ModelInfo info, Factory factory) {
            this.info = info;
            this.factory = factory;
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
        registerConvNext(
                "convnext-t",
                ConvNext.TINY,
                28,
                4.5,
                "ConvNeXt-T: depths 3/3/9/3, dims 96-768, 7x7 depthwise");
        registerConvNext(
                "convnext-s",
                ConvNext.SMALL,
                50,
                8.7,
                "ConvNeXt-S: depths 3/3/27/3, dims 96-768, 7x7 depthwise");
        registerConvNext(
                "convnext-b",
                ConvNext.BASE,
                89,
                15.4,
                "ConvNeXt-B: depths 3/3/27/3, dims 128-1024, 7x7 depthwise");
    }

    private ModelZoo() {}

    static void register(ModelInfo info, Factory factory) {
        MODELS.put(info.name(), new Entry(info, factory));
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
                        name, "RepLKNet", desc, params, gflops, reportedAt, size, 32, 1, keys),
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

    private static void registerConvNext(
            String name, ConvNext.Config c, double params, double gflops, String desc) {
        Set<String> keys = Set.of("depths", "dims", "conv_algorithm");
        register(
                new ModelInfo(name, "ConvNeXt", desc, params, gflops, 224, 224, 32, 1, keys),
                (n, o) -> {
                    ConvNext.Config cfg =
                            new ConvNext.Config(
                                    o.intsOverride("depths", c.depths),
                                    o.intsOverride("dims", c.dims));
                    return new ConvNext(
                            n, o, cfg, ConvNext.depthwise7x7(algorithm(o, "conv_algorithm")));
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
        Entry e = MODELS.get(name);
        if (e == null) {
            throw new IllegalArgumentException(
                    "unknown model '"
                            + name
                            + "'; closest: "
                            + String.join(", ", closest(name, 3))
                            + " (all names: fourier4j models)");
        }
        e.info.checkImageSize(options.imageSize());
        options.checkOverrideKeys(name, e.info.overrideKeys());
        return e.factory.create(name, options);
    }

    /**
     * Returns what the zoo knows about a model.
     *
     * @param name a name from {@link #names()}
     * @return its info
     */
    public static ModelInfo info(String name) {
        Entry e = MODELS.get(name);
        if (e == null) {
            throw new IllegalArgumentException(
                    "unknown model '"
                            + name
                            + "'; closest: "
                            + String.join(", ", closest(name, 3)));
        }
        return e.info;
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
        List<String> all = new ArrayList<>(MODELS.keySet());
        String key = name == null ? "" : name.toLowerCase(Locale.ROOT);
        all.sort(Comparator.comparingInt((String n) -> distance(key, n)).thenComparing(n -> n));
        return all.subList(0, Math.min(count, all.size()));
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
