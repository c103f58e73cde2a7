package org.fourier4j.reparam;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Centres a small convolution kernel in a larger one with zeros, so that two parallel branches with
 * kernels k and K ({@code padding k/2} and {@code K/2}, as RepLKNet's {@code small_conv} beside
 * {@code lkb_origin}, or FFNet's {@code RepVGGDW}) become one K x K convolution: the zero border
 * adds nothing, and the centres coincide.
 */
public final class KernelPadding {

    private KernelPadding() {}

    /**
     * Pads a kernel with zeros to a larger size, centred.
     *
     * @param kernel {@code (out, in / groups, kh, kw)}
     * @param height the target height, at least kh and of the same parity
     * @param width the target width, at least kw and of the same parity
     * @return {@code kernel} itself if it already has that size, else a new array in its manager
     * @throws IllegalArgumentException if the kernel is not 4-d, larger than the target, or cannot
     *     be centred (an odd difference)
     */
    public static NDArray centre(NDArray kernel, long height, long width) {
        Shape s = kernel.getShape();
        if (s.dimension() != 4) {
            throw new IllegalArgumentException(
                    "KernelPadding: a kernel is (out, in / groups, kh, kw), got " + s);
        }
        long dh = height - s.get(2);
        long dw = width - s.get(3);
        if (dh < 0 || dw < 0 || dh % 2 != 0 || dw % 2 != 0) {
            throw new IllegalArgumentException(
                    "KernelPadding: cannot centre a "
                            + s.get(2)
                            + "x"
                            + s.get(3)
                            + " kernel in "
                            + height
                            + "x"
                            + width
                            + " (it must be at most as large, with an even difference)");
        }
        if (dh == 0 && dw == 0) {
            return kernel;
        }
        // PyTorch's pad order: the last axis first (left, right), then (top, bottom)
        return kernel.pad(new Shape(dw / 2, dw / 2, dh / 2, dh / 2), 0);
    }
}
