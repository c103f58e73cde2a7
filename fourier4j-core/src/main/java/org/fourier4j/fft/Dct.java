package org.fourier4j.fft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Orthonormal discrete cosine transforms: DCT-II and its inverse DCT-III, along one axis or two,
 * computed with FFTs in O(N log N) and differentiable through the engine's autograd.
 *
 * <p>Orthonormal DCT-II of length N: {@code X[k] = a_k sum_{n<N} x[n] cos(pi (2n+1) k / (2N))},
 * {@code a_0 = sqrt(1/N)}, {@code a_k = sqrt(2/N)} (SciPy's {@code dct(type=2, norm="ortho")}). The
 * DCT-III with the same scaling is its inverse (and transpose).
 *
 * <p>Method: the even extension {@code y = [x, reverse(x)]} of length 2N has real FFT {@code Y[k] =
 * 2 exp(i pi k / (2N)) C[k]}, C the unnormalised DCT-II, so the DCT-II is a real FFT of length 2N
 * followed by a twiddle; the DCT-III builds that half spectrum from the coefficients and takes an
 * inverse real FFT. Only concat, flip, pad, FFTs, complex products by constants and {@code real()}
 * are used, so gradients flow. Results belong to the input's manager.
 *
 * <p>Short transforms along one of the last two axes (DSM's 7 to 56 point grids) are instead one
 * product with the N x N DCT matrix: a single GEMM against the eight operations of the FFT route,
 * which dominated DSM-T's forward pass (the matrix costs N multiply-adds per value, below the FFT
 * route's fixed cost up to {@value #MATRIX_MAX_LENGTH} points).
 */
public final class Dct {

    /** The longest transform computed as a matrix product. */
    static final int MATRIX_MAX_LENGTH = 64;

    /** Orthonormal DCT-II matrices by length, row-major, {@code D[k][j]}. */
    private static final Map<Integer, double[]> MATRICES = new ConcurrentHashMap<>();

    private Dct() {}

    /**
     * Orthonormal DCT-II along one axis.
     *
     * @param x real array, float32 or float64
     * @param axis the axis (may be negative)
     * @return the coefficients, same shape
     */
    public static NDArray dctII(NDArray x, int axis) {
        int a = checked(x, axis, "dctII");
        long n = x.getShape().get(a);
        if (byMatrix(x, a)) {
            return byMatrix(x, a, false);
        }
        NDArray extended = Axes.concat(a, x, x.flip(a));
        NDArray half = Axes.slice(extended.rfft(2 * n, a), a, 0, n);
        double[] re = new double[(int) n];
        double[] im = new double[(int) n];
        for (int k = 0; k < n; k++) {
            double scale = (k == 0 ? Math.sqrt(1.0 / n) : Math.sqrt(2.0 / n)) / 2;
            double phase = -Math.PI * k / (2.0 * n);
            re[k] = scale * Math.cos(phase);
            im[k] = scale * Math.sin(phase);
        }
        NDArray twiddle = twiddle(x, a, re, im);
        return ComplexArrays.realPart(half.mul(twiddle));
    }

    /**
     * Orthonormal DCT-III along one axis: the inverse of {@link #dctII}.
     *
     * @param coefficients real array, float32 or float64
     * @param axis the axis (may be negative)
     * @return the signal, same shape
     */
    public static NDArray dctIII(NDArray coefficients, int axis) {
        int a = checked(coefficients, axis, "dctIII");
        long n = coefficients.getShape().get(a);
        if (byMatrix(coefficients, a)) {
            return byMatrix(coefficients, a, true);
        }
        // Half spectrum of the even extension: Y[k] = 2 exp(i pi k / 2N) X[k] / a_k, Y[N] = 0.
        NDArray padded = Axes.pad(coefficients, a, 0, 1);
        double[] re = new double[(int) n + 1];
        double[] im = new double[(int) n + 1];
        for (int k = 0; k < n; k++) {
            double scale = 2 / (k == 0 ? Math.sqrt(1.0 / n) : Math.sqrt(2.0 / n));
            double phase = Math.PI * k / (2.0 * n);
            re[k] = scale * Math.cos(phase);
            im[k] = scale * Math.sin(phase);
        }
        NDArray spectrum = padded.mul(twiddle(coefficients, a, re, im));
        return Axes.slice(spectrum.irfft(2 * n, a), a, 0, n);
    }

    /**
     * Orthonormal 2-D DCT-II: along axisW, then along axisH.
     *
     * @param x real array, float32 or float64
     * @param axisH the first axis (may be negative)
     * @param axisW the second axis (may be negative)
     * @return the coefficients, same shape
     */
    public static NDArray dctII2d(NDArray x, int axisH, int axisW) {
        distinct(x, axisH, axisW, "dctII2d");
        return dctII(dctII(x, axisW), axisH);
    }

    /**
     * Orthonormal 2-D DCT-III: the inverse of {@link #dctII2d}.
     *
     * @param coefficients real array, float32 or float64
     * @param axisH the first axis (may be negative)
     * @param axisW the second axis (may be negative)
     * @return the signal, same shape
     */
    public static NDArray dctIII2d(NDArray coefficients, int axisH, int axisW) {
        distinct(coefficients, axisH, axisW, "dctIII2d");
        return dctIII(dctIII(coefficients, axisH), axisW);
    }

    private static boolean byMatrix(NDArray x, int axis) {
        int rank = x.getShape().dimension();
        return x.getShape().get(axis) <= MATRIX_MAX_LENGTH && axis >= rank - 2;
    }

    /**
     * The transform along one of the last two axes as a product with the DCT-II matrix D: {@code x
     * D^T} along the last axis ({@code x D} for the inverse), and along the one before the same on
     * the transposed view. One GEMM over all rows either way: the broadcast {@code D x} would run
     * as a batch of tiny products, one per image and channel.
     */
    private static NDArray byMatrix(NDArray x, int axis, boolean inverse) {
        int n = (int) x.getShape().get(axis);
        double[] d = MATRICES.computeIfAbsent(n, Dct::matrix);
        double[] values = inverse ? d : transpose(d, n);
        NDArray m = EngineArrays.of(x.getManager(), values, new Shape(n, n), x.getDataType());
        if (axis == x.getShape().dimension() - 1) {
            return alongLast(x, m);
        }
        return alongLast(x.swapAxes(-1, -2), m).swapAxes(-1, -2);
    }

    /**
     * {@code x m} over x's last axis as one 2-D product: the rows are gathered first (a copy only
     * when x is a strided view), where libtorch would broadcast m over a batch of small products.
     */
    private static NDArray alongLast(NDArray x, NDArray m) {
        Shape s = x.getShape();
        return x.reshape(-1, s.get(s.dimension() - 1)).matMul(m).reshape(s);
    }

    /** {@code D[k][j] = a_k cos(pi (2j + 1) k / (2N))}, the orthonormal DCT-II. */
    private static double[] matrix(int n) {
        double[] d = new double[n * n];
        for (int k = 0; k < n; k++) {
            double a = k == 0 ? Math.sqrt(1.0 / n) : Math.sqrt(2.0 / n);
            for (int j = 0; j < n; j++) {
                d[k * n + j] = a * Math.cos(Math.PI * (2 * j + 1) * k / (2.0 * n));
            }
        }
        return d;
    }

    private static double[] transpose(double[] d, int n) {
        double[] t = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                t[j * n + i] = d[i * n + j];
            }
        }
        return t;
    }

    /**
     * A complex constant laid out along {@code axis} of {@code like}, in its manager and precision.
     */
    private static NDArray twiddle(NDArray like, int axis, double[] re, double[] im) {
        int rank = like.getShape().dimension();
        long[] dims = new long[rank - axis];
        java.util.Arrays.fill(dims, 1);
        dims[0] = re.length;
        DataType t = like.getDataType();
        return ComplexArrays.constant(like.getManager(), t, re, im, new Shape(dims));
    }

    private static int checked(NDArray x, int axis, String op) {
        if (!ComplexArrays.isRealFloat(x)) {
            throw new IllegalArgumentException(
                    op
                            + ": expected real float32/float64 data, got "
                            + x.getDataType()
                            + " "
                            + x.getShape());
        }
        int a = RealFft2.axis(x.getShape(), axis, op);
        if (x.getShape().get(a) < 1) {
            throw new IllegalArgumentException(op + ": empty axis " + a + " in " + x.getShape());
        }
        return a;
    }

    private static void distinct(NDArray x, int axisH, int axisW, String op) {
        int h = RealFft2.axis(x.getShape(), axisH, op);
        int w = RealFft2.axis(x.getShape(), axisW, op);
        if (h == w) {
            throw new IllegalArgumentException(op + ": the two axes must differ, both are " + h);
        }
    }
}
