package org.fourier4j.plan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Layer normalisation by the engine's fused operator: over the trailing axes {@code normalized}
 * (DJL's {@code LayerNorm}), or, with {@code channelsFirst}, over axis 1 of (B, C, *spatial)
 * (ConvNeXt's channels-first norm) through the channels-last view.
 */
final class LayerNormStep implements FreshStep {

    private final Shape normalized;
    private final NDArray gamma;
    private final NDArray beta;
    private final float eps;
    private final boolean channelsFirst;

    /**
     * Creates the step.
     *
     * @param normalized the trailing shape normalised over (C for channels-first)
     * @param gamma the scale, of that shape
     * @param beta the shift, of that shape
     * @param eps added to the variance
     * @param channelsFirst whether the channels are axis 1 of a 4-D map rather than trailing
     */
    LayerNormStep(Shape normalized, NDArray gamma, NDArray beta, float eps, boolean channelsFirst) {
        this.normalized = normalized;
        this.gamma = gamma;
        this.beta = beta;
        this.eps = eps;
        this.channelsFirst = channelsFirst;
    }

    @Override
    public NDArray apply(NDArray x) {
        if (!channelsFirst) {
            return norm(x);
        }
        try (NDArray last = x.transpose(0, 2, 3, 1);
                NDArray y = norm(last)) {
            return y.transpose(0, 3, 1, 2);
        }
    }

    private NDArray norm(NDArray x) {
        return x.getNDArrayInternal().layerNorm(x, normalized, gamma, beta, eps).singletonOrThrow();
    }

    @Override
    public Step onChannelsLast() {
        return channelsFirst ? new LayerNormStep(normalized, gamma, beta, eps, false) : null;
    }

    @Override
    public void count(PlanCensus census) {
        census.step("layer_norm");
    }
}
