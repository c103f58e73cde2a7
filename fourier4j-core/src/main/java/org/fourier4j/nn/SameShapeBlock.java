package org.fourier4j.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;

/**
 * A block whose output has the shape of its (first) input: activations, norms, scales, residual and
 * MLP blocks. It answers {@link #getOutputShapes} so that they do not each repeat it.
 */
public abstract class SameShapeBlock extends AbstractBlock {

    /** Creates a block of DJL's default parameter version. */
    protected SameShapeBlock() {}

    /**
     * Creates a block.
     *
     * @param version the version of its saved parameters
     */
    protected SameShapeBlock(byte version) {
        super(version);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
