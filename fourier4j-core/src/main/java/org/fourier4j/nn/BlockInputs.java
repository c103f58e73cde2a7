package org.fourier4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Checks made at a block's boundary, with messages that name the block and show the shapes ({@code
 * GlobalFilter: expected input (B, H, W, C) with C = 32, got (2, 3, 32)}), so that a wrong layout
 * fails in Java instead of crashing in native code or broadcasting silently.
 */
final class BlockInputs {

    private BlockInputs() {}

    /** Returns the only input array, or throws naming the block. */
    static NDArray single(String block, NDList inputs) {
        if (inputs == null || inputs.size() != 1) {
            throw new IllegalArgumentException(
                    block
                            + ": expected exactly one input, got "
                            + (inputs == null ? 0 : inputs.size()));
        }
        NDArray x = inputs.head();
        DataType t = x.getDataType();
        if (t != DataType.FLOAT32 && t != DataType.FLOAT64) {
            throw new IllegalArgumentException(
                    block + ": expected float32 or float64 input, got " + t + " " + x.getShape());
        }
        return x;
    }

    /** Returns the only input shape, or throws naming the block. */
    static Shape single(String block, Shape[] shapes) {
        if (shapes == null || shapes.length != 1) {
            throw new IllegalArgumentException(
                    block
                            + ": expected exactly one input shape, got "
                            + (shapes == null ? 0 : shapes.length));
        }
        return shapes[0];
    }

    /**
     * Throws unless {@code shape} has {@code rank} dimensions, all positive.
     *
     * @param layout e.g. "(B, C, H, W)"
     */
    static void rank(String block, Shape shape, int rank, String layout) {
        boolean ok = shape.dimension() == rank;
        for (int i = 0; ok && i < rank; i++) {
            ok = shape.get(i) > 0;
        }
        if (!ok) {
            throw new IllegalArgumentException(
                    block + ": expected input " + layout + ", got " + shape);
        }
    }

    /**
     * Throws unless {@code ok}, with the message {@code block: expected input <what>, got <shape>}.
     */
    static void require(boolean ok, String block, String what, Shape shape) {
        if (!ok) {
            throw new IllegalArgumentException(
                    block + ": expected input " + what + ", got " + shape);
        }
    }

    /**
     * Throws unless {@code shape} has the layout's rank, all dimensions positive, and {@code width}
     * at {@code axis}; the message reads {@code block: expected input (B, C, H, W) with C = 64, got
     * ...}.
     *
     * @param layout the axes' letters, e.g. "(B, C, H, W)"
     * @param axis the axis whose size is fixed
     * @param width its size
     * @return the shape
     */
    static Shape withWidth(String block, Shape shape, String layout, int axis, long width) {
        String[] axes = layout.substring(1, layout.length() - 1).split(", ");
        String what = layout + " with " + axes[axis] + " = " + width;
        rank(block, shape, axes.length, what);
        require(shape.get(axis) == width, block, what, shape);
        return shape;
    }
}
