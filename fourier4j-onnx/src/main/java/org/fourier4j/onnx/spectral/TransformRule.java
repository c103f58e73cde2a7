package org.fourier4j.onnx.spectral;

/**
 * Chooses how a layer's transforms are written when the options say AUTO. The rule comes from
 * timing every way in ONNX Runtime (CPU, 2 threads, batch 1) on the shapes of the zoo's models
 * (table and command in {@code docs/onnx.md}).
 *
 * <ul>
 *   <li><b>Token mixers</b> (GFNet, AFFNet, FNet/FiT, and the transforms inside any layer): always
 *       {@link SpectralMethod#MATMUL}. ONNX Runtime's {@code DFT} kernel was 10 to 100 times slower
 *       at every measured length, powers of two included (GFNet's 14x14x256 filter: 0.3 ms as
 *       products, 18 ms with {@code DFT}; 64x64x64: 3 ms against 53 ms; 1024 tokens x 192: 55 ms
 *       against 99 ms), so {@code DFT} is used only when asked for.
 *   <li><b>Depthwise stride-1 FFT convolutions</b> (FftConv with groups = channels, long
 *       convolutions): {@link ConvMethod#MATMUL} when its estimated time is below ONNX's {@code
 *       Conv}'s, else {@link ConvMethod#DIRECT}. Estimates: the spectral form runs at about 45
 *       GMAC/s plus 0.5 ms of fixed cost (its ~30 nodes), the direct depthwise {@code Conv} at
 *       about 30 GMAC/s. Measured: RepLKNet's 31x31 on 56x56x128 4.5 ms spectral vs 15 ms {@code
 *       Conv}, 29x29 on 28x28x256 1.5 vs 11 ms, 27x27 on 14x14x512 1.3 vs 1.1 ms (a tie), 13x13 on
 *       7x7x1024 0.75 vs 0.27 ms, ConvNeXt's 7x7 on 56x56x96 2.9 vs 0.7 ms: the estimate picks the
 *       faster one in each case. Other convolutions (dense, grouped, strided, dilated) are always
 *       {@code Conv}.
 * </ul>
 */
public final class TransformRule {

    /** Multiply-adds per second of the spectral (matrix product) form, measured. */
    static final double SPECTRAL_MACS_PER_SECOND = 45e9;

    /** Fixed cost of the spectral form's nodes, seconds, measured. */
    static final double SPECTRAL_OVERHEAD_SECONDS = 0.5e-3;

    /** Multiply-adds per second of ONNX Runtime's depthwise {@code Conv}, measured. */
    static final double DIRECT_MACS_PER_SECOND = 30e9;

    private TransformRule() {}

    /**
     * The method for a token mixer whose transforms have the given lengths.
     *
     * @param requested the option (AUTO, MATMUL or DFT)
     * @param lengths the transform lengths of the layer (unused by the current rule)
     * @return MATMUL or DFT
     */
    public static SpectralMethod spectral(SpectralMethod requested, int... lengths) {
        return requested == SpectralMethod.AUTO ? SpectralMethod.MATMUL : requested;
    }

    /**
     * The method for a depthwise stride-1 convolution (the only kind that may go spectral).
     *
     * @param requested the option
     * @param channels the channel count
     * @param inputSize the input's spatial size
     * @param kernelSize the kernel's spatial size
     * @param padLeft the padding before the data per axis
     * @param padRight the padding after per axis
     * @return DIRECT, MATMUL or DFT
     */
    public static ConvMethod conv(
            ConvMethod requested,
            long channels,
            int[] inputSize,
            int[] kernelSize,
            int[] padLeft,
            int[] padRight) {
        if (requested != ConvMethod.AUTO) {
            return requested;
        }
        double spectral =
                channels
                                * spectralMacs(inputSize, kernelSize, padLeft, padRight)
                                / SPECTRAL_MACS_PER_SECOND
                        + SPECTRAL_OVERHEAD_SECONDS;
        double direct =
                channels
                        * directMacs(inputSize, kernelSize, padLeft, padRight)
                        / DIRECT_MACS_PER_SECOND;
        return spectral < direct ? ConvMethod.MATMUL : ConvMethod.DIRECT;
    }

    /** Output length of a padded stride-1 correlation. */
    static int outputLength(int in, int kernel, int left, int right) {
        return in + left + right - kernel + 1;
    }

    /** The shortest exact transform length (see the FFT convolution exporter). */
    public static int spectralLength(int in, int kernel, int left, int right) {
        int out = outputLength(in, kernel, left, right);
        return Math.max(Math.max(in + Math.max(left, right), kernel), out);
    }

    /** Per channel: taps times outputs. */
    static double directMacs(int[] in, int[] kernel, int[] left, int[] right) {
        double macs = 1;
        for (int i = 0; i < in.length; i++) {
            macs *= (double) kernel[i] * outputLength(in[i], kernel[i], left[i], right[i]);
        }
        return macs;
    }

    /**
     * Per channel: the matrix products of the spectral form. The last axis goes from L to n/2+1
     * bins (real input, 2 products) and back; each other axis is a complex transform from L to n
     * and from n to the output length (4 products each way), over all the bins of the axes.
     */
    static double spectralMacs(int[] in, int[] kernel, int[] left, int[] right) {
        int dims = in.length;
        int[] n = new int[dims];
        int[] out = new int[dims];
        for (int i = 0; i < dims; i++) {
            n[i] = spectralLength(in[i], kernel[i], left[i], right[i]);
            out[i] = outputLength(in[i], kernel[i], left[i], right[i]);
        }
        int last = dims - 1;
        double half = n[last] / 2 + 1;
        // forward: real transform of the last axis on every input line, then the others in turn
        double lines = 1;
        for (int i = 0; i < last; i++) {
            lines *= in[i];
        }
        double macs = 2 * lines * in[last] * half;
        double grid = half;
        for (int i = 0; i < last; i++) {
            grid *= n[i];
        }
        for (int i = 0; i < last; i++) {
            macs += 4 * grid / n[i] * in[i] * n[i];
        }
        // inverse: the complex axes down to their outputs, then the real transform
        for (int i = 0; i < last; i++) {
            macs += 4 * grid / n[i] * n[i] * out[i];
        }
        double outLines = 1;
        for (int i = 0; i < last; i++) {
            outLines *= out[i];
        }
        return macs + 2 * outLines * half * out[last];
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
