package org.fourier4j.plan;

import ai.djl.ndarray.NDArray;

/**
 * {@code skip(x) + branch(x)} (skip the identity when absent). The sum is taken in place in the
 * branch's output when that output is a new array.
 *
 * @param branch the residual branch
 * @param skip the shortcut, or null for the identity
 */
record ResidualStep(Step branch, Step skip) implements FreshStep {

    @Override
    public NDArray apply(NDArray x) {
        NDArray y = branch.apply(x);
        NDArray s = skip == null ? x : skip.apply(x);
        NDArray out;
        if (branch.fresh() && y != x) {
            out = y.addi(s);
        } else {
            out = s.add(y);
            if (y != x) {
                y.close();
            }
        }
        if (s != x && s != out) {
            s.close();
        }
        return out;
    }

    @Override
    public void count(PlanCensus census) {
        census.step("residual");
        branch.count(census);
        if (skip != null) {
            skip.count(census);
        }
    }
}
