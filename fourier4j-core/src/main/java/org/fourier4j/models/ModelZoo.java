package org.fourier4j.models;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.fourier4j.config.Names;

/**
 * The named models, as timm's {@code create_model}: {@code ModelZoo.create("replknet-31b",
 * options)}. Each name is a {@link Variant} of a {@link ModelFamily}; families register themselves
 * through {@link ServiceLoader} ({@code META-INF/services/org.fourier4j.models.ModelFamily}), in
 * the order that file lists them. {@link ModelOptions} sets classes, resolution, channels, drop
 * path and the family's typed overrides.
 */
public final class ModelZoo {

    private record Entry(Variant<?> variant, ModelFamily family) {}

    private static final Map<String, Entry> MODELS = new LinkedHashMap<>();

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
     * Builds a named model.
     *
     * @param name a name from {@link #names()}
     * @param options classes, resolution, channels, drop path, overrides
     * @return the model, not yet initialised
     * @throws IllegalArgumentException for an unknown name (listing the closest names), an image
     *     size the model cannot take (saying which work) or an unknown override key
     */
    public static ImageClassifier create(String name, ModelOptions options) {
        return entry(name).variant().create(options);
    }

    /**
     * Returns what the zoo knows about a model.
     *
     * @param name a name from {@link #names()}
     * @return its info
     */
    public static ModelInfo info(String name) {
        return entry(name).variant().info();
    }

    /**
     * The variant behind a name: its typed configuration and factory.
     *
     * @param name a zoo name
     * @return its variant
     */
    public static Variant<?> variant(String name) {
        return entry(name).variant();
    }

    /**
     * The family a name belongs to, with its name maps.
     *
     * @param name a zoo name
     * @return its family
     */
    public static ModelFamily family(String name) {
        return entry(name).family();
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
}
