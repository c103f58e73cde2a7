package org.fourier4j.fft;

/** How a convolution is computed. */
public enum ConvAlgorithm {
    /**
     * Chooses {@link #DIRECT} or {@link #FFT} per call shape with {@link ConvAutoTuner}: a cost
     * model calibrated on this machine, refined by a side-by-side measurement when the model's call
     * is close, cached in memory and on disk.
     */
    AUTO,
    /** The engine's direct (im2col/oneDNN) convolution. */
    DIRECT,
    /** Cross-correlation computed as a product in the frequency domain ({@link FftConvolution}). */
    FFT
}
