package org.fourier4j.onnx.spectral;

import org.fourier4j.onnx.graph.OnnxOps;
import org.fourier4j.onnx.graph.OnnxValue;

/**
 * Complex transforms of long axes as a few small matrix products instead of one n x n product:
 * Cooley-Tukey for composite lengths ({@code n = n1 n2}: transforms of n1 and n2 points with a
 * twiddle product between them, {@code n (n1 + n2)} instead of {@code n^2} multiply-adds per line)
 * and Rader's algorithm for prime lengths (a cyclic convolution of {@code n - 1} points, done by
 * Cooley-Tukey, after permuting by powers of a primitive root). Sub-transforms of long factors are
 * factored again. FiT at 224 (3137 tokens, a prime) is the case that needs it.
 */
final class LongTransforms {

    private final MatrixSpectralOps dense;
    private final OnnxOps ops;

    LongTransforms(MatrixSpectralOps dense, OnnxOps ops) {
        this.dense = dense;
        this.ops = ops;
    }

    /**
     * {@code scale sum_t z[t] e^(sign 2 pi i k t / n)} for k = 0 .. n-1, z zero-padded to n.
     *
     * @param z the complex value
     * @param axis the axis (after the batch axis)
     * @param n the length
     * @param scale the factor
     * @param sign -1 forward, +1 inverse (unnormalised)
     * @return the transform, n long on the axis
     */
    Spectrum transform(Spectrum z, int axis, int n, double scale, int sign) {
        if (n < MatrixSpectralOps.FACTOR_FROM) {
            return dense.denseTransform(z, axis, n, scale, sign);
        }
        Spectrum full = z;
        long len = z.dim(axis);
        if (len < n) {
            long[] before = new long[z.rank()];
            long[] after = new long[z.rank()];
            after[axis] = n - len;
            full =
                    Spectrum.pair(
                            ops.pad(z.re(), before, after, "constant"),
                            ops.pad(z.im(), before, after, "constant"));
        }
        int n1 = FactoredDft.splitFactor(n);
        return n1 == 1
                ? rader(full, axis, n, scale, sign)
                : cooleyTukey(full, axis, n, n1, scale, sign);
    }

    /**
     * Index n = n2_size * i1 + i2 as (i1, i2); transforms over i1, twiddle, over i2; k = k1 + n1
     * k2.
     */
    private Spectrum cooleyTukey(Spectrum z, int axis, int n, int n1, double scale, int sign) {
        int n2 = n / n1;
        long[] shape = z.shape();
        int batch = z.re().batchAxis();
        long[] split = new long[shape.length + 1];
        for (int i = 0, j = 0; i < shape.length; i++, j++) {
            if (i == axis) {
                split[j++] = n1;
                split[j] = n2;
            } else {
                split[j] = i == batch ? OnnxOps.BATCH : shape[i];
            }
        }
        Spectrum y = Spectrum.pair(ops.reshape(z.re(), split), ops.reshape(z.im(), split));
        y = transform(y, axis, n1, scale, sign);
        float[] tr = new float[n1 * n2];
        float[] ti = new float[n1 * n2];
        for (int k1 = 0; k1 < n1; k1++) {
            for (int i2 = 0; i2 < n2; i2++) {
                double angle = sign * 2 * Math.PI * ((long) k1 * i2 % n) / n;
                tr[k1 * n2 + i2] = (float) Math.cos(angle);
                ti[k1 * n2 + i2] = (float) Math.sin(angle);
            }
        }
        long[] twiddleShape = new long[split.length - axis];
        java.util.Arrays.fill(twiddleShape, 1);
        twiddleShape[0] = n1;
        twiddleShape[1] = n2;
        y = dense.multiply(y, tr, ti, twiddleShape, "twiddle");
        y = transform(y, axis + 1, n2, 1, sign);
        int[] swap = new int[split.length];
        for (int i = 0; i < swap.length; i++) {
            swap[i] = i == axis ? axis + 1 : i == axis + 1 ? axis : i;
        }
        y = dense.transpose(y, swap); // (k2, k1): k = n1 k2 + k1 in row-major order
        long[] back = shape.clone();
        back[axis] = n;
        if (batch >= 0) {
            back[batch] = OnnxOps.BATCH;
        }
        return Spectrum.pair(ops.reshape(y.re(), back), ops.reshape(y.im(), back));
    }

    /**
     * Prime p: {@code X[0] = sum z}; {@code X[g^-m] = z[0] + (a * b)[m]}, the cyclic convolution of
     * {@code a_q = z[g^q]} with {@code b_j = e^(sign 2 pi i g^-j / p)}, by transforms of p - 1.
     */
    private Spectrum rader(Spectrum z, int axis, int p, double scale, int sign) {
        int g = FactoredDft.primitiveRoot(p);
        long[] in = FactoredDft.inputOrder(p, g);
        Spectrum a = Spectrum.pair(ops.gather(z.re(), axis, in), ops.gather(z.im(), axis, in));
        Spectrum spectrum = transform(a, axis, p - 1, 1, -1);
        double[][] b = FactoredDft.kernelSpectrum(p, g, sign, 1.0 / (p - 1));
        long[] kernelShape = new long[z.rank() - axis];
        java.util.Arrays.fill(kernelShape, 1);
        kernelShape[0] = p - 1;
        spectrum =
                dense.multiply(spectrum, toFloat(b[0]), toFloat(b[1]), kernelShape, "rader_kernel");
        Spectrum conv = transform(spectrum, axis, p - 1, 1, 1);
        long[] out = FactoredDft.outputOrder(p, g);
        OnnxValue re = ops.add(ops.gather(conv.re(), axis, out), ops.slice(z.re(), axis, 0, 1));
        OnnxValue im = ops.add(ops.gather(conv.im(), axis, out), ops.slice(z.im(), axis, 0, 1));
        re = ops.concat(axis, ops.reduceSum(z.re(), true, axis), re);
        im = ops.concat(axis, ops.reduceSum(z.im(), true, axis), im);
        return Spectrum.pair(ops.scale(re, scale), ops.scale(im, scale));
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
