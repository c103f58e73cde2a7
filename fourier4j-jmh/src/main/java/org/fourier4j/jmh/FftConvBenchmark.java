package org.fourier4j.jmh;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.fourier4j.fft.ConvAlgorithm;
import org.fourier4j.fft.ConvOptions;
import org.fourier4j.fft.Convolutions;
import org.fourier4j.fft.Padding;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * Forward 2-D convolution, FFT against the engine's direct convolution, at batch 1 on a 56 x 56
 * feature map with 'same' padding: depthwise (C = 128, groups = C, the large-kernel ConvNet case)
 * and dense (C_in = C_out = 64), for a small (7) and a large (31) square kernel.
 *
 * <p>Measures where the FFT path pays off: its cost barely depends on the kernel size, the direct
 * one grows with k². Calls go through {@link Convolutions#convolve} with an explicit {@link
 * ConvAlgorithm} (no auto-tuning) and no kernel spectrum cache, so the FFT timings include the
 * kernel's transform, as in a training step. Float32, no gradient recording; each invocation frees
 * its intermediates and reads a reduction of the output to make sure the work was done.
 */
public class FftConvBenchmark extends EngineBenchmark {

    private static final int SIZE = 56;
    private static final int DEPTHWISE_CHANNELS = 128;
    private static final int DENSE_CHANNELS = 64;

    /** The square kernel size k (k x k). */
    @Param({"7", "31"})
    public int kernel;

    /** How the convolution is computed. */
    @Param({"FFT", "DIRECT"})
    public ConvAlgorithm algorithm;

    private NDArray depthwiseInput;
    private NDArray depthwiseWeight;
    private ConvOptions depthwiseOptions;
    private NDArray denseInput;
    private NDArray denseWeight;
    private ConvOptions denseOptions;

    @Setup(Level.Trial)
    public void setup() {
        base = NDManager.newBaseManager();
        float wScale = 1f / kernel;
        depthwiseInput = normal(1, new Shape(1, DEPTHWISE_CHANNELS, SIZE, SIZE));
        depthwiseWeight = normal(wScale, new Shape(DEPTHWISE_CHANNELS, 1, kernel, kernel));
        depthwiseOptions =
                ConvOptions.builder().padding(Padding.same()).groups(DEPTHWISE_CHANNELS).build();
        denseInput = normal(1, new Shape(1, DENSE_CHANNELS, SIZE, SIZE));
        denseWeight =
                normal(
                        wScale / (float) Math.sqrt(DENSE_CHANNELS),
                        new Shape(DENSE_CHANNELS, DENSE_CHANNELS, kernel, kernel));
        denseOptions = ConvOptions.builder().padding(Padding.same()).build();
    }

    /** Depthwise k x k convolution of (1, 128, 56, 56), groups = 128. */
    @Benchmark
    public float depthwise() {
        return convolve(depthwiseInput, depthwiseWeight, depthwiseOptions);
    }

    /** Dense k x k convolution of (1, 64, 56, 56) to 64 channels. */
    @Benchmark
    public float dense() {
        return convolve(denseInput, denseWeight, denseOptions);
    }

    private float convolve(NDArray x, NDArray weight, ConvOptions options) {
        try (NDManager step = base.newSubManager()) {
            NDArray y =
                    Convolutions.convolve(2, view(x, step), weight, null, options, algorithm, null);
            return y.sum().toFloatArray()[0];
        }
    }
}
