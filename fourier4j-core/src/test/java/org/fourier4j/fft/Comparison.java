package org.fourier4j.fft;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Relative error max|a - b| / max|b| between two arrays, computed in double on the Java side. */
final class Comparison {

    private Comparison() {}

    static double relativeError(NDArray actual, NDArray expected) {
        double[] a = toDoubles(actual);
        double[] e = toDoubles(expected);
        if (a.length != e.length) {
            throw new AssertionError(
                    "shapes differ: " + actual.getShape() + " vs " + expected.getShape());
        }
        double maxDiff = 0;
        double maxRef = 0;
        for (int i = 0; i < a.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(a[i] - e[i]));
            maxRef = Math.max(maxRef, Math.abs(e[i]));
        }
        if (Double.isNaN(maxDiff)) {
            return Double.NaN;
        }
        return maxRef == 0 ? maxDiff : maxDiff / maxRef;
    }

    static double[] toDoubles(NDArray a) {
        if (a.getDataType() == DataType.FLOAT64) {
            return a.toDoubleArray();
        }
        float[] f = a.toFloatArray();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    static void assertClose(String what, NDArray actual, NDArray expected, double tolerance) {
        if (!actual.getShape().equals(expected.getShape())) {
            throw new AssertionError(
                    what + ": shape " + actual.getShape() + " != expected " + expected.getShape());
        }
        double err = relativeError(actual, expected);
        assertTrue(err <= tolerance, what + ": relative error " + err + " exceeds " + tolerance);
    }

    static double tolerance(DataType dt) {
        return dt == DataType.FLOAT64 ? 1e-10 : 1e-4;
    }
}
