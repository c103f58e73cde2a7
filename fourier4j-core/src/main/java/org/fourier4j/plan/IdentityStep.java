package org.fourier4j.plan;

import ai.djl.ndarray.NDArray;

/** A step that does nothing in inference (dropout, drop path). */
final class IdentityStep implements Step {

    static final IdentityStep INSTANCE = new IdentityStep();

    private IdentityStep() {}

    @Override
    public NDArray apply(NDArray x) {
        return x;
    }

    @Override
    public void count(PlanCensus census) {}
}
