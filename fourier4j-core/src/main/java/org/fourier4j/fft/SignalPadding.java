package org.fourier4j.fft;

import ai.djl.ndarray.NDArray;

/**
 * Pads the spatial axes of an (N, C, *spatial) array with zeros, reflection, replication or
 * wrap-around, as PyTorch's {@code F.pad} does. Differentiable: built from slices, flips, repeats
 * and concatenation.
 */
public final class SignalPadding {

    private SignalPadding() {}

    /**
     * Pads the spatial axes (2, 3, ...) of {@code x}.
     *
     * @param x the array, (N, C, *spatial)
     * @param left the amount before the data, per spatial axis
     * @param right the amount after the data, per spatial axis
     * @param mode what the border holds
     * @return the padded array
     */
    public static NDArray pad(NDArray x, int[] left, int[] right, PaddingMode mode) {
        int dims = left.length;
        int rank = x.getShape().dimension();
        if (rank != dims + 2 || right.length != dims) {
            throw new IllegalArgumentException(
                    "pad: expected "
                            + (rank - 2)
                            + " left and right amounts for input "
                            + x.getShape()
                            + ", got "
                            + java.util.Arrays.toString(left)
                            + " and "
                            + java.util.Arrays.toString(right));
        }
        NDArray out = x;
        for (int i = 0; i < dims; i++) {
            out = padAxis(out, i + 2, left[i], right[i], mode);
        }
        return out;
    }

    private static NDArray padAxis(NDArray x, int axis, int before, int after, PaddingMode mode) {
        if (before == 0 && after == 0) {
            return x;
        }
        long size = x.getShape().get(axis);
        switch (mode) {
            case ZEROS:
                return Axes.pad(x, axis, before, after);
            case CIRCULAR:
                requireAtMost("circular", before, after, size, size, x);
                return Axes.concat(
                        axis,
                        before > 0 ? Axes.slice(x, axis, size - before, size) : null,
                        x,
                        after > 0 ? Axes.slice(x, axis, 0, after) : null);
            case REFLECT:
                requireAtMost("reflect", before, after, size - 1, size, x);
                return Axes.concat(
                        axis,
                        before > 0 ? Axes.slice(x, axis, 1, before + 1L).flip(axis) : null,
                        x,
                        after > 0
                                ? Axes.slice(x, axis, size - 1 - after, size - 1).flip(axis)
                                : null);
            case REPLICATE:
                return Axes.concat(
                        axis,
                        before > 0 ? Axes.slice(x, axis, 0, 1).repeat(axis, before) : null,
                        x,
                        after > 0 ? Axes.slice(x, axis, size - 1, size).repeat(axis, after) : null);
            default:
                throw new IllegalArgumentException("pad: unknown padding mode " + mode);
        }
    }

    private static void requireAtMost(
            String mode, int before, int after, long max, long size, NDArray x) {
        if (before > max || after > max) {
            throw new IllegalArgumentException(
                    String.format(
                            "pad: %s padding of %d/%d needs at most %d on an axis of size %d"
                                    + " (input %s)",
                            mode, before, after, max, size, x.getShape()));
        }
    }
}
