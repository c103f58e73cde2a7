package org.fourier4j.models.dsm;

import org.fourier4j.config.StageLists;

/**
 * A configuration of our DSM-style network.
 *
 * @param depths blocks per stage
 * @param dims widths per stage
 * @param mlpRatio MLP hidden width in multiples of C
 * @param bands frequency bands K of every spectrum mixer (at least 2)
 * @param reduction bottleneck reduction of the band weight generator
 * @param stemStride 4 (7x7 conv), 2 or 1 (3x3 conv)
 * @param layerScale initial layer scale, or 0 for none
 */
public record DsmConfig(
        int[] depths,
        int[] dims,
        int mlpRatio,
        int bands,
        int reduction,
        int stemStride,
        float layerScale) {

    /** Checks the values. */
    public DsmConfig {
        StageLists.check("DSM", depths, dims);
        if (stemStride != 1 && stemStride != 2 && stemStride != 4) {
            throw new IllegalArgumentException(
                    "DSM: stem_stride must be 1, 2 or 4, got " + stemStride);
        }
        if (mlpRatio < 1 || bands < 2 || reduction < 1 || !(layerScale >= 0)) {
            throw new IllegalArgumentException(
                    "DSM: need mlp_ratio >= 1, bands >= 2, reduction >= 1, layer_scale >= 0, got "
                            + mlpRatio
                            + ", "
                            + bands
                            + ", "
                            + reduction
                            + ", "
                            + layerScale);
        }
        depths = depths.clone();
        dims = dims.clone();
    }
}
