package org.fourier4j.plan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;

/**
 * {@code concat(x, branch(x))} over channels (axis 1): AFFNet's block joins its input and its
 * global representation this way before the fusion convolution.
 *
 * @param branch the steps from x to the second part
 */
record ConcatInputStep(Step branch) implements FreshStep {

    @Override
    public NDArray apply(NDArray x) {
        NDArray y = branch.apply(x);
        NDArray out = NDArrays.concat(new NDList(x, y), 1);
        if (y != x) {
            y.close();
        }
        return out;
    }

    @Override
    public void count(PlanCensus census) {
        census.step("concat");
        branch.count(census);
    }
}
