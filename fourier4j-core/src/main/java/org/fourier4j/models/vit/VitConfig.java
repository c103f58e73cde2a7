package org.fourier4j.models.vit;

/**
 * A Vision Transformer configuration.
 *
 * @param embedDim the token width D
 * @param numLayers the number of blocks
 * @param numHeads attention heads per block (a divisor of D)
 * @param patchSize the patch size P
 */
public record VitConfig(int embedDim, int numLayers, int numHeads, int patchSize) {

    /** Checks the values. */
    public VitConfig {
        if (embedDim < 1 || numLayers < 1 || numHeads < 1 || patchSize < 1) {
            throw new IllegalArgumentException(
                    "embed_dim, num_layers, num_heads and patch_size must be positive, got "
                            + embedDim
                            + ", "
                            + numLayers
                            + ", "
                            + numHeads
                            + ", "
                            + patchSize);
        }
        if (embedDim % numHeads != 0) {
            throw new IllegalArgumentException(
                    "num_heads=" + numHeads + " must divide embed_dim=" + embedDim);
        }
    }

    VitConfig withPatch(int patch) {
        return new VitConfig(embedDim, numLayers, numHeads, patch);
    }
}
