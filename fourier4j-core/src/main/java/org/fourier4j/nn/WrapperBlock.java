package org.fourier4j.nn;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;

/**
 * A block around one child that takes the block's input and decides the output's shape: it is
 * initialised with the block's input shapes and answers {@link #getOutputShapes} for the block.
 * Subclasses add what happens around it in {@code forwardInternal}.
 *
 * @param <B> the child's type
 */
public abstract class WrapperBlock<B extends Block> extends AbstractBlock {

    /** The child, registered under the name given to the constructor. */
    protected final B inner;

    /**
     * Registers the child.
     *
     * @param name its name among the block's children (and in its parameters' names)
     * @param inner the child
     */
    protected WrapperBlock(String name, B inner) {
        this.inner = addChildBlock(name, inner);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inner.getOutputShapes(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        inner.initialize(manager, dataType, inputShapes);
    }
}
