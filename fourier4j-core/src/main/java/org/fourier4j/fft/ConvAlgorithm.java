package org.fourier4j.fft;

/** How a convolution is computed. */
public enum ConvAlgorithm {
    /**
     * Chooses {@link #DIRECT} or {@link #FFT} per call shape with {@link ConvAutoTuner}: both timed
     * side by side on this machine (a calibrated cost model decides alone only where measurements
     * validated it), cached in memory and on disk, and checked in use.
     */
    AUTO,
    /** The engine's direct (im2col/oneDNN) convolution. */
    DIRECT,
    /** Cross-correlation computed as a product in the frequency domain ({@link FftConvolution}). */
    FFT
}
