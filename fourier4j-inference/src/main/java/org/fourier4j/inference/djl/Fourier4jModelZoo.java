package org.fourier4j.inference.djl;

import ai.djl.repository.zoo.ModelZoo;
import java.util.Set;

/**
 * fourier4j's models in DJL's model-zoo terms: group id {@value #GROUP_ID}, one artifact per zoo
 * name ({@code gfnet-ti}, {@code convnext-t}, ...). A model comes with the weights of a model
 * directory (argument {@code modelDir}) or, for the architecture alone, freshly initialised
 * (arguments {@code numClasses}, {@code imageSize}, {@code seed}, {@code override.KEY}):
 *
 * <pre>{@code
 * Criteria.builder()
 *         .setTypes(Image.class, Classifications.class)
 *         .optGroupId(Fourier4jModelZoo.GROUP_ID)
 *         .optArtifactId("convnext-t")
 *         .optArgument("modelDir", dir)
 *         .build()
 *         .loadModel();
 * }</pre>
 */
public final class Fourier4jModelZoo extends ModelZoo {

    /** The group id of fourier4j's models. */
    public static final String GROUP_ID = "org.fourier4j";

    /** Registers a loader per zoo name. */
    public Fourier4jModelZoo() {
        for (String name : org.fourier4j.models.ModelZoo.names()) {
            addModel(new ZooModelLoader(name));
        }
    }

    @Override
    public String getGroupId() {
        return GROUP_ID;
    }

    @Override
    public Set<String> getSupportedEngines() {
        return Set.of("PyTorch");
    }
}
