package org.fourier4j.nn;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;

/**
 * Global average pooling that is safe inside a gradient collector.
 *
 * <p>DJL's multi-axis {@code mean} throws, and {@code sum(axes).div(count)} passes a Java number,
 * which the PyTorch engine wraps in a Java-backed scalar that autograd keeps for the backward pass
 * but DJL frees at once (see {@link org.fourier4j.fft.EngineArrays}): a garbage collection between
 * forward and backward then corrupts the gradient. Chaining the engine's single-axis means avoids
 * both.
 */
public final class Pooling {

    private Pooling() {}

    /**
     * Averages over the given axes.
     *
     * @param x the array
     * @param keepDims whether the averaged axes stay, with size 1
     * @param axes the axes to average over, non-negative
     * @return the mean
     */
    public static NDArray mean(NDArray x, boolean keepDims, int... axes) {
        int[] sorted = axes.clone();
        Arrays.sort(sorted);
        NDArray out = x;
        // from the last axis down, so that the remaining axis numbers stay valid without keepDims
        for (int i = sorted.length - 1; i >= 0; i--) {
            out = out.mean(new int[] {sorted[i]}, keepDims);
        }
        return out;
    }
}
