package org.fourier4j.models.casvit;

import java.util.Arrays;

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
        if (depths == null || dims == null || depths.length == 0 || depths.length != dims.length) {
            throw new IllegalArgumentException(
                    "CAS-ViT: depths "
                            + Arrays.toString(depths)
                            + " and dims "
                            + Arrays.toString(dims)
                            + " must have the same, non-zero length");
        }
        for (int i = 0; i < depths.length; i++) {
            if (depths[i] < 1 || dims[i] < 1) {
                throw new IllegalArgumentException(
                        "CAS-ViT: depths and dims must be positive, got "
                                + Arrays.toString(depths)
                                + " and "
                                + Arrays.toString(dims));
            }
        }
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
