package org.fourier4j.train;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.function.Supplier;
import org.fourier4j.models.ModelOptions;
import org.fourier4j.models.ModelZoo;

/**
 * How the training engine obtains a model: a name, the input shape of one image, and fresh
 * (uninitialised) blocks: {@link #zoo(TrainConfig)} for the model zoo; tests use small models of
 * their own.
 *
 * <p>The block takes a batch {@code (N, C, H, W)} and returns logits {@code (N, classes)}.
 */
public interface ModelFactory {

    /**
     * @return the model's name, recorded in checkpoints
     */
    String name();

    /**
     * @return the input of one image, {@code (C, H, W)}
     */
    Shape inputShape();

    /**
     * @return a new, uninitialised block
     */
    Block newBlock();

    /**
     * A factory from a name, an input shape and a block supplier.
     *
     * @param name the model name
     * @param inputShape {@code (C, H, W)}
     * @param blocks creates a new block per call
     * @return the factory
     */
    static ModelFactory of(String name, Shape inputShape, Supplier<Block> blocks) {
        if (inputShape.dimension() != 3) {
            throw new IllegalArgumentException("input shape must be (C, H, W), got " + inputShape);
        }
        return new ModelFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Shape inputShape() {
                return inputShape;
            }

            @Override
            public Block newBlock() {
                return blocks.get();
            }
        };
    }

    /**
     * The zoo model a configuration describes ({@link TrainConfig#modelOptions()}). The model is
     * built once here, so that a bad image size or override value fails now, not when training
     * starts.
     *
     * @param config a configuration with {@code model} and {@code num_classes} set
     * @return its factory; {@link #newBlock()} builds a new, uninitialised model
     * @throws ConfigException for an unknown model, a key the model does not take, a non-square
     *     size, an unset {@code num_classes} or a configuration the zoo refuses
     */
    static ModelFactory zoo(TrainConfig config) {
        String name = config.modelName();
        ModelOptions options = config.modelOptions();
        Shape input = config.model().inputShape();
        try {
            ModelZoo.create(name, options);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage(), e);
        }
        return of(name, input, () -> ModelZoo.create(name, options));
    }
}
