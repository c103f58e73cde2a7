package org.fourier4j.models.casvit;

import org.fourier4j.config.StageLists;

/**
 * A CAS-ViT configuration (the arguments of the official {@code RCViT}).
 *
 * @param depths blocks per stage ({@code layers})
 * @param dims widths per stage ({@code embed_dims}; the first at least 2: the stem's middle width
 *     is half of it)
 * @param mlpRatio hidden width of the MLP in multiples of C ({@code mlp_ratios})
 * @param distillation whether the head has the second linear {@code dist_head}, averaged with the
 *     first (the official factories' default)
 */
public record CasVitConfig(int[] depths, int[] dims, int mlpRatio, boolean distillation) {

    /** Checks the values. */
    public CasVitConfig {
        StageLists.check("CAS-ViT", depths, dims);
        if (dims[0] < 2 || mlpRatio < 1) {
            throw new IllegalArgumentException(
                    "CAS-ViT: need dims[0] >= 2 and mlp_ratio >= 1, got "
                            + dims[0]
                            + ", "
                            + mlpRatio);
        }
        depths = depths.clone();
        dims = dims.clone();
    }

    /** An official size, MLP ratio 4, without the distillation head (as trained). */
    static CasVitConfig of(int[] depths, int[] dims) {
        return new CasVitConfig(depths, dims, 4, false);
    }
}
