package org.fourier4j.plan;

import ai.djl.ndarray.NDArray;

/**
 * A linear layer on the last axis, {@code x W^T + b}: DJL's {@code Linear}, a 1x1 convolution on
 * the channels-last view, or either with a neighbouring affine map folded in.
 */
final class LinearStep implements FreshStep {

    private final PlanContext context;
    private final NDArray weight;
    private final NDArray bias;
    private final int folds;

    /**
     * Creates the step.
     *
     * @param context the plan
     * @param weight (out, in)
     * @param bias (out), or null
     * @param folds how many affine maps are folded into these weights
     */
    LinearStep(PlanContext context, NDArray weight, NDArray bias, int folds) {
        this.context = context;
        this.weight = weight;
        this.bias = bias;
        this.folds = folds;
    }

    @Override
    public NDArray apply(NDArray x) {
        return x.getNDArrayInternal().linear(x, weight, bias).singletonOrThrow();
    }

    @Override
    public Step foldAfter(AffineStep a) {
        if (a.axis() != AffineStep.Axis.LAST || a.channels() != weight.getShape().get(0)) {
            return null;
        }
        NDArray[] f = Folding.outputs(weight, bias, a.scale(), a.shift(), context.manager());
        return new LinearStep(context, f[0], f[1], folds + 1);
    }

    @Override
    public Step foldBefore(AffineStep a) {
        if (a.axis() != AffineStep.Axis.LAST || a.channels() != weight.getShape().get(1)) {
            return null;
        }
        NDArray[] f = Folding.inputs(weight, bias, a.scale(), a.shift(), context.manager());
        return new LinearStep(context, f[0], f[1], folds + 1);
    }

    @Override
    public void count(PlanCensus census) {
        census.step("linear");
        census.folded(folds);
    }
}
