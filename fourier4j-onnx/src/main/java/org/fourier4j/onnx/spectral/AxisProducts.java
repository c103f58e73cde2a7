package org.fourier4j.onnx.spectral;

import java.util.function.Function;
import org.fourier4j.onnx.graph.OnnxOps;
import org.fourier4j.onnx.graph.OnnxValue;

/**
 * Applies a (rows, cols) matrix along one axis of a value, {@code y[..., r, ...] = sum_c M[r, c]
 * x[..., c, ...]}, as one {@code MatMul}: on the last axis {@code x M^T}, on the one before {@code
 * M x} (broadcast over the leading axes), elsewhere after merging the axes behind it (two free
 * reshapes). No transposes are needed in any case.
 */
public final class AxisProducts {

    private AxisProducts() {}

    /**
     * Applies a matrix along an axis.
     *
     * @param ops the graph's operators
     * @param x the value; its batch axis (if any) must come before {@code axis}
     * @param axis the axis, of size cols
     * @param rows the matrix's rows (the axis's new size)
     * @param matrix gives the matrix as an initializer: {@code (rows, cols)} for false, its
     *     transpose {@code (cols, rows)} for true (only the one needed is requested)
     * @return the product
     */
    public static OnnxValue along(
            OnnxOps ops, OnnxValue x, int axis, int rows, Function<Boolean, OnnxValue> matrix) {
        int a = x.axis(axis);
        int rank = x.rank();
        if (a == rank - 1) {
            return ops.matMul(x, matrix.apply(true));
        }
        OnnxValue m = matrix.apply(false);
        if (m.dim(0) != rows || m.dim(1) != x.dim(a)) {
            throw new IllegalArgumentException(
                    "matrix " + m + " does not fit axis " + a + " of " + x);
        }
        if (a == rank - 2) {
            return ops.matMul(m, x);
        }
        long[] shape = x.shape();
        long rest = 1;
        for (int i = a + 1; i < rank; i++) {
            rest *= shape[i];
        }
        long[] merged = new long[a + 2];
        for (int i = 0; i <= a; i++) {
            merged[i] = i == x.batchAxis() ? OnnxOps.BATCH : shape[i];
        }
        merged[a + 1] = rest;
        OnnxValue product = ops.matMul(m, ops.reshape(x, merged));
        long[] back = shape.clone();
        back[a] = rows;
        if (x.batchAxis() >= 0) {
            back[x.batchAxis()] = OnnxOps.BATCH;
        }
        return ops.reshape(product, back);
    }
}
