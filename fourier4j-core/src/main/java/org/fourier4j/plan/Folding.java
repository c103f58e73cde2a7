package org.fourier4j.plan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Folds a per-channel affine map {@code y = x * scale + shift} into the weights of the convolution
 * or linear layer beside it. The arithmetic runs in float64 and is rounded once to the weights'
 * precision; the model's own arrays are only read.
 */
final class Folding {

    private Folding() {}

    /**
     * The layer followed by the map on its output channels (axis 0 of the weight): {@code W' = W *
     * scale[o]}, {@code b' = b * scale + shift}.
     *
     * @param weight (out, ...)
     * @param bias (out), or null for none
     * @param scale per output channel, or null for ones
     * @param shift per output channel, or null for zeros
     * @param into the manager of the results
     * @return the new weight and bias
     */
    static NDArray[] outputs(
            NDArray weight, NDArray bias, double[] scale, double[] shift, NDManager into) {
        DataType type = weight.getDataType();
        long out = weight.getShape().get(0);
        try (NDManager tmp = into.newSubManager()) {
            NDArray w = f64(weight, tmp);
            NDArray b = bias == null ? tmp.zeros(new Shape(out), DataType.FLOAT64) : f64(bias, tmp);
            if (scale != null) {
                NDArray s = tmp.create(scale);
                w = w.mul(s.reshape(broadcastShape(out, 0, weight.getShape().dimension())));
                b = b.mul(s);
            }
            if (shift != null) {
                b = b.add(tmp.create(shift));
            }
            return new NDArray[] {back(w, type, into), back(b, type, into)};
        }
    }

    /**
     * The map on the input channels (axis 1 of the weight) followed by the layer: {@code W' = W *
     * scale[i]}, {@code b'[o] = b[o] + sum over i and the kernel of W[o, i, ...] shift[i]}. Exact
     * for a layer that sees no padding and has one group.
     *
     * @param weight (out, in, ...)
     * @param bias (out), or null for none
     * @param scale per input channel, or null for ones
     * @param shift per input channel, or null for zeros
     * @param into the manager of the results
     * @return the new weight and bias
     */
    static NDArray[] inputs(
            NDArray weight, NDArray bias, double[] scale, double[] shift, NDManager into) {
        DataType type = weight.getDataType();
        Shape ws = weight.getShape();
        try (NDManager tmp = into.newSubManager()) {
            NDArray w = f64(weight, tmp);
            NDArray b =
                    bias == null
                            ? tmp.zeros(new Shape(ws.get(0)), DataType.FLOAT64)
                            : f64(bias, tmp);
            Shape along = broadcastShape(ws.get(1), 1, ws.dimension());
            if (shift != null) {
                int[] axes = new int[ws.dimension() - 1];
                for (int i = 0; i < axes.length; i++) {
                    axes[i] = i + 1;
                }
                b = b.add(w.mul(tmp.create(shift).reshape(along)).sum(axes));
            }
            if (scale != null) {
                w = w.mul(tmp.create(scale).reshape(along));
            }
            return new NDArray[] {back(w, type, into), back(b, type, into)};
        }
    }

    /** Shape (1, .., n, .., 1) of the given rank with n at {@code axis}. */
    static Shape broadcastShape(long n, int axis, int rank) {
        long[] s = new long[rank];
        java.util.Arrays.fill(s, 1);
        s[axis] = n;
        return new Shape(s);
    }

    /** A float64 copy of an array (no gradient), in {@code scope}. */
    static NDArray f64(NDArray a, NDManager scope) {
        NDArray d = a.toType(DataType.FLOAT64, true);
        d.attach(scope);
        return d;
    }

    /** The values of a 1-D array as doubles. */
    static double[] values(NDArray a) {
        try (NDArray d = a.toType(DataType.FLOAT64, true)) {
            return d.toDoubleArray();
        }
    }

    private static NDArray back(NDArray a, DataType type, NDManager into) {
        NDArray r = a.toType(type, true);
        r.attach(into);
        return r;
    }
}
