package org.fourier4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import org.fourier4j.fft.EngineArrays;

/** The two forms of GELU the papers use. */
public enum Gelu {
    /** Exact {@code 0.5 x (1 + erf(x / sqrt 2))} (PyTorch {@code nn.GELU()}). */
    ERF,
    /** {@code 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))} (JAX/Flax {@code nn.gelu}). */
    TANH;

    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

    /**
     * Applies this form.
     *
     * @param x the input
     * @return GELU(x), same shape
     */
    public NDArray apply(NDArray x) {
        if (this == ERF) {
            return Activation.gelu(x);
        }
        // scalars as engine arrays: autograd keeps the operands of products (see EngineArrays)
        NDArray inner =
                x.square()
                        .mul(x)
                        .mul(EngineArrays.scalar(x, 0.044715))
                        .add(x)
                        .mul(EngineArrays.scalar(x, SQRT_2_OVER_PI));
        return inner.tanh().add(1).mul(x).mul(EngineArrays.scalar(x, 0.5));
    }
}
