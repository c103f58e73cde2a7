package org.fourier4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * Whole-model gradient operations: the global L2 norm and clipping by it (DJL's own {@code
 * optClipGrad} clips each element from above only, see the project's DJL guide).
 */
public final class Gradients {

    private Gradients() {}

    /**
     * The L2 norm of all gradients together, {@code sqrt(sum over parameters of sum(g^2))}.
     *
     * @param params the parameters
     * @param parent a manager to scope temporaries under
     * @return the norm (NaN or infinite if any gradient is)
     */
    public static double globalNorm(List<TrainableParameter> params, NDManager parent) {
        try (NDManager scope = parent.newSubManager()) {
            NDArray total = null;
            for (TrainableParameter p : params) {
                NDArray g = p.array().getGradient();
                g.attach(scope);
                NDArray sq = g.square().sum();
                total = total == null ? sq : total.add(sq);
            }
            return total == null ? 0 : Math.sqrt(total.getFloat());
        }
    }

    /**
     * Multiplies every gradient in place.
     *
     * @param params the parameters
     * @param factor the factor
     * @param parent a manager to scope temporaries under
     */
    public static void scale(List<TrainableParameter> params, double factor, NDManager parent) {
        try (NDManager scope = parent.newSubManager()) {
            for (TrainableParameter p : params) {
                NDArray g = p.array().getGradient();
                g.attach(scope);
                g.muli((float) factor);
            }
        }
    }

    /**
     * Clips the global gradient norm as PyTorch's {@code clip_grad_norm_}: if the norm exceeds
     * {@code maxNorm}, every gradient is multiplied by {@code maxNorm / (norm + 1e-6)}.
     *
     * @param params the parameters
     * @param norm their global norm (from {@link #globalNorm})
     * @param maxNorm the bound, positive
     * @param parent a manager to scope temporaries under
     * @return the factor applied (1 if none)
     */
    public static double clip(
            List<TrainableParameter> params, double norm, double maxNorm, NDManager parent) {
        double factor = maxNorm / (norm + 1e-6);
        if (factor >= 1) {
            return 1;
        }
        scale(params, factor, parent);
        return factor;
    }
}
