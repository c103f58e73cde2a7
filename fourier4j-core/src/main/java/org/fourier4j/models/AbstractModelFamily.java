package org.fourier4j.models;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the built-in families share: a display name, the naming schemes of their published weights,
 * and variants that start with the family's name and model factory.
 *
 * @param <C> the family's configuration record
 */
public abstract class AbstractModelFamily<C extends Record> implements ModelFamily {

    private final String name;
    private final Variant.Factory<C> factory;
    private final Map<String, NameMap> nameMaps;

    /**
     * Describes the family.
     *
     * @param name the display name, e.g. {@code ConvNeXt}
     * @param factory builds a model from a variant's configuration
     * @param nameMaps the published weights' naming schemes, each under its {@link
     *     NameMap#scheme()}
     */
    protected AbstractModelFamily(String name, Variant.Factory<C> factory, NameMap... nameMaps) {
        this.name = name;
        this.factory = factory;
        Map<String, NameMap> byScheme = new LinkedHashMap<>();
        for (NameMap m : nameMaps) {
            byScheme.put(m.scheme(), m);
        }
        this.nameMaps = Collections.unmodifiableMap(byScheme);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Map<String, NameMap> nameMaps() {
        return nameMaps;
    }

    /**
     * Starts a variant of this family.
     *
     * @param variantName the zoo name
     * @param config the variant's configuration
     * @return a builder with the family's name and factory set
     */
    protected final Variant.Builder<C> variant(String variantName, C config) {
        return Variant.of(variantName, config, factory).family(name);
    }

    /**
     * A variant of an ImageNet-1k family whose stem and downsampling pad, so that it takes every
     * image size from 32 up.
     *
     * @param variantName the zoo name
     * @param config the variant's configuration
     * @param paramsM parameters in millions the paper reports at 224 x 224 (NaN if none)
     * @param gflops GFLOPs the paper reports at 224 x 224 (NaN if none)
     * @param description one line for {@code fourier4j models}
     * @return the variant
     */
    protected final Variant<C> anySizeVariant(
            String variantName, C config, double paramsM, double gflops, String description) {
        return variant(variantName, config)
                .description(description)
                .reported(paramsM, gflops)
                .anySizeFrom(32)
                .build();
    }
}
