package org.fourier4j.fft;

/**
 * Scaling of a forward/inverse transform pair over {@code n} points, as NumPy's and PyTorch's
 * {@code norm} argument: the product of the two scales is always {@code 1/n}.
 */
public enum FftNorm {
    /** Forward unscaled, inverse scaled by {@code 1/n} (the NumPy/PyTorch default). */
    BACKWARD,
    /** Both directions scaled by {@code 1/sqrt(n)}: the transform is unitary. */
    ORTHO,
    /** Forward scaled by {@code 1/n}, inverse unscaled. */
    FORWARD;

    /**
     * Returns the factor applied to an unnormalised forward transform.
     *
     * @param n the number of points transformed
     * @return 1, 1/sqrt(n) or 1/n
     */
    public double forwardScale(long n) {
        switch (this) {
            case ORTHO:
                return 1 / Math.sqrt(n);
            case FORWARD:
                return 1.0 / n;
            default:
                return 1;
        }
    }

    /**
     * Returns the factor applied on top of the engine's inverse transform, which already divides by
     * {@code n} (the BACKWARD convention).
     *
     * @param n the number of points transformed
     * @return 1, sqrt(n) or n
     */
    public double inverseCorrection(long n) {
        switch (this) {
            case ORTHO:
                return Math.sqrt(n);
            case FORWARD:
                return n;
            default:
                return 1;
        }
    }
}
