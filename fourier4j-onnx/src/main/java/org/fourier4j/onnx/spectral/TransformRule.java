package org.fourier4j.onnx.spectral;

/**
 * Chooses how a layer's transforms are written when the options say AUTO. PROVISIONAL: replaced by
 * the measured rule.
 */
public final class TransformRule {

    private TransformRule() {}

    /**
     * The method for a token mixer whose transforms have the given lengths.
     *
     * @param requested the option (AUTO, MATMUL or DFT)
     * @param lengths the transform lengths of the layer
     * @return MATMUL or DFT
     */
    public static SpectralMethod spectral(SpectralMethod requested, int... lengths) {
        if (requested != SpectralMethod.AUTO) {
            return requested;
        }
        return SpectralMethod.MATMUL;
    }

    /**
     * The method for an FFT convolution that could be spectral (depthwise, stride 1, dilation 1).
     *
     * @param requested the option
     * @param inputSize the input's spatial size
     * @param kernelSize the kernel's
     * @return DIRECT, MATMUL or DFT
     */
    public static ConvMethod conv(ConvMethod requested, int[] inputSize, int[] kernelSize) {
        if (requested != ConvMethod.AUTO) {
            return requested;
        }
        return ConvMethod.DIRECT;
    }

    /**
     * @param n a length
     * @return the smallest power of two at least n
     */
    public static int nextPowerOfTwo(int n) {
        int p = 1;
        while (p < n) {
            p <<= 1;
        }
        return p;
    }
}
