package org.fourier4j.models.convnext;

import java.util.Arrays;
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
        if (depths == null || dims == null || depths.length != dims.length || depths.length == 0) {
            throw new IllegalArgumentException(
                    "ConvNeXt: depths "
                            + Arrays.toString(depths)
                            + " and dims "
                            + Arrays.toString(dims)
                            + " must have the same, non-zero length");
        }
        for (int i = 0; i < depths.length; i++) {
            if (depths[i] < 1 || dims[i] < 1) {
                throw new IllegalArgumentException(
                        "ConvNeXt: depths and dims must be positive, got "
                                + Arrays.toString(depths)
                                + " and "
                                + Arrays.toString(dims));
            }
        }
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
