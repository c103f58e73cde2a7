package org.fourier4j.models.ffnet;

import java.util.Arrays;

/**
 * An FFNet configuration.
 *
 * @param depths FFBlocks per stage
 * @param dims widths per stage; each a multiple of the previous (the patch merging conv is grouped
 *     by input channel)
 * @param tokenKernels both depthwise kernel sizes of the token mixer, per stage (odd)
 * @param channelKernels the channel mixer's depthwise kernel, per stage (odd)
 * @param stemDim width after the first stem conv
 * @param expansion hidden width of the channel mixer, in multiples of C
 * @param layerScale initial layer scale, or 0 for none
 * @param deploy whether to build the fused inference form (the official export's) instead of the
 *     training form
 */
public record FfNetConfig(
        int[] depths,
        int[] dims,
        int[] tokenKernels,
        int[] channelKernels,
        int stemDim,
        int expansion,
        float layerScale,
        boolean deploy) {

    /** Checks the values. */
    public FfNetConfig {
        int n = depths == null ? 0 : depths.length;
        if (n == 0
                || dims == null
                || tokenKernels == null
                || channelKernels == null
                || dims.length != n
                || tokenKernels.length != n
                || channelKernels.length != n) {
            throw new IllegalArgumentException(
                    "FFNet: depths "
                            + Arrays.toString(depths)
                            + ", dims "
                            + Arrays.toString(dims)
                            + ", token_kernels "
                            + Arrays.toString(tokenKernels)
                            + " and channel_kernels "
                            + Arrays.toString(channelKernels)
                            + " must have the same, non-zero length");
        }
        for (int i = 0; i < n; i++) {
            if (depths[i] < 1 || dims[i] < 1) {
                throw new IllegalArgumentException(
                        "FFNet: depths and dims must be positive, got "
                                + Arrays.toString(depths)
                                + " and "
                                + Arrays.toString(dims));
            }
            if (i > 0 && dims[i] % dims[i - 1] != 0) {
                throw new IllegalArgumentException(
                        "FFNet: each width must be a multiple of the previous one (the patch"
                                + " merging conv is grouped by input channel), got dims "
                                + Arrays.toString(dims));
            }
            if (tokenKernels[i] % 2 == 0
                    || tokenKernels[i] < 1
                    || channelKernels[i] % 2 == 0
                    || channelKernels[i] < 1) {
                throw new IllegalArgumentException(
                        "FFNet: kernel sizes must be odd and positive, got token_kernels "
                                + Arrays.toString(tokenKernels)
                                + ", channel_kernels "
                                + Arrays.toString(channelKernels));
            }
        }
        if (stemDim < 1 || expansion < 1 || !(layerScale >= 0)) {
            throw new IllegalArgumentException(
                    "FFNet: need stem_dim >= 1, expansion >= 1, layer_scale >= 0, got "
                            + stemDim
                            + ", "
                            + expansion
                            + ", "
                            + layerScale);
        }
        depths = depths.clone();
        dims = dims.clone();
        tokenKernels = tokenKernels.clone();
        channelKernels = channelKernels.clone();
    }

    static FfNetConfig of(int[] depths, int[] dims, int channelKernel, float layerScale) {
        int[] ck = new int[depths.length];
        Arrays.fill(ck, channelKernel);
        return new FfNetConfig(depths, dims, new int[] {3, 3, 7, 7}, ck, 64, 3, layerScale, false);
    }
}
