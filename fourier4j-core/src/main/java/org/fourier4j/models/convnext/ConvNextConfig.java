package org.fourier4j.models.convnext;

import org.fourier4j.config.StageLists;
import org.fourier4j.fft.ConvAlgorithm;

/**
 * A ConvNeXt configuration.
 *
 * @param depths blocks per stage
 * @param dims widths per stage
 * @param tokenMixer the spatial mixer of each block: the paper's 7x7 depthwise conv, or a global
 *     2-D SGConv kernel
 * @param convAlgorithm how the 7x7 depthwise convs compute (auto, direct, fft)
 */
public record ConvNextConfig(
        int[] depths, int[] dims, TokenMixer tokenMixer, ConvAlgorithm convAlgorithm) {

    /** The spatial mixer of a ConvNeXt block. */
    public enum TokenMixer {
        /** The paper's 7x7 depthwise convolution with bias. */
        DWCONV,
        /** A global 2-D SGConv kernel as large as the feature map (our construction). */
        SGCONV
    }

    /** Checks the values. */
    public ConvNextConfig {
        StageLists.check("ConvNeXt", depths, dims);
        depths = depths.clone();
        dims = dims.clone();
        tokenMixer = tokenMixer == null ? TokenMixer.DWCONV : tokenMixer;
        convAlgorithm = convAlgorithm == null ? ConvAlgorithm.AUTO : convAlgorithm;
    }

    static ConvNextConfig of(int[] depths, int[] dims) {
        return new ConvNextConfig(depths, dims, TokenMixer.DWCONV, ConvAlgorithm.AUTO);
    }

    ConvNextConfig withMixer(TokenMixer mixer) {
        return new ConvNextConfig(depths, dims, mixer, convAlgorithm);
    }
}
