package org.fourier4j.models;

import ai.djl.ndarray.types.Shape;
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

    /**
     * What a set of weights decides about the configuration: {@code num_classes}, {@code
     * image_size} where a position embedding or a global filter fixes it, and the family's override
     * keys that the shapes determine (depths, widths, kernel sizes, the training or deploy form,
     * ...). The importer compares these with the named configuration and tells the user which
     * overrides make them agree.
     *
     * @param shapes fourier4j parameter name to shape, of the weights being imported
     * @return override key (or {@code num_classes}, {@code image_size}) to value
     */
    default Map<String, Object> inferFromWeights(Map<String, Shape> shapes) {
        return Map.of();
    }
}
