package org.fourier4j.models.gfnet;

import java.util.Arrays;

/**
 * A hierarchical GFNet (GFNet-H) configuration: four stages after a 4x4 stem.
 *
 * @param dims widths per stage
 * @param depths blocks per stage
 * @param layerScale the initial layer scale {@code gamma} of every block, or 0 for none (the
 *     official {@code no_layerscale} form)
 * @param mlpRatio the MLPs' hidden width in multiples of the stage width ({@code mlp_ratio}, one
 *     for every stage; 4 in every released model)
 */
public record GfNetHConfig(int[] dims, int[] depths, float layerScale, int mlpRatio) {

    /** The stages of GFNet-H (the official {@code GFNetPyramid} has four). */
    static final int STAGES = 4;

    /** Checks the values. */
    public GfNetHConfig {
        checkStages(dims, depths, STAGES);
        checkLayerScale(layerScale);
        checkMlpRatio(mlpRatio);
        dims = dims.clone();
        depths = depths.clone();
    }

    static void checkStages(int[] dims, int[] depths, int stages) {
        for (int[] values : new int[][] {dims, depths}) {
            String key = values == dims ? "dims" : "depths";
            if (values == null || values.length != stages) {
                throw new IllegalArgumentException(
                        key
                                + " must have "
                                + stages
                                + (stages == 1 ? " entry" : " entries")
                                + ", got "
                                + Arrays.toString(values));
            }
            for (int v : values) {
                if (v < 1) {
                    throw new IllegalArgumentException(
                            key + " must be positive, got " + Arrays.toString(values));
                }
            }
        }
    }

    static void checkMlpRatio(int mlpRatio) {
        if (mlpRatio < 1) {
            throw new IllegalArgumentException("mlp_ratio must be >= 1, got " + mlpRatio);
        }
    }

    static void checkLayerScale(float layerScale) {
        if (!(layerScale >= 0)) {
            throw new IllegalArgumentException("layer_scale must be >= 0, got " + layerScale);
        }
    }
}
