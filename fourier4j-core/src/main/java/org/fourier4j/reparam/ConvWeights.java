package org.fourier4j.reparam;

import ai.djl.ndarray.NDArray;

/**
 * The weight {@code (out, in / groups, k, k)} and bias {@code (out)} of one convolution: what a
 * re-parameterisable unit is equal to in inference.
 *
 * @param weight the kernel
 * @param bias the bias
 */
public record ConvWeights(NDArray weight, NDArray bias) implements AutoCloseable {

    /**
     * The sum of two convolutions with the same centre, stride and groups: the other kernel is
     * centred in this one ({@link KernelPadding#centre}) and the biases are added.
     *
     * @param other a convolution whose kernel is at most as large as this one's
     * @return new arrays, in this weight's manager (this and {@code other} are left open)
     */
    public ConvWeights plus(ConvWeights other) {
        long[] s = weight.getShape().getShape();
        NDArray centred = KernelPadding.centre(other.weight, s[2], s[3]);
        NDArray sum = weight.add(centred);
        if (centred != other.weight) {
            centred.close();
        }
        return new ConvWeights(sum, bias.add(other.bias));
    }

    /** Closes both arrays. */
    @Override
    public void close() {
        weight.close();
        bias.close();
    }
}
