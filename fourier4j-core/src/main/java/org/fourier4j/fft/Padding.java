package org.fourier4j.fft;

import java.util.Arrays;

/**
 * How much border a convolution adds to each spatial dimension: explicit amounts (symmetric, as in
 * DJL and PyTorch, or per side), {@code 'same'} or {@code 'valid'}.
 *
 * <p>{@code 'same'} follows PyTorch for stride 1 (total padding {@code d*(k-1)}, the extra unit of
 * an even total on the right/bottom) and TensorFlow for larger strides (output size {@code ceil(S /
 * s)}, total padding {@code max((out-1)*s + d*(k-1) + 1 - S, 0)}, split the same way); PyTorch
 * itself rejects 'same' with a stride.
 */
public final class Padding {

    private enum Kind {
        EXPLICIT,
        SAME,
        VALID
    }

    private static final Padding SAME = new Padding(Kind.SAME, null, null);
    private static final Padding VALID = new Padding(Kind.VALID, null, null);

    private final Kind kind;
    private final long[] left;
    private final long[] right;

    private Padding(Kind kind, long[] left, long[] right) {
        this.kind = kind;
        this.left = left;
        this.right = right;
    }

    /**
     * Returns symmetric padding: {@code amounts[i]} on both sides of spatial dimension {@code i}.
     *
     * @param amounts one non-negative amount per spatial dimension
     * @return the padding
     */
    public static Padding symmetric(long... amounts) {
        return new Padding(Kind.EXPLICIT, amounts.clone(), amounts.clone());
    }

    /**
     * Returns per-side padding.
     *
     * @param left the amount before the data, per spatial dimension
     * @param right the amount after the data, per spatial dimension
     * @return the padding
     */
    public static Padding of(long[] left, long[] right) {
        if (left.length != right.length) {
            throw new IllegalArgumentException(
                    "padding: left "
                            + Arrays.toString(left)
                            + " and right "
                            + Arrays.toString(right)
                            + " must have one entry per spatial dimension each");
        }
        return new Padding(Kind.EXPLICIT, left.clone(), right.clone());
    }

    /**
     * Returns 'same' padding: the output has the input's size (divided by the stride, rounded up).
     *
     * @return the padding
     */
    public static Padding same() {
        return SAME;
    }

    /**
     * Returns 'valid' padding: none.
     *
     * @return the padding
     */
    public static Padding valid() {
        return VALID;
    }

    /**
     * Returns whether this padding is explicit (not 'same' or 'valid').
     *
     * @return true for explicit amounts
     */
    public boolean isExplicit() {
        return kind == Kind.EXPLICIT;
    }

    /**
     * Returns the number of spatial dimensions of explicit padding, or -1 for 'same'/'valid'.
     *
     * @return the rank or -1
     */
    /**
     * @return true if nothing is padded on any side ('valid', or explicit zeros)
     */
    public boolean isNone() {
        if (kind == Kind.VALID) {
            return true;
        }
        if (kind == Kind.SAME) {
            return false;
        }
        for (int i = 0; i < left.length; i++) {
            if (left[i] != 0 || right[i] != 0) {
                return false;
            }
        }
        return true;
    }

    int rank() {
        return kind == Kind.EXPLICIT ? left.length : -1;
    }

    long[] explicitLeft() {
        return left.clone();
    }

    long[] explicitRight() {
        return right.clone();
    }

    /**
     * Resolves the amount before the data in one dimension.
     *
     * @param dim the spatial dimension
     * @param size the input size
     * @param dilatedKernel the dilated kernel extent {@code d*(k-1)+1}
     * @param stride the stride
     * @return the left/top/front amount
     */
    long left(int dim, long size, long dilatedKernel, long stride) {
        switch (kind) {
            case EXPLICIT:
                return left[dim];
            case SAME:
                return sameTotal(size, dilatedKernel, stride) / 2;
            default:
                return 0;
        }
    }

    /**
     * Resolves the amount after the data in one dimension.
     *
     * @param dim the spatial dimension
     * @param size the input size
     * @param dilatedKernel the dilated kernel extent {@code d*(k-1)+1}
     * @param stride the stride
     * @return the right/bottom/back amount
     */
    long right(int dim, long size, long dilatedKernel, long stride) {
        switch (kind) {
            case EXPLICIT:
                return right[dim];
            case SAME:
                long total = sameTotal(size, dilatedKernel, stride);
                return total - total / 2;
            default:
                return 0;
        }
    }

    private static long sameTotal(long size, long dilatedKernel, long stride) {
        long out = (size + stride - 1) / stride;
        return Math.max((out - 1) * stride + dilatedKernel - size, 0);
    }

    @Override
    public String toString() {
        switch (kind) {
            case SAME:
                return "same";
            case VALID:
                return "valid";
            default:
                return Arrays.equals(left, right)
                        ? Arrays.toString(left)
                        : "left " + Arrays.toString(left) + ", right " + Arrays.toString(right);
        }
    }
}
