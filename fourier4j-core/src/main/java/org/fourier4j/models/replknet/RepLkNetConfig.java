package org.fourier4j.models.replknet;

import java.util.Arrays;
import org.fourier4j.fft.ConvAlgorithm;

/**
 * A RepLKNet configuration.
 *
 * @param channels widths of the stages
 * @param layers (RepLK block, ConvFFN) pairs per stage
 * @param largeKernels the large kernel size per stage (odd)
 * @param smallKernel the parallel small kernel (odd, at most the smallest large kernel), or 0 for
 *     none
 * @param dwRatio width multiplier of the large-kernel depthwise convs ({@code int(C * dw_ratio)})
 * @param ffnRatio the ConvFFN's hidden width in multiples of C ({@code ffn_ratio}; 4 in every
 *     released model)
 * @param largeKernelAlgorithm how the large depthwise convs compute (auto, direct, fft)
 * @param deploy whether to build the merged inference form ({@code lkb_reparam}, the official
 *     {@code small_kernel_merged=True}) instead of the training form
 */
public record RepLkNetConfig(
        int[] channels,
        int[] layers,
        int[] largeKernels,
        int smallKernel,
        float dwRatio,
        int ffnRatio,
        ConvAlgorithm largeKernelAlgorithm,
        boolean deploy) {

    /** Checks the values. */
    public RepLkNetConfig {
        if (channels == null
                || layers == null
                || largeKernels == null
                || channels.length == 0
                || layers.length != channels.length
                || largeKernels.length != channels.length) {
            throw new IllegalArgumentException(
                    "RepLKNet: channels "
                            + Arrays.toString(channels)
                            + ", layers "
                            + Arrays.toString(layers)
                            + " and large_kernels "
                            + Arrays.toString(largeKernels)
                            + " must have the same, non-zero length");
        }
        for (int i = 0; i < channels.length; i++) {
            if (channels[i] < 1 || layers[i] < 1) {
                throw new IllegalArgumentException(
                        "RepLKNet: channels and layers must be positive, got "
                                + Arrays.toString(channels)
                                + " and "
                                + Arrays.toString(layers));
            }
            int k = largeKernels[i];
            if (k < 1 || k % 2 == 0 || (smallKernel > 0 && smallKernel > k)) {
                throw new IllegalArgumentException(
                        "RepLKNet: large_kernels must be odd and at least small_kernel "
                                + smallKernel
                                + ", got "
                                + Arrays.toString(largeKernels));
            }
            if ((int) (channels[i] * dwRatio) < 1) {
                throw new IllegalArgumentException(
                        "RepLKNet: dw_ratio "
                                + dwRatio
                                + " leaves no channel at width "
                                + channels[i]);
            }
        }
        if (ffnRatio < 1) {
            throw new IllegalArgumentException("RepLKNet: ffn_ratio must be >= 1, got " + ffnRatio);
        }
        if (smallKernel < 0 || (smallKernel > 0 && smallKernel % 2 == 0)) {
            throw new IllegalArgumentException(
                    "RepLKNet: small_kernel must be odd, or 0 for none, got " + smallKernel);
        }
        channels = channels.clone();
        layers = layers.clone();
        largeKernels = largeKernels.clone();
        largeKernelAlgorithm =
                largeKernelAlgorithm == null ? ConvAlgorithm.AUTO : largeKernelAlgorithm;
    }

    static RepLkNetConfig of(
            int[] channels, int[] layers, int[] largeKernels, int smallKernel, float dwRatio) {
        return new RepLkNetConfig(
                channels, layers, largeKernels, smallKernel, dwRatio, 4, ConvAlgorithm.AUTO, false);
    }

    /**
     * @param stage a stage
     * @return the width of its large-kernel depthwise convs, {@code int(C * dw_ratio)} as the
     *     official code
     */
    int dwChannels(int stage) {
        return (int) (channels[stage] * dwRatio);
    }
}
