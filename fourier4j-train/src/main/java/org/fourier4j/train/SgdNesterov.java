package org.fourier4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * SGD with (Nesterov) momentum, step for step as PyTorch's {@code torch.optim.SGD(momentum=mu,
 * nesterov=True, dampening=0)}, with L2 weight decay added to the gradient for the decay group:
 *
 * <pre>
 * d   <- g + wd * w                     (decay group; otherwise d = g)
 * buf <- mu * buf + d                   (buf starts at 0, so step 1 gives buf = d)
 * w   <- w - lr * (d + mu * buf)        (Nesterov; plain momentum: w - lr * buf)
 * </pre>
 *
 * DJL's own {@code Optimizer.nag()} throws on the PyTorch engine; this one works there. State: slot
 * {@code momentum_buffer} and the step count.
 */
public final class SgdNesterov extends ParamOptimizer {

    private final double momentum;
    private final boolean nesterov;
    private final double weightDecay;

    /**
     * @param params the parameters (with their decay groups)
     * @param parent the manager for the state
     * @param momentum momentum coefficient
     * @param nesterov Nesterov or plain momentum
     * @param weightDecay L2 coefficient
     */
    public SgdNesterov(
            List<TrainableParameter> params,
            NDManager parent,
            double momentum,
            boolean nesterov,
            double weightDecay) {
        super(params, parent, List.of("momentum_buffer"));
        this.momentum = momentum;
        this.nesterov = nesterov;
        this.weightDecay = weightDecay;
    }

    @Override
    public String name() {
        return "sgd";
    }

    @Override
    public void step(double lr, double momentumOverride) {
        steps++;
        float mu = (float) (Double.isNaN(momentumOverride) ? momentum : momentumOverride);
        try (NDManager scope = manager.newSubManager()) {
            for (TrainableParameter p : params) {
                NDArray w = p.array();
                NDArray g = scoped(scope, w.getGradient());
                NDArray d =
                        p.decay() && weightDecay > 0
                                ? g.add(scoped(scope, w.mul((float) weightDecay)))
                                : g;
                NDArray buf = slots.get("momentum_buffer").get(p.name());
                buf.muli(mu).addi(d);
                NDArray update =
                        nesterov ? d.add(scoped(scope, buf.mul(mu))) : scoped(scope, buf.mul(1f));
                w.subi(update.muli((float) lr));
                g.muli(0);
            }
        }
    }
}
