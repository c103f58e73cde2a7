package org.fourier4j.plan;

import ai.djl.ndarray.NDArray;

/**
 * One step of an {@link InferencePlan}: a function of one array. A step never closes its input; it
 * closes its own temporaries. Its result is new, or its input itself, or a view of it.
 */
interface Step {

    /**
     * Applies the step.
     *
     * @param x the input (left open)
     * @return the output, in the input's manager
     */
    NDArray apply(NDArray x);

    /**
     * @return true if the output never shares memory with the input (so it may be updated in place)
     */
    default boolean fresh() {
        return false;
    }

    /**
     * The step equal to this step followed by {@code a}, if it can absorb it exactly.
     *
     * @param a a per-channel affine map
     * @return the combined step, or null
     */
    default Step foldAfter(AffineStep a) {
        return null;
    }

    /**
     * The step equal to {@code a} followed by this step, if it can absorb it exactly.
     *
     * @param a a per-channel affine map
     * @return the combined step, or null
     */
    default Step foldBefore(AffineStep a) {
        return null;
    }

    /**
     * This step's form on the channels-last view (B, H, W, C) of a (B, C, H, W) input, for steps
     * that act per pixel (1x1 convolutions, activations, per-channel maps), so that a run of them
     * changes layout once.
     *
     * @return the form, or null if this step has none
     */
    default Step onChannelsLast() {
        return null;
    }

    /**
     * Counts this step and the steps inside it.
     *
     * @param census the counts to add to
     */
    void count(PlanCensus census);
}
