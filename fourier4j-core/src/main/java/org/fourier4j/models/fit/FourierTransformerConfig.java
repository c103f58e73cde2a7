package org.fourier4j.models.fit;

import org.fourier4j.fft.FftNorm;

/**
 * A FiT or FNet configuration (the keys of the FiT report's {@code config.json}).
 *
 * @param embedDim the token width D
 * @param dimFeedforward the feed-forward width F
 * @param numLayers the number of encoder blocks
 * @param patchSize the patch size P
 * @param dropoutRate the dropout after each feed-forward network
 * @param headTanh whether the head squashes the logits with tanh (FiT's head does)
 * @param fourierNorm the Fourier mixers' scaling: backward (unnormalised, both papers) or ortho
 */
public record FourierTransformerConfig(
        int embedDim,
        int dimFeedforward,
        int numLayers,
        int patchSize,
        float dropoutRate,
        boolean headTanh,
        FftNorm fourierNorm) {

    /** Checks the values. */
    public FourierTransformerConfig {
        if (embedDim < 1 || dimFeedforward < 1 || numLayers < 1 || patchSize < 1) {
            throw new IllegalArgumentException(
                    "embed_dim, dim_feedforward, num_layers and patch_size must be positive, got "
                            + embedDim
                            + ", "
                            + dimFeedforward
                            + ", "
                            + numLayers
                            + ", "
                            + patchSize);
        }
        if (!(dropoutRate >= 0 && dropoutRate < 1)) {
            throw new IllegalArgumentException(
                    "dropout_rate must be in [0, 1), got " + dropoutRate);
        }
        fourierNorm = fourierNorm == null ? FftNorm.BACKWARD : fourierNorm;
        if (fourierNorm != FftNorm.BACKWARD && fourierNorm != FftNorm.ORTHO) {
            throw new IllegalArgumentException(
                    "fourier_norm must be backward or ortho, got "
                            + fourierNorm.name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    static FourierTransformerConfig of(
            int dim, int feedForward, int layers, int patch, boolean headTanh) {
        return new FourierTransformerConfig(
                dim, feedForward, layers, patch, 0.1f, headTanh, FftNorm.BACKWARD);
    }
}
