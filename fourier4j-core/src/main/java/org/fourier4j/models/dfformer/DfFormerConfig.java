package org.fourier4j.models.dfformer;

import java.util.Arrays;
import org.fourier4j.config.StageLists;

/**
 * A DFFormer configuration (okojoalg/dfformer, {@code models/dfformer.py}: {@code MetaFormer} with
 * {@code token_mixers=DynamicFilter}).
 *
 * @param depths blocks per stage
 * @param dims widths per stage
 * @param numFilters filters in each dynamic filter's bank (the official {@code num_filters}, 4)
 * @param reweightExpansionRatio hidden width of the routing MLP over the stage width (the official
 *     {@code reweight_expansion_ratio}, 0.25)
 */
public record DfFormerConfig(
        int[] depths, int[] dims, int numFilters, double reweightExpansionRatio) {

    /** Checks the values. */
    public DfFormerConfig {
        StageLists.check("DFFormer", depths, dims);
        if (numFilters < 1) {
            throw new IllegalArgumentException(
                    "DFFormer: num_filters must be at least 1, got " + numFilters);
        }
        int narrowest = Arrays.stream(dims).min().getAsInt();
        if (!(reweightExpansionRatio > 0) || (int) (reweightExpansionRatio * narrowest) < 1) {
            throw new IllegalArgumentException(
                    "DFFormer: reweight_expansion_ratio "
                            + reweightExpansionRatio
                            + " leaves the routing MLP of the "
                            + narrowest
                            + "-wide stage no hidden unit (ratio x width must be >= 1)");
        }
        depths = depths.clone();
        dims = dims.clone();
    }

    static DfFormerConfig of(int[] depths, int[] dims) {
        return new DfFormerConfig(depths, dims, 4, 0.25);
    }
}
