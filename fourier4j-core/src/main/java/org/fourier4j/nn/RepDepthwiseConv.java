package org.fourier4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * FFNet's {@code RepVGGDW}: two depthwise {@link ConvBn} branches, k x k ({@code conv}) and (k/2) x
 * (k/2) ({@code conv1}), summed. {@link #fuse} merges them into one k x k depthwise convolution
 * with bias: each branch's BatchNorm folded in, the small kernel zero-padded to k x k and added.
 * The small kernel must be odd (k = 7 as in FFNet gives 3).
 */
public final class RepDepthwiseConv extends AbstractBlock {

    private final ConvBn large;
    private final ConvBn small;

    RepDepthwiseConv(int channels, int kernel) {
        super((byte) 1);
        if (kernel % 2 == 0 || (kernel / 2) % 2 == 0) {
            throw new IllegalArgumentException(
                    "RepDepthwiseConv: kernel "
                            + kernel
                            + " needs odd k and odd k/2 (FFNet uses 7)");
        }
        large = addChildBlock("conv", new ConvBn(channels, kernel, channels));
        small = addChildBlock("conv1", new ConvBn(channels, kernel / 2, channels));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray a = large.forward(ps, inputs, training).head();
        NDArray b = small.forward(ps, inputs, training).head();
        return new NDList(a.add(b));
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        large.initialize(manager, dataType, inputShapes);
        small.initialize(manager, dataType, inputShapes);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return large.getOutputShapes(inputShapes);
    }

    /**
     * Returns the single depthwise convolution equal to this block in inference mode.
     *
     * @return {weight (C, 1, k, k), bias (C)}, new arrays in the parameters' manager
     */
    NDArray[] fuse() {
        NDArray[] a = large.fuse();
        NDArray[] b = small.fuse();
        long p = (large.kernel() - small.kernel()) / 2;
        NDArray padded = b[0].pad(new Shape(p, p, p, p), 0);
        NDArray[] merged = {a[0].add(padded), a[1].add(b[1])};
        for (NDArray t : new NDArray[] {a[0], a[1], b[0], b[1], padded}) {
            t.close();
        }
        return merged;
    }
}
