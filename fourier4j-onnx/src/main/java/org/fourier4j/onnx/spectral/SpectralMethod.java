package org.fourier4j.onnx.spectral;

/** How the Fourier transforms of a layer are written in ONNX. */
public enum SpectralMethod {
    /** Chosen per layer and length by the measured rule of {@link TransformRule}. */
    AUTO,
    /** Products with precomputed real cosine/sine matrices ({@code MatMul}), one per axis. */
    MATMUL,
    /** ONNX's {@code DFT} operator (opset 17; axis an input from opset 20). */
    DFT
}
