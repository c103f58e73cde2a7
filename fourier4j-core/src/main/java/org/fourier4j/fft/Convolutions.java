package org.fourier4j.fft;

import ai.djl.ndarray.NDArray;

/**
 * Convolution by algorithm: {@link ConvAlgorithm#DIRECT}, {@link ConvAlgorithm#FFT} or {@link
 * ConvAlgorithm#AUTO} (chosen per call shape by {@link ConvAutoTuner}). The arguments are checked
 * once, before either path runs.
 */
public final class Convolutions {

    private Convolutions() {}

    /**
     * Convolution with every option, computed by the given algorithm.
     *
     * @param dims the number of spatial dimensions: 1, 2 or 3
     * @param input the input, (N, C_in, *spatial)
     * @param weight the weight, (C_out, C_in/groups, *kernel)
     * @param bias the bias, (C_out), or null
     * @param options stride, padding, dilation, groups, padding mode
     * @param algorithm DIRECT, FFT or AUTO
     * @param cache the layer's kernel spectrum cache (used by FFT in inference), or null
     * @return the output, (N, C_out, *out)
     */
    public static NDArray convolve(
            int dims,
            NDArray input,
            NDArray weight,
            NDArray bias,
            ConvOptions options,
            ConvAlgorithm algorithm,
            KernelSpectrumCache cache) {
        return convolve(dims, input, weight, bias, options, algorithm, cache, null);
    }

    /**
     * Convolution with every option for an input in a known memory layout: AUTO decides per layout.
     * The result does not depend on the layout.
     *
     * @param dims the number of spatial dimensions: 1, 2 or 3
     * @param input the input, (N, C_in, *spatial)
     * @param weight the weight, (C_out, C_in/groups, *kernel)
     * @param bias the bias, (C_out), or null
     * @param options stride, padding, dilation, groups, padding mode
     * @param algorithm DIRECT, FFT or AUTO
     * @param cache the layer's kernel spectrum cache (used by FFT in inference), or null
     * @param layout the input's memory layout (e.g. {@code channels-last}), or null for contiguous
     * @return the output, (N, C_out, *out)
     */
    public static NDArray convolve(
            int dims,
            NDArray input,
            NDArray weight,
            NDArray bias,
            ConvOptions options,
            ConvAlgorithm algorithm,
            KernelSpectrumCache cache,
            String layout) {
        ConvGeometry g = ConvGeometry.resolve(dims, input, weight, bias, options);
        ConvAlgorithm chosen = algorithm == null ? ConvAlgorithm.AUTO : algorithm;
        if (chosen == ConvAlgorithm.AUTO) {
            return ConvAutoTuner.global()
                    .convolve(g, input, weight, bias, cache, recordsGradient(weight), layout);
        }
        return chosen == ConvAlgorithm.FFT
                ? FftConvolution.convolve(g, input, weight, bias, cache)
                : DirectConvolution.convolve(g, input, weight, bias);
    }

    /**
     * Returns whether autograd may be recording operations on {@code weight} in this thread (a
     * gradient collector is open). Used to key AUTO decisions (training and inference costs differ)
     * and to decide when a cached kernel spectrum is safe.
     *
     * @param weight the weight
     * @return false only when nothing can be recorded
     */
    public static boolean recordsGradient(NDArray weight) {
        return GradientRecording.mayRecord(weight);
    }
}
