package org.fourier4j.train;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.function.Supplier;

/**
 * How the training engine obtains a model: a name, the input shape of one image, and fresh
 * (uninitialised) blocks. The model zoo provides these; tests use small models of their own.
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
}
