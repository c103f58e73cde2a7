package org.fourier4j.fft;

import ai.djl.ndarray.NDArray;

/**
 * One convolution call as AUTO sees it: the resolved geometry, the arrays, and the conditions that
 * change which algorithm is faster (a recorded weight gradient, a cached kernel spectrum, the
 * input's memory layout).
 *
 * @param g the resolved call
 * @param input the input
 * @param weight the weight
 * @param bias the bias, or null
 * @param weightGradient whether the weight's gradient is recorded (training)
 * @param kernelCached whether the layer keeps a kernel spectrum cache
 * @param layout the input's memory layout (e.g. {@code channels-last}), or null for contiguous
 */
record ConvCall(
        ConvGeometry g,
        NDArray input,
        NDArray weight,
        NDArray bias,
        boolean weightGradient,
        boolean kernelCached,
        String layout) {

    /**
     * @return the key of this call's decision
     */
    String key() {
        return ConvAutoTuner.key(g, weightGradient, kernelCached, layout);
    }

    /**
     * @return the mode part of the key: train-step, infer or infer-uncached, and the layout
     */
    String mode() {
        return ConvAutoTuner.mode(weightGradient, kernelCached, layout);
    }
}
