package org.fourier4j.fft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Complex tensors built and taken apart without cutting the autograd graph.
 *
 * <p>The engine's {@code complex()} (view_as_complex) has no autograd and {@code toType} detaches,
 * so a differentiable complex tensor is built as {@code re * 1 + im * i} with complex constants,
 * and read back through {@code real()} (view_as_real, shape {@code (..., 2)}). Complex constants
 * take the precision of the real data they meet: complex64 for float32, complex128 for float64.
 */
public final class ComplexArrays {

    private ComplexArrays() {}

    /**
     * Creates a complex constant {@code re + i im}.
     *
     * @param manager where the constant lives (use the batch's manager inside a forward pass)
     * @param realType FLOAT32 (gives complex64) or FLOAT64 (gives complex128)
     * @param re the real parts, row-major
     * @param im the imaginary parts, row-major
     * @param shape the shape of the complex result; its size must equal {@code re.length}
     * @return the complex constant
     */
    public static NDArray constant(
            NDManager manager, DataType realType, double[] re, double[] im, Shape shape) {
        if (re.length != im.length || re.length != shape.size()) {
            throw new IllegalArgumentException(
                    "ComplexArrays.constant: "
                            + re.length
                            + " real and "
                            + im.length
                            + " imaginary parts for shape "
                            + shape);
        }
        if (realType != DataType.FLOAT64 && realType != DataType.FLOAT32) {
            throw new IllegalArgumentException(
                    "ComplexArrays.constant: real type must be float32 or float64, got "
                            + realType);
        }
        double[] d = new double[2 * re.length];
        for (int i = 0; i < re.length; i++) {
            d[2 * i] = re[i];
            d[2 * i + 1] = im[i];
        }
        // engine-owned memory: the complex view below outlives this method (see EngineArrays)
        NDArray interleaved = EngineArrays.of(manager, d, shape.add(2), realType);
        // view_as_complex is fine for constants: nothing upstream needs a gradient. The view keeps
        // the engine's storage alive after the handle of the real array is released.
        NDArray z = interleaved.complex();
        interleaved.close();
        return z;
    }

    /**
     * Creates a complex scalar constant, broadcastable against any array.
     *
     * @param manager where the constant lives
     * @param realType FLOAT32 or FLOAT64
     * @param re the real part
     * @param im the imaginary part
     * @return a complex array of shape (1)
     */
    public static NDArray scalar(NDManager manager, DataType realType, double re, double im) {
        return constant(manager, realType, new double[] {re}, new double[] {im}, new Shape(1));
    }

    /**
     * Returns {@code re + i im} for real arrays of equal shape; differentiable in both. The result
     * belongs to {@code re}'s manager.
     *
     * @param re the real part, float32 or float64
     * @param im the imaginary part, same shape and type
     * @return the complex array
     */
    public static NDArray fromParts(NDArray re, NDArray im) {
        if (!re.getShape().equals(im.getShape())) {
            throw new IllegalArgumentException(
                    "ComplexArrays.fromParts: real part "
                            + re.getShape()
                            + " and imaginary part "
                            + im.getShape()
                            + " differ");
        }
        NDManager m = re.getManager();
        NDArray one = scalar(m, re.getDataType(), 1, 0);
        NDArray j = scalar(m, re.getDataType(), 0, 1);
        return re.mul(one).add(im.mul(j));
    }

    /**
     * Returns the real part of a complex array (differentiable).
     *
     * @param z a complex array
     * @return its real part, same shape
     */
    public static NDArray realPart(NDArray z) {
        return z.real().get("..., 0");
    }

    /**
     * Returns the imaginary part of a complex array (differentiable).
     *
     * @param z a complex array
     * @return its imaginary part, same shape
     */
    public static NDArray imagPart(NDArray z) {
        return z.real().get("..., 1");
    }

    /**
     * Returns whether the array holds real floating-point data the transforms accept.
     *
     * @param a an array
     * @return true for float32 and float64
     */
    public static boolean isRealFloat(NDArray a) {
        DataType t = a.getDataType();
        return t == DataType.FLOAT32 || t == DataType.FLOAT64;
    }
}
