package org.fourier4j.plan;

import ai.djl.ndarray.NDArray;

/** A layout change: a view of the input with its axes permuted. */
final class PermuteStep implements Step {

    private final int[] axes;

    PermuteStep(int[] axes) {
        this.axes = axes.clone();
    }

    @Override
    public NDArray apply(NDArray x) {
        return x.transpose(axes);
    }

    @Override
    public void count(PlanCensus census) {
        census.step("permute");
    }
}
