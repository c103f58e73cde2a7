package org.fourier4j.models;

import java.util.List;
import java.util.Map;

/**
 * A model family: its named variants, registered with the {@link ModelZoo} as timm's {@code
 * register_model} does. Families are found with {@link java.util.ServiceLoader} (listed in {@code
 * META-INF/services/org.fourier4j.models.ModelFamily}), so adding a family is one package plus one
 * line there; a family outside fourier4j registers the same way, or with {@link
 * ModelZoo#register(ModelFamily)}.
 */
public interface ModelFamily {

    /**
     * @return the family's name as shown by {@code fourier4j models} (e.g. {@code ConvNeXt})
     */
    String name();

    /**
     * @return the variants, in the order {@code fourier4j models} lists them
     */
    List<Variant<?>> variants();

    /**
     * The naming schemes of the family's published weights, by scheme name ({@code official},
     * {@code timm}), each translating to fourier4j's parameter names.
     *
     * @return the schemes (empty when the family has only fourier4j's own names)
     */
    default Map<String, NameMap> nameMaps() {
        return Map.of();
    }
}
