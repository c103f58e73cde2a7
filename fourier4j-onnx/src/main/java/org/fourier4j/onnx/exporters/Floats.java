package org.fourier4j.onnx.exporters;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Parameter values as Java arrays, for constants computed at export time. */
final class Floats {

    private Floats() {}

    /** The array's values as doubles (any float type), row-major. */
    static double[] of(NDArray a) {
        if (a.getDataType() == DataType.FLOAT64) {
            return a.toDoubleArray();
        }
        if (a.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException(
                    "expected a float32 or float64 array, got "
                            + a.getDataType()
                            + " "
                            + a.getShape());
        }
        float[] f = a.toFloatArray();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    /** Transposes a row-major (rows, cols) matrix. */
    static double[] transpose(double[] m, int rows, int cols) {
        double[] t = new double[m.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = m[r * cols + c];
            }
        }
        return t;
    }

    static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
