package org.fourier4j.plan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/**
 * A block the plan does not take apart, run as the model runs it (inference mode) in a scope of its
 * own, so that its intermediates are freed as soon as its output exists.
 */
final class BlockStep implements Step {

    private final Block block;

    BlockStep(Block block) {
        this.block = block;
    }

    @Override
    public NDArray apply(NDArray x) {
        NDManager owner = x.getManager();
        try (NDManager scope = owner.newSubManager()) {
            NDArray view = x.reshape(x.getShape());
            view.attach(scope);
            NDArray out =
                    block.forward(new ParameterStore(scope, false), new NDList(view), false)
                            .singletonOrThrow();
            out.attach(owner);
            return out;
        }
    }

    @Override
    public void count(PlanCensus census) {
        census.step("block");
        census.unchanged(block.getClass().getName());
    }
}
