package org.fourier4j.inference.djl;

import ai.djl.repository.zoo.ModelZoo;
import ai.djl.repository.zoo.ZooProvider;

/**
 * Registers {@link Fourier4jModelZoo} with DJL (through {@link java.util.ServiceLoader}: {@code
 * META-INF/services/ai.djl.repository.zoo.ZooProvider}).
 */
public final class Fourier4jZooProvider implements ZooProvider {

    @Override
    public ModelZoo getModelZoo() {
        return new Fourier4jModelZoo();
    }
}
