package org.fourier4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * AdamW (Loshchilov and Hutter) with decoupled weight decay, step for step as PyTorch's {@code
 * torch.optim.AdamW}: at step {@code t} (from 1), for each parameter
 *
 * <pre>
 * w <- w * (1 - lr * wd)                (decay group only)
 * m <- b1 * m + (1 - b1) * g
 * v <- b2 * v + (1 - b2) * g^2
 * w <- w - lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
 * </pre>
 *
 * When a schedule drives the momentum (one-cycle), {@code b1} is that step's value, also in the
 * bias correction, as in PyTorch. State: slots {@code exp_avg} and {@code exp_avg_sq}, and the step
 * count.
 */
public final class AdamW extends ParamOptimizer {

    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;

    /**
     * @param params the parameters (with their decay groups)
     * @param parent the manager for the state
     * @param beta1 first-moment decay
     * @param beta2 second-moment decay
     * @param eps denominator term
     * @param weightDecay decoupled decay coefficient
     */
    public AdamW(
            List<TrainableParameter> params,
            NDManager parent,
            double beta1,
            double beta2,
            double eps,
            double weightDecay) {
        super(params, parent, List.of("exp_avg", "exp_avg_sq"));
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
    }

    @Override
    public String name() {
        return "adamw";
    }

    @Override
    public void step(double lr, double momentum) {
        steps++;
        double b1 = Double.isNaN(momentum) ? beta1 : momentum;
        double bc1 = 1 - Math.pow(b1, steps);
        double bc2 = 1 - Math.pow(beta2, steps);
        float stepSize = (float) (lr / bc1);
        float bc2Sqrt = (float) Math.sqrt(bc2);
        try (NDManager scope = manager.newSubManager()) {
            for (TrainableParameter p : params) {
                NDArray w = p.array();
                NDArray g = scoped(scope, w.getGradient());
                NDArray m = slots.get("exp_avg").get(p.name());
                NDArray v = slots.get("exp_avg_sq").get(p.name());
                if (p.decay() && weightDecay > 0) {
                    w.muli((float) (1 - lr * weightDecay));
                }
                m.muli((float) b1).addi(g.mul((float) (1 - b1)));
                v.muli((float) beta2).addi(g.square().muli((float) (1 - beta2)));
                NDArray denom = scoped(scope, v.sqrt()).divi(bc2Sqrt).addi((float) eps);
                NDArray update = scoped(scope, m.div(denom)).muli(stepSize);
                w.subi(update);
                g.muli(0);
            }
        }
    }
}
