package org.fourier4j.onnx.graph;

import java.util.Arrays;
import org.fourier4j.onnx.proto.Onnx.TensorProto.DataType;

/**
 * A named tensor of a graph under construction, with its static shape as known at export time.
 *
 * <p>Shapes are concrete: the batch axis (if the value has one) holds the batch size of the shape
 * the graph is exported at; in the written model it is the symbolic dimension {@code batch} when
 * the export has a dynamic batch. {@link #batchAxis()} says which axis that is (-1 for constants
 * and values that do not depend on the batch).
 */
public final class OnnxValue {

    private final String name;
    private final long[] shape;
    private final int batchAxis;
    private final DataType type;

    OnnxValue(String name, long[] shape, int batchAxis, DataType type) {
        if (batchAxis < -1 || batchAxis >= shape.length) {
            throw new IllegalArgumentException(
                    "batch axis " + batchAxis + " outside shape " + Arrays.toString(shape));
        }
        this.name = name;
        this.shape = shape.clone();
        this.batchAxis = batchAxis;
        this.type = type;
    }

    /**
     * @return the value's name in the graph
     */
    public String name() {
        return name;
    }

    /**
     * @return a copy of the static shape (the batch axis holds the export batch size)
     */
    public long[] shape() {
        return shape.clone();
    }

    /**
     * Returns one dimension.
     *
     * @param axis the axis, negative counting from the end
     * @return its size
     */
    public long dim(int axis) {
        return shape[axis(axis)];
    }

    /**
     * Normalises an axis.
     *
     * @param axis the axis, negative counting from the end
     * @return the axis in [0, rank)
     * @throws IllegalArgumentException if it is out of range
     */
    public int axis(int axis) {
        int a = axis < 0 ? axis + shape.length : axis;
        if (a < 0 || a >= shape.length) {
            throw new IllegalArgumentException(
                    "axis " + axis + " out of range for " + name + " " + Arrays.toString(shape));
        }
        return a;
    }

    /**
     * @return the number of axes
     */
    public int rank() {
        return shape.length;
    }

    /**
     * @return the number of elements at the export shape
     */
    public long size() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /**
     * @return the batch axis, or -1 if the value has none
     */
    public int batchAxis() {
        return batchAxis;
    }

    /**
     * @return the element type
     */
    public DataType type() {
        return type;
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape) + (batchAxis >= 0 ? " batch@" + batchAxis : "");
    }
}
