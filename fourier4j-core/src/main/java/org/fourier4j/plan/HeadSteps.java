package org.fourier4j.plan;

import ai.djl.ndarray.NDArray;
import org.fourier4j.fft.EngineArrays;
import org.fourier4j.models.ClassifierHead;

/** The classifier head's steps: pooling, and the logits from the pre-logits. */
final class HeadSteps {

    private HeadSteps() {}

    /**
     * Pools features to one vector per image, as {@link ClassifierHead} does.
     *
     * @param kind how
     */
    record Pool(ClassifierHead.Pool kind) implements Step {

        @Override
        public NDArray apply(NDArray x) {
            return kind.apply(x);
        }

        @Override
        public boolean fresh() {
            return kind != ClassifierHead.Pool.CLASS_TOKEN;
        }

        @Override
        public void count(PlanCensus census) {
            census.step("pool");
        }
    }

    /** {@code fc(x)}, averaged with {@code dist(x)} when there is one, then tanh if asked. */
    record Logits(Step fc, Step dist, boolean tanh) implements FreshStep {

        @Override
        public NDArray apply(NDArray x) {
            NDArray y = fc.apply(x);
            if (dist != null) {
                try (NDArray a = y;
                        NDArray b = dist.apply(x);
                        NDArray sum = a.add(b);
                        NDArray half = EngineArrays.scalar(a, 0.5)) {
                    y = sum.mul(half);
                }
            }
            if (tanh) {
                NDArray t = y.tanh();
                y.close();
                y = t;
            }
            return y;
        }

        @Override
        public Step foldBefore(AffineStep a) {
            Step f = fc.foldBefore(a);
            Step d = dist == null ? null : dist.foldBefore(a);
            return f == null || (dist != null && d == null) ? null : new Logits(f, d, tanh);
        }

        @Override
        public void count(PlanCensus census) {
            fc.count(census);
            if (dist != null) {
                dist.count(census);
            }
        }
    }
}
