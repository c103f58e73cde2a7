package org.fourier4j.onnx.spectral;

/**
 * Real matrices of discrete Fourier and cosine transforms, row-major (out, in), computed in double
 * precision, for transforms written as matrix products. Angles are reduced modulo the length before
 * the cosine and sine are taken, so that entries are exact to rounding for any length.
 *
 * <p>Conventions (those of NumPy and PyTorch): forward {@code X[k] = sum_t x[t] e^(-2 pi i k t /
 * n)}, inverse {@code x[t] = (1/n) sum_k X[k] e^(2 pi i k t / n)}; a real-input transform keeps
 * {@code n/2 + 1} bins.
 */
public final class DftMatrices {

    private DftMatrices() {}

    /**
     * {@code cos(2 pi k t / n)} for rows {@code k} and columns {@code t}.
     *
     * @param rows the row indices (first, count)
     * @param cols the column indices (first, count)
     * @param n the transform length
     * @param scale a factor applied to every entry
     * @return the (rows, cols) matrix
     */
    public static double[] cos(Range rows, Range cols, int n, double scale) {
        return trig(rows, cols, n, scale, false);
    }

    /**
     * {@code sin(2 pi k t / n)} for rows {@code k} and columns {@code t}.
     *
     * @param rows the row indices
     * @param cols the column indices
     * @param n the transform length
     * @param scale a factor applied to every entry
     * @return the (rows, cols) matrix
     */
    public static double[] sin(Range rows, Range cols, int n, double scale) {
        return trig(rows, cols, n, scale, true);
    }

    private static double[] trig(Range rows, Range cols, int n, double scale, boolean sine) {
        double[] m = new double[rows.count() * cols.count()];
        for (int r = 0; r < rows.count(); r++) {
            long k = rows.first() + r;
            for (int c = 0; c < cols.count(); c++) {
                long t = cols.first() + c;
                double angle = 2 * Math.PI * Math.floorMod(k * t, (long) n) / n;
                m[r * cols.count() + c] = scale * (sine ? Math.sin(angle) : Math.cos(angle));
            }
        }
        return m;
    }

    /**
     * The inverse real transform's matrices: output samples {@code t} in {@code rows} of a length-n
     * real signal from its {@code n/2 + 1} bins, {@code x[t] = scale * sum_k w_k (Re_k cos(2 pi k t
     * / n) - Im_k sin(2 pi k t / n))} with {@code w_k = 2} except {@code w_0 = 1} and, for even n,
     * {@code w_(n/2) = 1} (the imaginary parts of those two bins do not count, as in NumPy and
     * PyTorch).
     *
     * @param rows the output samples
     * @param n the transform length
     * @param scale the factor (1/n for the plain inverse)
     * @return {real part matrix, imaginary part matrix}, each (rows, n/2 + 1)
     */
    public static double[][] inverseReal(Range rows, int n, double scale) {
        int half = n / 2 + 1;
        double[] re = new double[rows.count() * half];
        double[] im = new double[rows.count() * half];
        for (int r = 0; r < rows.count(); r++) {
            long t = rows.first() + r;
            for (int k = 0; k < half; k++) {
                double w = (k == 0 || 2 * k == n) ? 1 : 2;
                double angle = 2 * Math.PI * Math.floorMod(k * t, (long) n) / n;
                re[r * half + k] = scale * w * Math.cos(angle);
                im[r * half + k] = -scale * w * Math.sin(angle);
            }
        }
        return new double[][] {re, im};
    }

    /**
     * The orthonormal DCT-II matrix {@code X[k] = a_k sum_t x[t] cos(pi (2t + 1) k / (2n))}, {@code
     * a_0 = sqrt(1/n)}, {@code a_k = sqrt(2/n)} (SciPy's {@code dct(type=2, norm="ortho")}); its
     * transpose is the orthonormal DCT-III, the inverse.
     *
     * @param n the length
     * @return the (n, n) matrix
     */
    public static double[] dctII(int n) {
        double[] m = new double[n * n];
        for (int k = 0; k < n; k++) {
            double a = k == 0 ? Math.sqrt(1.0 / n) : Math.sqrt(2.0 / n);
            for (int t = 0; t < n; t++) {
                long num = Math.floorMod((long) (2 * t + 1) * k, 4L * n);
                m[k * n + t] = a * Math.cos(Math.PI * num / (2.0 * n));
            }
        }
        return m;
    }

    /**
     * Transposes a row-major matrix.
     *
     * @param m the (rows, cols) matrix
     * @param rows its rows
     * @param cols its columns
     * @return the (cols, rows) matrix
     */
    public static double[] transpose(double[] m, int rows, int cols) {
        double[] t = new double[m.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = m[r * cols + c];
            }
        }
        return t;
    }

    /**
     * A range of consecutive indices.
     *
     * @param first the first index
     * @param count how many
     */
    public record Range(long first, int count) {

        /**
         * Indices {@code 0 .. count - 1}.
         *
         * @param count how many
         * @return the range
         */
        public static Range of(int count) {
            return new Range(0, count);
        }
    }
}
