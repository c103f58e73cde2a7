package org.fourier4j.fft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * 2-D FFT of real data over two axes and its inverse, with NumPy/PyTorch {@code norm} options
 * ({@code torch.fft.rfft2} / {@code irfft2}).
 *
 * <p>{@link #rfft2} takes the real-input FFT along the W axis (keeping {@code W/2+1} bins) and the
 * complex FFT along the H axis: a real {@code (..., H, ..., W, ...)} array becomes a complex {@code
 * (..., H, ..., W/2+1, ...)} one with {@code X[k, l] = s * sum_{h,w} x[h, w] exp(-2 pi i (k h / H +
 * l w / W))}, {@code s} set by the norm. {@link #irfft2} inverts it for a given output size,
 * reading the spectrum as the non-redundant half of a Hermitian one: the imaginary parts of the
 * bins that are their own mirror image (column 0, and column W/2 when W is even) are projected out,
 * exactly as the engine's C2R transform (and PyTorch's) does.
 *
 * <p>Both are differentiable through the engine's autograd and work in float32 (complex64) and
 * float64 (complex128). Results belong to the input's manager. ({@link #irfft2} ends with a scaling
 * multiply even when the factor is 1: it shields the engine's inverse-FFT backward from broadcast
 * gradients, on which libtorch 2.7.1's MKL path fails.)
 */
public final class RealFft2 {

    private RealFft2() {}

    /**
     * Real-input 2-D FFT over the last two axes.
     *
     * @param x real array (..., H, W), float32 or float64
     * @param norm the scaling convention
     * @return the complex spectrum (..., H, W/2+1)
     */
    public static NDArray rfft2(NDArray x, FftNorm norm) {
        return rfft2(x, -2, -1, norm);
    }

    /**
     * Real-input 2-D FFT over two axes.
     *
     * @param x real array, float32 or float64
     * @param axisH the axis taken by the full complex FFT (may be negative)
     * @param axisW the axis taken by the real-input FFT, keeping W/2+1 bins (may be negative)
     * @param norm the scaling convention
     * @return the complex spectrum, same shape as x except W/2+1 on axisW
     */
    public static NDArray rfft2(NDArray x, int axisH, int axisW, FftNorm norm) {
        if (!ComplexArrays.isRealFloat(x)) {
            throw new IllegalArgumentException(
                    "rfft2: expected real float32/float64 data, got "
                            + x.getDataType()
                            + " "
                            + x.getShape());
        }
        int h = axis(x.getShape(), axisH, "rfft2");
        int w = axis(x.getShape(), axisW, "rfft2");
        distinct(h, w, "rfft2");
        long nh = x.getShape().get(h);
        long nw = x.getShape().get(w);
        NDArray spectrum = x.rfft(nw, w).fft(nh, h);
        double s = norm.forwardScale(nh * nw);
        return s == 1 ? spectrum : spectrum.mul(EngineArrays.scalar(spectrum, s));
    }

    /**
     * Inverse of {@link #rfft2} over the last two axes.
     *
     * @param spectrum complex (..., H, W/2+1)
     * @param height the output size H
     * @param width the output size W
     * @param norm the scaling convention used by the forward transform
     * @return the real array (..., H, W)
     */
    public static NDArray irfft2(NDArray spectrum, long height, long width, FftNorm norm) {
        return irfft2(spectrum, height, width, -2, -1, norm);
    }

    /**
     * Inverse of {@link #rfft2} over two axes.
     *
     * @param spectrum complex array with H entries on axisH and W/2+1 on axisW
     * @param height the output size H along axisH
     * @param width the output size W along axisW
     * @param axisH the complex-FFT axis (may be negative)
     * @param axisW the half-spectrum axis (may be negative)
     * @param norm the scaling convention used by the forward transform
     * @return the real array, W on axisW
     */
    public static NDArray irfft2(
            NDArray spectrum, long height, long width, int axisH, int axisW, FftNorm norm) {
        Shape s = spectrum.getShape();
        int h = axis(s, axisH, "irfft2");
        int w = axis(s, axisW, "irfft2");
        distinct(h, w, "irfft2");
        if (ComplexArrays.isRealFloat(spectrum)) {
            throw new IllegalArgumentException(
                    "irfft2: expected a complex spectrum, got real "
                            + spectrum.getDataType()
                            + " "
                            + s);
        }
        if (height < 1 || width < 1 || s.get(h) != height || s.get(w) != width / 2 + 1) {
            throw new IllegalArgumentException(
                    "irfft2: spectrum "
                            + s
                            + " does not fit output "
                            + height
                            + "x"
                            + width
                            + " (expected "
                            + height
                            + " on axis "
                            + h
                            + " and "
                            + (width / 2 + 1)
                            + " on axis "
                            + w
                            + ")");
        }
        NDArray y = spectrum.ifft(height, h).irfft(width, w);
        // Always multiply, even by 1: the product's backward hands the inverse FFT a dense
        // gradient. libtorch 2.7.1's irfft backward fails ("MKL FFT error: Inconsistent
        // configuration parameters") on the stride-0 gradient of a plain sum(y) or mean(y).
        return y.mul(EngineArrays.scalar(y, norm.inverseCorrection(height * width)));
    }

    static int axis(Shape shape, int axis, String op) {
        int rank = shape.dimension();
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new IllegalArgumentException(
                    op + ": axis " + axis + " out of range for shape " + shape);
        }
        return a;
    }

    private static void distinct(int h, int w, String op) {
        if (h == w) {
            throw new IllegalArgumentException(op + ": the two axes must differ, both are " + h);
        }
    }
}
