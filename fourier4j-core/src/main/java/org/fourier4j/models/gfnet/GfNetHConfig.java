package org.fourier4j.models.gfnet;

import java.util.Arrays;

/**
 * A hierarchical GFNet (GFNet-H) configuration: four stages after a 4x4 stem.
 *
 * @param dims widths per stage
 * @param depths blocks per stage
 * @param layerScale the initial layer scale {@code gamma} of every block, or 0 for none (the
 *     official {@code no_layerscale} form)
 */
public record GfNetHConfig(int[] dims, int[] depths, float layerScale) {

    /** The stages of GFNet-H (the official {@code GFNetPyramid} has four). */
    static final int STAGES = 4;

    /** Checks the values. */
    public GfNetHConfig {
        checkStages(dims, depths, STAGES);
        checkLayerScale(layerScale);
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

    static void checkLayerScale(float layerScale) {
        if (!(layerScale >= 0)) {
            throw new IllegalArgumentException("layer_scale must be >= 0, got " + layerScale);
        }
    }
}
