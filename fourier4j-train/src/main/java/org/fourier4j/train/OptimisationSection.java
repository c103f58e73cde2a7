package org.fourier4j.train;

import java.util.List;

/**
 * The optimiser, schedule and gradient keys of a training configuration, each described by its
 * {@link Setting}.
 *
 * @param optimizer AdamW or SGD
 * @param lr peak learning rate
 * @param weightDecay weight decay
 * @param betas AdamW's beta1, beta2
 * @param eps AdamW's epsilon
 * @param momentum SGD momentum
 * @param nesterov SGD Nesterov momentum
 * @param noDecayKeywords parameters whose name contains one of these get no weight decay
 * @param schedule the learning-rate schedule
 * @param warmupEpochs cosine: warm-up length in epochs
 * @param minLr cosine: final learning rate
 * @param onecyclePctStart one-cycle: share of steps rising
 * @param onecycleDivFactor one-cycle: initial lr = lr / this
 * @param onecycleFinalDivFactor one-cycle: final lr = initial lr / this
 * @param cycleMomentum one-cycle: cycle the momentum inversely to the lr
 * @param baseMomentum one-cycle: momentum at the lr peak
 * @param maxMomentum one-cycle: momentum at the ends
 * @param clipGradNorm global gradient norm clip (0: off)
 * @param accumSteps micro-batches per optimiser step
 * @param emaDecay weight average decay (0: off)
 */
public record OptimisationSection(
        @Setting("adamw or sgd (Nesterov momentum)") Optimizer optimizer,
        @Setting(value = "peak learning rate", min = 0, minExclusive = true) double lr,
        @Setting(value = "weight decay (decoupled for adamw, L2 for sgd)", min = 0)
                double weightDecay,
        @Setting(value = "AdamW beta1, beta2", min = 0, max = 1, maxExclusive = true, length = 2)
                List<Double> betas,
        @Setting(value = "AdamW epsilon", min = 0, minExclusive = true) double eps,
        @Setting(value = "SGD momentum", min = 0, max = 1, maxExclusive = true) double momentum,
        @Setting("SGD Nesterov momentum") boolean nesterov,
        @Setting("parameters whose name contains one of these get no weight decay")
                List<String> noDecayKeywords,
        @Setting("onecycle, cosine (linear warm-up + cosine) or constant") Schedule schedule,
        @Setting(value = "cosine: linear warm-up length in epochs", min = 0) double warmupEpochs,
        @Setting(value = "cosine: final learning rate", min = 0) double minLr,
        @Setting(value = "one-cycle: share of steps rising", min = 0, max = 1)
                double onecyclePctStart,
        @Setting(value = "one-cycle: initial lr = lr / div_factor", min = 0, minExclusive = true)
                double onecycleDivFactor,
        @Setting(value = "one-cycle: final lr = initial lr / this", min = 0, minExclusive = true)
                double onecycleFinalDivFactor,
        @Setting("one-cycle: cycle beta1/momentum inversely to the lr") boolean cycleMomentum,
        @Setting(
                        value = "one-cycle: momentum at the lr peak",
                        min = 0,
                        max = 1,
                        maxExclusive = true)
                double baseMomentum,
        @Setting(value = "one-cycle: momentum at the ends", min = 0, max = 1, maxExclusive = true)
                double maxMomentum,
        @Setting(value = "clip the global gradient norm to this (0: off)", min = 0)
                double clipGradNorm,
        @Setting(value = "micro-batches per optimiser step", min = 1) int accumSteps,
        @Setting(
                        value = "EMA of weights for evaluation (0: off, e.g. 0.999)",
                        min = 0,
                        max = 1,
                        maxExclusive = true)
                double emaDecay) {

    /** The optimisers. */
    public enum Optimizer {
        /** AdamW (decoupled weight decay). */
        ADAMW,
        /** SGD with (Nesterov) momentum. */
        SGD
    }

    /** The learning-rate schedules. */
    public enum Schedule {
        /** One-cycle: rise to lr, anneal to lr / div / final_div (cosine). */
        ONECYCLE,
        /** Linear warm-up then cosine to min_lr. */
        COSINE,
        /** lr throughout. */
        CONSTANT
    }

    /** The defaults. */
    public static final OptimisationSection DEFAULTS =
            new OptimisationSection(
                    Optimizer.ADAMW,
                    1e-3,
                    0.05,
                    List.of(0.9, 0.999),
                    1e-8,
                    0.9,
                    true,
                    List.of("pos_embed", "position", "cls_token", "dist_token"),
                    Schedule.ONECYCLE,
                    1.0,
                    0.0,
                    0.3,
                    25.0,
                    1e4,
                    true,
                    0.85,
                    0.95,
                    0.0,
                    1,
                    0.0);
}
