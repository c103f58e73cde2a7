package org.fourier4j.onnx.exporters;

/**
 * The spectrum of a depthwise kernel placed for a circular convolution (see {@link FftConvExport}):
 * a real-input DFT over the last spatial axis and complex DFTs over the others, computed in double
 * precision axis by axis (zero entries skipped, so the cost is about {@code C k n^(d-1) n/2} for a
 * k-tap kernel), with angles reduced modulo the length.
 *
 * @param re the real part, (C, n1, ..., n_d/2 + 1) row-major
 * @param im the imaginary part
 * @param shape the complex shape
 */
record KernelSpectrum(float[] re, float[] im, long[] shape) {

    /**
     * Computes the spectrum.
     *
     * @param weight the (C, 1, k1, ..., kd) weight, row-major
     * @param channels C
     * @param kernel the kernel size per axis
     * @param padLeft the padding before the data per axis: tap j sits at {@code (padLeft - j) mod
     *     n}
     * @param n the transform length per axis
     * @return the spectrum
     */
    static KernelSpectrum of(double[] weight, int channels, int[] kernel, int[] padLeft, int[] n) {
        int dims = n.length;
        int[] shape = new int[dims + 1];
        shape[0] = channels;
        System.arraycopy(n, 0, shape, 1, dims);
        double[] re = new double[size(shape)];
        int taps = 1;
        for (int k : kernel) {
            taps *= k;
        }
        int[] j = new int[dims];
        for (int c = 0; c < channels; c++) {
            for (int t = 0; t < taps; t++) {
                int rest = t;
                for (int a = dims - 1; a >= 0; a--) {
                    j[a] = rest % kernel[a];
                    rest /= kernel[a];
                }
                int index = c;
                for (int a = 0; a < dims; a++) {
                    index = index * n[a] + Math.floorMod(padLeft[a] - j[a], n[a]);
                }
                re[index] += weight[c * taps + t];
            }
        }
        double[] im = new double[re.length];
        double[][] z = {re, im};
        z = transform(z, shape, dims, n[dims - 1] / 2 + 1, n[dims - 1]);
        for (int a = dims - 1; a >= 1; a--) {
            z = transform(z, shape, a, n[a - 1], n[a - 1]);
        }
        long[] out = new long[dims + 1];
        for (int i = 0; i <= dims; i++) {
            out[i] = shape[i];
        }
        return new KernelSpectrum(Floats.toFloat(z[0]), Floats.toFloat(z[1]), out);
    }

    /**
     * Returns the spectrum with its axes permuted (as ONNX's Transpose: output axis i is input axis
     * perm[i]).
     *
     * @param perm the permutation of the complex axes
     * @return the permuted spectrum
     */
    KernelSpectrum permuted(int[] perm) {
        int rank = shape.length;
        long[] outShape = new long[rank];
        for (int i = 0; i < rank; i++) {
            outShape[i] = shape[perm[i]];
        }
        long[] inStrides = new long[rank];
        long stride = 1;
        for (int i = rank - 1; i >= 0; i--) {
            inStrides[i] = stride;
            stride *= shape[i];
        }
        float[] outRe = new float[re.length];
        float[] outIm = new float[im.length];
        int[] index = new int[rank];
        for (int o = 0; o < outRe.length; o++) {
            long src = 0;
            for (int i = 0; i < rank; i++) {
                src += index[i] * inStrides[perm[i]];
            }
            outRe[o] = re[(int) src];
            outIm[o] = im[(int) src];
            for (int i = rank - 1; i >= 0; i--) {
                if (++index[i] < outShape[i]) {
                    break;
                }
                index[i] = 0;
            }
        }
        return new KernelSpectrum(outRe, outIm, outShape);
    }

    /** Forward DFT of length n along one axis, keeping outputs 0 .. outLen - 1. */
    private static double[][] transform(double[][] z, int[] shape, int axis, int outLen, int n) {
        int len = shape[axis];
        int inner = 1;
        for (int i = axis + 1; i < shape.length; i++) {
            inner *= shape[i];
        }
        int outer = 1;
        for (int i = 0; i < axis; i++) {
            outer *= shape[i];
        }
        double[] cos = new double[n];
        double[] sin = new double[n];
        for (int m = 0; m < n; m++) {
            cos[m] = Math.cos(2 * Math.PI * m / n);
            sin[m] = Math.sin(2 * Math.PI * m / n);
        }
        double[] re = new double[outer * outLen * inner];
        double[] im = new double[re.length];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                for (int t = 0; t < len; t++) {
                    int src = (o * len + t) * inner + i;
                    double xr = z[0][src];
                    double xi = z[1][src];
                    if (xr == 0 && xi == 0) {
                        continue;
                    }
                    for (int f = 0; f < outLen; f++) {
                        int m = (int) ((long) f * t % n);
                        // (xr + i xi)(cos - i sin)
                        int dst = (o * outLen + f) * inner + i;
                        re[dst] += xr * cos[m] + xi * sin[m];
                        im[dst] += xi * cos[m] - xr * sin[m];
                    }
                }
            }
        }
        shape[axis] = outLen;
        return new double[][] {re, im};
    }

    private static int size(int[] shape) {
        int s = 1;
        for (int d : shape) {
            s *= d;
        }
        return s;
    }
}
