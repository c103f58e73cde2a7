package org.fourier4j.plan;

import ai.djl.ndarray.NDArray;
import org.fourier4j.nn.Act;

/**
 * An element-wise activation (any layout).
 *
 * @param kind the activation
 */
record ActStep(Act.Kind kind) implements FreshStep {

    @Override
    public NDArray apply(NDArray x) {
        return kind.apply(x);
    }

    @Override
    public Step onChannelsLast() {
        return this;
    }

    @Override
    public void count(PlanCensus census) {
        census.step("act");
    }
}
