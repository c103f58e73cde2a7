package org.fourier4j.onnx.spectral;

import org.fourier4j.onnx.graph.OnnxOps;
import org.fourier4j.onnx.graph.OnnxValue;

/**
 * Fourier transforms along single axes of graph values, written with matrix products ({@link
 * SpectralMethod#MATMUL}) or ONNX's {@code DFT} operator ({@link SpectralMethod#DFT}). Layers
 * compose them axis by axis, e.g. a 2-D real FFT is {@code fft(rfft(x, w), h)} and its inverse
 * {@code irfft(ifft(z, h), w)} (the real-output axis last, as {@code irfft2} does).
 *
 * <p>Every transform is unnormalised and multiplied by the given {@code scale}: the usual inverse
 * has {@code scale = 1/n}, an orthonormal pair {@code 1/sqrt(n)} each way. Inputs shorter than the
 * transform length are zero-padded at the end; inverse transforms can keep only a range of their
 * outputs ({@code keepFirst}, {@code keepCount}), which the matrix form gets for free.
 *
 * <p>One instance per graph: matrices are initializers shared by every layer that needs the same
 * one (GFNet's twelve global filters share four).
 */
public abstract class SpectralOps {

    /** The operator helpers of the graph. */
    protected final OnnxOps ops;

    /**
     * @param ops the graph's operator helpers
     */
    protected SpectralOps(OnnxOps ops) {
        this.ops = ops;
    }

    /**
     * Returns the transforms of one method.
     *
     * @param ops the graph's operator helpers
     * @param method MATMUL or DFT
     * @return the transforms
     */
    public static SpectralOps of(OnnxOps ops, SpectralMethod method) {
        switch (method) {
            case MATMUL:
                return new MatrixSpectralOps(ops);
            case DFT:
                return new DftSpectralOps(ops);
            default:
                throw new IllegalArgumentException(
                        "choose MATMUL or DFT for a transform, not " + method);
        }
    }

    /**
     * @return the method
     */
    public abstract SpectralMethod method();

    /**
     * Real-input DFT along an axis, the {@code n/2 + 1} non-negative frequencies.
     *
     * @param x the real value
     * @param axis the axis (its size at most n)
     * @param n the transform length
     * @param scale the factor
     * @return the half spectrum
     */
    public abstract Spectrum rfft(OnnxValue x, int axis, int n, double scale);

    /**
     * Full complex DFT of a real value along an axis (all n frequencies).
     *
     * @param x the real value
     * @param axis the axis (its size at most n)
     * @param n the transform length
     * @param scale the factor
     * @return the spectrum
     */
    public abstract Spectrum fftOfReal(OnnxValue x, int axis, int n, double scale);

    /**
     * Complex DFT along an axis.
     *
     * @param z the complex value
     * @param axis the axis (its size at most n)
     * @param n the transform length
     * @param scale the factor
     * @return the spectrum
     */
    public abstract Spectrum fft(Spectrum z, int axis, int n, double scale);

    /**
     * The real part of a complex DFT along an axis (cheaper than {@link #fft} then {@link #real} in
     * the matrix form: half the products).
     *
     * @param z the complex value
     * @param axis the axis (its size at most n)
     * @param n the transform length
     * @param scale the factor
     * @return the real part of the spectrum
     */
    public OnnxValue realOfFft(Spectrum z, int axis, int n, double scale) {
        return real(fft(z, axis, n, scale));
    }

    /**
     * Complex inverse DFT (unnormalised, times scale) along an axis whose size is the length.
     *
     * @param z the spectrum
     * @param axis the axis
     * @param keepFirst the first output sample kept
     * @param keepCount how many are kept
     * @param scale the factor (1/n for the usual inverse)
     * @return the signal's samples {@code keepFirst .. keepFirst + keepCount - 1}
     */
    public abstract Spectrum ifft(
            Spectrum z, int axis, long keepFirst, int keepCount, double scale);

    /**
     * Inverse of {@link #rfft}: a real signal of length n from its {@code n/2 + 1} bins along an
     * axis (the imaginary parts of the zero and, for even n, the n/2 bins are ignored).
     *
     * @param z the half spectrum
     * @param axis the axis (size {@code n/2 + 1})
     * @param n the signal length
     * @param keepFirst the first output sample kept
     * @param keepCount how many are kept
     * @param scale the factor (1/n for the usual inverse)
     * @return the real samples
     */
    public abstract OnnxValue irfft(
            Spectrum z, int axis, int n, long keepFirst, int keepCount, double scale);

    /**
     * Multiplies by a constant complex array that broadcasts against the spectrum.
     *
     * @param z the spectrum
     * @param re the constant's real part, row-major
     * @param im its imaginary part
     * @param shape its complex shape
     * @param hint a name for the initializers
     * @return the product
     */
    public abstract Spectrum multiply(
            Spectrum z, float[] re, float[] im, long[] shape, String hint);

    /**
     * Multiplies by a complex value given as real and imaginary parts (broadcasting).
     *
     * @param z the spectrum
     * @param re the factor's real part
     * @param im its imaginary part
     * @return the product
     */
    public abstract Spectrum multiply(Spectrum z, OnnxValue re, OnnxValue im);

    /**
     * @param z the complex value
     * @return its real part
     */
    public abstract OnnxValue real(Spectrum z);

    /**
     * @param z the complex value
     * @return its imaginary part
     */
    public abstract OnnxValue imag(Spectrum z);

    /**
     * Builds a complex value of this method's form from its parts.
     *
     * @param re the real part
     * @param im the imaginary part, same shape
     * @return the complex value
     */
    public abstract Spectrum complex(OnnxValue re, OnnxValue im);

    /**
     * Permutes the axes of a complex value.
     *
     * @param z the complex value
     * @param perm output axis i is input axis perm[i] (complex axes)
     * @return the permuted value
     */
    public abstract Spectrum transpose(Spectrum z, int... perm);

    /** Checks that a transform length fits the axis. */
    static void checkLength(long size, int n, String op) {
        if (n < 1 || size > n) {
            throw new IllegalArgumentException(
                    op + ": transform length " + n + " is shorter than the axis (" + size + ")");
        }
    }
}
