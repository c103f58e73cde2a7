package org.fourier4j.fft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Slicing, zero padding and concatenation along one axis. Every operation keeps the autograd graph
 * (no {@code toType}, no {@code duplicate}).
 */
public final class Axes {

    private Axes() {}

    /**
     * Returns {@code a[..., start:end, ...]} along {@code axis}.
     *
     * @param a the array
     * @param axis the axis
     * @param start first index kept
     * @param end one past the last index kept
     * @return the slice ({@code a} itself when it is the whole axis)
     */
    public static NDArray slice(NDArray a, int axis, long start, long end) {
        if (start == 0 && end == a.getShape().get(axis)) {
            return a;
        }
        return a.get(new NDIndex().addAllDim(axis).addSliceDim(start, end));
    }

    /**
     * Zero-pads {@code before} and {@code after} entries along {@code axis}.
     *
     * @param a the array
     * @param axis the axis
     * @param before entries added in front
     * @param after entries added at the end
     * @return the padded array ({@code a} itself when nothing is added)
     */
    public static NDArray pad(NDArray a, int axis, long before, long after) {
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

    /**
     * Crops or zero-pads the end of {@code axis} to exactly {@code length} entries.
     *
     * @param a the array
     * @param axis the axis
     * @param length the new size of the axis
     * @return the fitted array
     */
    public static NDArray fitEnd(NDArray a, int axis, long length) {
        long size = a.getShape().get(axis);
        return size >= length ? slice(a, axis, 0, length) : pad(a, axis, 0, length - size);
    }

    /**
     * Crops or zero-pads {@code axis} to {@code length} entries keeping the centre: entry {@code
     * (size-1)/2} lands on {@code (length-1)/2}, the centre tap of a 'same' convolution kernel.
     *
     * @param a the array
     * @param axis the axis
     * @param length the new size of the axis
     * @return the fitted array
     */
    public static NDArray fitCentred(NDArray a, int axis, long length) {
        long size = a.getShape().get(axis);
        long start = (size - 1) / 2 - (length - 1) / 2;
        long end = start + length;
        long lo = Math.max(0, start);
        long hi = Math.min(size, end);
        return pad(slice(a, axis, lo, hi), axis, lo - start, end - hi);
    }

    /**
     * Concatenates the non-null, non-empty parts along {@code axis}.
     *
     * @param axis the axis
     * @param parts the parts, in order
     * @return the concatenation (the only part itself when there is one)
     */
    public static NDArray concat(int axis, NDArray... parts) {
        NDList list = new NDList();
        for (NDArray p : parts) {
            if (p != null && p.getShape().get(axis) > 0) {
                list.add(p);
            }
        }
        return list.size() == 1 ? list.get(0) : NDArrays.concat(list, axis);
    }
}
