package org.fourier4j.models;

/**
 * Stochastic-depth rates over a network's blocks, as timm's and the papers' code: linear from 0 at
 * the first block to {@code rate} at the last, over all blocks of all stages.
 */
public final class DropPathSchedule {

    private DropPathSchedule() {}

    /**
     * The rate of every block.
     *
     * @param rate the last block's rate, in [0, 1)
     * @param blocks the number of blocks
     * @return {@code rate * i / (blocks - 1)} for block i (0 for a single block)
     */
    public static float[] linear(float rate, int blocks) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("drop_path_rate must be in [0, 1), got " + rate);
        }
        float[] out = new float[blocks];
        for (int i = 0; i < blocks; i++) {
            out[i] = blocks > 1 ? rate * i / (blocks - 1) : 0;
        }
        return out;
    }
}
