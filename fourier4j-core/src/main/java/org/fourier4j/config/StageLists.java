package org.fourier4j.config;

import java.util.Arrays;

/** Checks of the per-stage lists of a hierarchical model's configuration. */
public final class StageLists {

    private StageLists() {}

    /**
     * Checks that depths and widths have the same, non-zero length and positive entries.
     *
     * @param family the family's name, for the message
     * @param depths blocks per stage
     * @param dims widths per stage
     * @throws IllegalArgumentException naming both lists
     */
    public static void check(String family, int[] depths, int[] dims) {
        if (depths == null || dims == null || depths.length == 0 || depths.length != dims.length) {
            throw new IllegalArgumentException(
                    family
                            + ": depths "
                            + Arrays.toString(depths)
                            + " and dims "
                            + Arrays.toString(dims)
                            + " must have the same, non-zero length");
        }
        for (int i = 0; i < depths.length; i++) {
            if (depths[i] < 1 || dims[i] < 1) {
                throw new IllegalArgumentException(
                        family
                                + ": depths and dims must be positive, got "
                                + Arrays.toString(depths)
                                + " and "
                                + Arrays.toString(dims));
            }
        }
    }
}
