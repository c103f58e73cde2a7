package org.fourier4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.fourier4j.fft.EngineArrays;

/**
 * 1-D resampling as a matrix, so that resizing a parameter is a differentiable matrix product along
 * one axis: linear interpolation with {@code align_corners=False} (PyTorch's {@code
 * F.interpolate(mode="linear")}, as SGConv uses) and cubic convolution with {@code
 * align_corners=True}, {@code A = -0.75} and replicated borders (PyTorch's bicubic, as GFNet uses
 * to resize its filters). Separable 2-D (bilinear, bicubic) resampling is one matrix per axis.
 */
final class Resampling {

    private static final double CUBIC_A = -0.75;

    private Resampling() {}

    /**
     * Linear interpolation from {@code in} to {@code out} samples, half-pixel centres.
     *
     * @return the (out, in) matrix
     */
    static double[][] linear(int in, int out) {
        double[][] m = new double[out][in];
        double scale = (double) in / out;
        for (int o = 0; o < out; o++) {
            double src = Math.max(0, (o + 0.5) * scale - 0.5);
            int i0 = Math.min((int) Math.floor(src), in - 1);
            int i1 = Math.min(i0 + 1, in - 1);
            double t = src - i0;
            m[o][i0] += 1 - t;
            m[o][i1] += t;
        }
        return m;
    }

    /**
     * Cubic convolution from {@code in} to {@code out} samples with the end samples aligned.
     *
     * @return the (out, in) matrix
     */
    static double[][] cubic(int in, int out) {
        double[][] m = new double[out][in];
        double scale = out > 1 ? (double) (in - 1) / (out - 1) : 0;
        for (int o = 0; o < out; o++) {
            double src = o * scale;
            int i = (int) Math.floor(src);
            double t = src - i;
            double[] w = {cubicFar(t + 1), cubicNear(t), cubicNear(1 - t), cubicFar(2 - t)};
            for (int j = 0; j < 4; j++) {
                int at = Math.min(Math.max(i - 1 + j, 0), in - 1);
                m[o][at] += w[j];
            }
        }
        return m;
    }

    /** Kernel weight for a distance in [0, 1]. */
    private static double cubicNear(double x) {
        return ((CUBIC_A + 2) * x - (CUBIC_A + 3)) * x * x + 1;
    }

    /** Kernel weight for a distance in [1, 2]. */
    private static double cubicFar(double x) {
        return ((CUBIC_A * x - 5 * CUBIC_A) * x + 8 * CUBIC_A) * x - 4 * CUBIC_A;
    }

    /**
     * A learnable half spectrum (h, w/2+1, ...) for an H x W grid: as is when its first two axes
     * are already (H, W/2+1), else resized to them bicubically with aligned corners (GFNet's and
     * DFFormer's rule for their filters at other resolutions), differentiably.
     *
     * @param filter the (h, w/2+1, ...) filter
     * @param height H
     * @param width W
     * @return the (H, W/2+1, ...) filter
     */
    static NDArray halfSpectrum(NDArray filter, int height, int width) {
        int fh = (int) filter.getShape().get(0);
        int fw = (int) filter.getShape().get(1);
        int wh = width / 2 + 1;
        if (fh == height && fw == wh) {
            return filter;
        }
        NDArray rows = apply(filter, 0, cubic(fh, height));
        return apply(rows, 1, cubic(fw, wh));
    }

    /**
     * For a filter that may not be resized: the (B, H, W, C) input's half spectrum (H, W/2+1) must
     * be the filter's.
     *
     * @param block the block's name, for the message
     * @param gridH h of the grid the filter was built for
     * @param gridW w of that grid
     * @param input the input shape
     */
    static void requireSameHalfSpectrum(String block, int gridH, int gridW, Shape input) {
        long h = input.get(1);
        long wh = input.get(2) / 2 + 1;
        if (h != gridH || wh != gridW / 2 + 1) {
            throw new IllegalArgumentException(
                    block
                            + ": filter built for a "
                            + gridH
                            + "x"
                            + gridW
                            + " grid (spectrum "
                            + gridH
                            + "x"
                            + (gridW / 2 + 1)
                            + ") cannot filter input "
                            + input
                            + " (spectrum "
                            + h
                            + "x"
                            + wh
                            + ") with resizing off");
        }
    }

    /**
     * Resamples {@code a} along {@code axis} with an (out, in) matrix; the result belongs to {@code
     * a}'s manager and is differentiable in {@code a}.
     */
    static NDArray apply(NDArray a, int axis, double[][] matrix) {
        Shape shape = a.getShape();
        int rank = shape.dimension();
        int in = matrix[0].length;
        int out = matrix.length;
        if (shape.get(axis) != in) {
            throw new IllegalArgumentException(
                    "resampling matrix for "
                            + in
                            + " samples applied to axis "
                            + axis
                            + " of "
                            + shape);
        }
        if (in == out && isIdentity(matrix)) {
            return a;
        }
        // (in, out) = transpose of the matrix, so that x(..., in) . m^T = (..., out)
        double[] t = new double[in * out];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                t[i * out + o] = matrix[o][i];
            }
        }
        NDArray mt = EngineArrays.of(a.getManager(), t, new Shape(in, out), a.getDataType());
        int[] perm = new int[rank];
        int[] back = new int[rank];
        for (int d = 0, k = 0; d < rank; d++) {
            if (d != axis) {
                perm[k++] = d;
            }
        }
        perm[rank - 1] = axis;
        for (int d = 0; d < rank; d++) {
            back[perm[d]] = d;
        }
        boolean last = axis == rank - 1;
        NDArray moved = last ? a : a.transpose(perm);
        NDArray resampled = moved.matMul(mt);
        return last ? resampled : resampled.transpose(back);
    }

    private static boolean isIdentity(double[][] m) {
        for (int o = 0; o < m.length; o++) {
            for (int i = 0; i < m[o].length; i++) {
                if (m[o][i] != (o == i ? 1 : 0)) {
                    return false;
                }
            }
        }
        return true;
    }
}
