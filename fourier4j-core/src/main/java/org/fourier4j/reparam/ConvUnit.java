package org.fourier4j.reparam;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;

/**
 * What the units of this package share: whatever their form, they compute what one convolution of
 * {@link #spec()}'s geometry computes, so their output shape is that convolution's.
 */
abstract class ConvUnit extends AbstractBlock {

    private final ConvSpec spec;

    /**
     * @param spec the geometry of the equal convolution
     */
    ConvUnit(ConvSpec spec) {
        this.spec = spec;
    }

    /**
     * @return the geometry of the equal convolution
     */
    public ConvSpec spec() {
        return spec;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {spec.outputShape(inputShapes[0])};
    }
}
