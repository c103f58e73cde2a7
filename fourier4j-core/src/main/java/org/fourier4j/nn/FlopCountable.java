package org.fourier4j.nn;

import ai.djl.ndarray.types.Shape;

/**
 * A block that does arithmetic of its own beyond its child blocks (attention's matrix products,
 * Fourier transforms, elementwise spectral products), so that {@code
 * org.fourier4j.models.FlopCounter} can count it.
 */
public interface FlopCountable {

    /**
     * Returns the floating-point work of this block itself (not of its children) for one forward
     * pass: multiply-adds of matrix products and filters, plus {@link #fftFlops} for each complex
     * transform.
     *
     * @param inputShapes the block's input shapes
     * @return the work, in multiply-adds
     */
    double ownFlops(Shape[] inputShapes);

    /**
     * The conventional cost of one complex FFT of {@code n} points: {@code 5 n log2 n} real
     * floating-point operations (a real-input transform costs half).
     *
     * @param n the transform length (product of the transformed axes' lengths)
     * @return the operation count
     */
    static double fftFlops(double n) {
        return n <= 1 ? 0 : 5 * n * Math.log(n) / Math.log(2);
    }
}
