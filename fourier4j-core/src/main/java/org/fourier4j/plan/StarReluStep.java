package org.fourier4j.plan;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/**
 * StarReLU, {@code scale * relu(x)^2 + bias} with scalar scale and bias, in one new array updated
 * in place (element-wise, so in any layout).
 *
 * @param scale the scale
 * @param bias the shift
 */
record StarReluStep(float scale, float bias) implements FreshStep {

    @Override
    public NDArray apply(NDArray x) {
        NDArray y = Activation.relu(x);
        return y.muli(y).muli(scale).addi(bias);
    }

    @Override
    public Step onChannelsLast() {
        return this;
    }

    @Override
    public void count(PlanCensus census) {
        census.step("star_relu");
    }
}
