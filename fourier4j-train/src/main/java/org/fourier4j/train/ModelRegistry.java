package org.fourier4j.train;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Model names to builders that make a {@link ModelFactory} from the run's configuration (so that
 * keys such as {@code embed_dim} or {@code patch_size} reach the model). The model zoo registers
 * its models here; the engine looks the configured {@code model} up.
 */
public final class ModelRegistry {

    private final Map<String, Function<TrainConfig, ModelFactory>> builders = new TreeMap<>();

    /**
     * Registers a model.
     *
     * @param name the name used in configurations
     * @param builder makes the model from the configuration
     * @return this
     */
    public ModelRegistry register(String name, Function<TrainConfig, ModelFactory> builder) {
        if (builders.putIfAbsent(name, builder) != null) {
            throw new IllegalArgumentException("model '" + name + "' is already registered");
        }
        return this;
    }

    /**
     * @return the registered names, sorted
     */
    public java.util.Set<String> names() {
        return builders.keySet();
    }

    /**
     * The model the configuration names.
     *
     * @param config a configuration with {@code model} set
     * @return its factory
     * @throws ConfigException if {@code model} is unset or unknown, listing the known names
     */
    public ModelFactory create(TrainConfig config) {
        String name = config.getString("model");
        if (name == null) {
            throw new ConfigException(
                    "no model given: set 'model' to one of "
                            + String.join(", ", builders.keySet()));
        }
        Function<TrainConfig, ModelFactory> b = builders.get(name);
        if (b == null) {
            throw new ConfigException(
                    "unknown model '"
                            + name
                            + "'; known models: "
                            + (builders.isEmpty()
                                    ? "(none)"
                                    : String.join(", ", builders.keySet())));
        }
        ModelFactory f = b.apply(config);
        if (!f.name().equals(name)) {
            throw new IllegalStateException("model '" + name + "' was built as '" + f.name() + "'");
        }
        return f;
    }
}
