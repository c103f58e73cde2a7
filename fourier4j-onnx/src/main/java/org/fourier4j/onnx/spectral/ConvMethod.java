package org.fourier4j.onnx.spectral;

/**
 * How a convolution computed by FFT in fourier4j ({@code FftConv*}, long convolutions) is exported.
 */
public enum ConvMethod {
    /** Chosen per layer by the measured rule of {@link TransformRule}. */
    AUTO,
    /** ONNX's {@code Conv} (what the papers' own exports use). */
    DIRECT,
    /** Spectral product with the transforms as matrix products, at the shortest exact length. */
    MATMUL,
    /** Spectral product with ONNX's {@code DFT} at a power-of-two length. */
    DFT
}
