package org.fourier4j.fft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Axis-wise slicing and padding, and ownership moves between managers. Every operation here keeps
 * the autograd graph (no {@code toType}, no {@code duplicate}).
 */
final class ArrayOps {

    private ArrayOps() {}

    /**
     * Moves an operation's result into {@code scope}, so that it is freed when the scope closes.
     * Results belong to their first operand's manager; the first operation on a caller's array
     * (input, weight, bias) would otherwise leave its result in the caller's manager.
     */
    static NDArray own(NDManager scope, NDArray result) {
        result.attach(scope);
        return result;
    }

    /** Returns {@code a[..., start:end, ...]} along {@code axis}. */
    static NDArray slice(NDArray a, int axis, long start, long end) {
        if (start == 0 && end == a.getShape().get(axis)) {
            return a;
        }
        return a.get(new NDIndex().addAllDim(axis).addSliceDim(start, end));
    }

    /**
     * Pads {@code a} along {@code axis} with {@code before} and {@code after} entries of {@code
     * value}.
     */
    static NDArray padAxis(NDArray a, int axis, long before, long after, double value) {
        if (before == 0 && after == 0) {
            return a;
        }
        int rank = a.getShape().dimension();
        long[] pads = new long[2 * (rank - axis)];
        int at = 2 * (rank - 1 - axis);
        pads[at] = before;
        pads[at + 1] = after;
        return a.pad(new Shape(pads), value);
    }

    /** Pads or crops {@code a} at the end of {@code axis} to exactly {@code length} entries. */
    static NDArray fitAxis(NDArray a, int axis, long length) {
        long size = a.getShape().get(axis);
        if (size == length) {
            return a;
        }
        return size < length ? padAxis(a, axis, 0, length - size, 0) : slice(a, axis, 0, length);
    }

    /** Concatenates the non-null, non-empty parts along {@code axis}. */
    static NDArray concat(int axis, NDArray... parts) {
        NDList list = new NDList();
        for (NDArray p : parts) {
            if (p != null && p.getShape().get(axis) > 0) {
                list.add(p);
            }
        }
        return list.size() == 1 ? list.get(0) : NDArrays.concat(list, axis);
    }
}
