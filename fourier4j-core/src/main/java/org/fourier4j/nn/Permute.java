package org.fourier4j.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Arrays;

/**
 * A layout change as a step of a block: {@code x.permute(axes)} (e.g. channels-first to
 * channels-last before a layer norm over channels and back). No parameters.
 */
public final class Permute extends AbstractBlock {

    /** (B, C, H, W) to (B, H, W, C). */
    public static final int[] TO_CHANNELS_LAST = {0, 2, 3, 1};

    /** (B, H, W, C) to (B, C, H, W). */
    public static final int[] TO_CHANNELS_FIRST = {0, 3, 1, 2};

    private final int[] axes;

    /**
     * Creates the step.
     *
     * @param axes the new order of the axes
     */
    public Permute(int... axes) {
        int[] sorted = axes.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            if (sorted[i] != i) {
                throw new IllegalArgumentException(
                        "Permute: axes must be a permutation of 0.."
                                + (axes.length - 1)
                                + ", got "
                                + Arrays.toString(axes));
            }
        }
        this.axes = axes.clone();
    }

    /**
     * @return the axis order
     */
    public int[] axes() {
        return axes.clone();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(inputs.singletonOrThrow().transpose(axes));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        if (in.dimension() != axes.length) {
            throw new IllegalArgumentException(
                    "Permute "
                            + Arrays.toString(axes)
                            + ": expected rank "
                            + axes.length
                            + ", got "
                            + in);
        }
        long[] out = new long[axes.length];
        for (int i = 0; i < axes.length; i++) {
            out[i] = in.get(axes[i]);
        }
        return new Shape[] {new Shape(out)};
    }
}
