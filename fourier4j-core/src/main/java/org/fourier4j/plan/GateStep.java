package org.fourier4j.plan;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/**
 * {@code x * sigmoid(gate(x))}: CAS-ViT's spatial operation (the gate a (B, 1, H, W) map from
 * convolutions of x) and channel operation (the gate a (B, C, 1, 1) vector from x's spatial mean).
 */
final class GateStep implements FreshStep {

    private final Step gate;
    private final boolean pooled;

    private GateStep(Step gate, boolean pooled) {
        this.gate = gate;
        this.pooled = pooled;
    }

    /**
     * @param gate the steps from x to the gate's logits
     * @return {@code x * sigmoid(gate(x))}
     */
    static GateStep spatial(Step gate) {
        return new GateStep(gate, false);
    }

    /**
     * @param gate the steps from x's spatial mean (B, C, 1, 1) to the gate's logits
     * @return {@code x * sigmoid(gate(mean_HW(x)))}
     */
    static GateStep channel(Step gate) {
        return new GateStep(gate, true);
    }

    @Override
    public NDArray apply(NDArray x) {
        NDArray in = x;
        if (pooled) {
            try (NDArray rows = x.mean(new int[] {3}, true)) {
                in = rows.mean(new int[] {2}, true);
            }
        }
        NDArray logits = gate.apply(in);
        NDArray g = Activation.sigmoid(logits);
        if (logits != in) {
            logits.close();
        }
        if (in != x) {
            in.close();
        }
        NDArray out = x.mul(g);
        g.close();
        return out;
    }

    @Override
    public void count(PlanCensus census) {
        census.step(pooled ? "channel_gate" : "spatial_gate");
        gate.count(census);
    }
}
