package org.fourier4j.plan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * What the steps of one plan share: the manager that owns the arrays the plan made (folded weights,
 * reshaped parameters), closed with the plan.
 */
final class PlanContext {

    private final NDManager manager;

    PlanContext(NDManager manager) {
        this.manager = manager;
    }

    /**
     * @return the manager of the plan's own arrays
     */
    NDManager manager() {
        return manager;
    }

    /**
     * Takes an array into the plan's manager.
     *
     * @param a an array
     * @return {@code a}
     */
    NDArray own(NDArray a) {
        a.attach(manager);
        return a;
    }
}
