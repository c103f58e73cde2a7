package org.fourier4j.plan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each sample normalised over all its values, {@code (x - mean) / sqrt(var + eps)} with the biased
 * variance: GroupNorm with one group without its affine (which follows as an {@link AffineStep}, so
 * a neighbouring 1x1 convolution can absorb it). Computed by the engine's fused layer norm over the
 * sample's shape. It has no channels-last form: on a permuted view the fused operator would copy
 * the whole map first (AFFNet-ET ran 40% slower that way).
 */
final class GroupNormStep implements FreshStep {

    private final PlanContext context;
    private final float eps;

    /** Unit scale and zero shift per sample shape: the fused operator takes them as arrays. */
    private final Map<Shape, NDArray[]> identity = new ConcurrentHashMap<>();

    GroupNormStep(PlanContext context, float eps) {
        this.context = context;
        this.eps = eps;
    }

    @Override
    public NDArray apply(NDArray x) {
        Shape sample = x.getShape().slice(1);
        NDArray[] unit =
                identity.computeIfAbsent(
                        sample,
                        s -> new NDArray[] {context.manager().ones(s), context.manager().zeros(s)});
        return x.getNDArrayInternal()
                .layerNorm(x, sample, unit[0], unit[1], eps)
                .singletonOrThrow();
    }

    @Override
    public void count(PlanCensus census) {
        census.step("group_norm");
    }
}
