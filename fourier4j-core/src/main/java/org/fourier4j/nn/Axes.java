package org.fourier4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/** Slicing and zero padding along one axis; all differentiable. */
final class Axes {

    private Axes() {}

    /** Returns {@code a[..., start:end, ...]} along {@code axis}. */
    static NDArray slice(NDArray a, int axis, long start, long end) {
        if (start == 0 && end == a.getShape().get(axis)) {
            return a;
        }
        return a.get(new NDIndex().addAllDim(axis).addSliceDim(start, end));
    }

    /** Zero-pads {@code before} and {@code after} entries along {@code axis}. */
    static NDArray pad(NDArray a, int axis, long before, long after) {
        if (before == 0 && after == 0) {
            return a;
        }
        int rank = a.getShape().dimension();
        long[] pads = new long[2 * (rank - axis)];
        int at = 2 * (rank - 1 - axis);
        pads[at] = before;
        pads[at + 1] = after;
        return a.pad(new Shape(pads), 0);
    }

    /** Crops or zero-pads the end of {@code axis} to exactly {@code length} entries. */
    static NDArray fitEnd(NDArray a, int axis, long length) {
        long size = a.getShape().get(axis);
        return size >= length ? slice(a, axis, 0, length) : pad(a, axis, 0, length - size);
    }

    /**
     * Crops or zero-pads {@code axis} to {@code length} entries keeping the centre: entry {@code
     * (size-1)/2} lands on {@code (length-1)/2}, the centre tap of a 'same' convolution kernel.
     */
    static NDArray fitCentred(NDArray a, int axis, long length) {
        long size = a.getShape().get(axis);
        long start = (size - 1) / 2 - (length - 1) / 2;
        long end = start + length;
        long lo = Math.max(0, start);
        long hi = Math.min(size, end);
        return pad(slice(a, axis, lo, hi), axis, lo - start, end - hi);
    }
}
