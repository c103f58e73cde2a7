package org.fourier4j.models.gfnet;

/**
 * An isotropic GFNet configuration.
 *
 * @param dims the width, as a list of one ({@code dims=384})
 * @param depths the number of blocks, as a list of one
 * @param patchSize the patch size P
 * @param layerScale the initial layer scale {@code gamma} of every block, or 0 for none (the
 *     official isotropic models have none)
 * @param mlpRatio the MLP's hidden width in multiples of D ({@code mlp_ratio}; 4 in every released
 *     model)
 */
public record GfNetConfig(int[] dims, int[] depths, int patchSize, float layerScale, int mlpRatio) {

    /** Checks the values. */
    public GfNetConfig {
        GfNetHConfig.checkStages(dims, depths, 1);
        if (patchSize < 1) {
            throw new IllegalArgumentException("patch_size must be positive, got " + patchSize);
        }
        GfNetHConfig.checkLayerScale(layerScale);
        GfNetHConfig.checkMlpRatio(mlpRatio);
        dims = dims.clone();
        depths = depths.clone();
    }

    static GfNetConfig of(int dim, int depth) {
        return new GfNetConfig(new int[] {dim}, new int[] {depth}, 16, 0, 4);
    }
}
