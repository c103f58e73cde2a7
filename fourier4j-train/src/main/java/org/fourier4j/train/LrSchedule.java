package org.fourier4j.train;

/**
 * A learning-rate schedule over optimiser steps {@code 0 .. totalSteps-1}, evaluated per step (a
 * pure function of the step, so a resumed run continues exactly). A schedule may also drive the
 * momentum (AdamW's beta1 or SGD's momentum), as one-cycle does.
 */
public interface LrSchedule {

    /**
     * @param step optimiser step, 0-based
     * @return the learning rate of that step
     */
    double lr(long step);

    /**
     * @param step optimiser step, 0-based
     * @return the momentum of that step, or NaN to use the optimiser's own
     */
    default double momentum(long step) {
        return Double.NaN;
    }

    /**
     * @return the number of steps the schedule spans
     */
    long totalSteps();

    /**
     * @return a one-line description
     */
    String describe();

    /**
     * The schedule a configuration asks for.
     *
     * @param config {@code schedule}, {@code lr} and the schedule's own keys
     * @param stepsPerEpoch optimiser steps per epoch
     * @return the schedule over {@code epochs * stepsPerEpoch} steps
     */
    static LrSchedule fromConfig(TrainConfig config, long stepsPerEpoch) {
        OptimisationSection o = config.optimisation();
        long total = (long) config.run().epochs() * stepsPerEpoch;
        double lr = o.lr();
        return switch (o.schedule()) {
            case ONECYCLE ->
                    new OneCycleSchedule(
                            lr,
                            total,
                            o.onecyclePctStart(),
                            o.onecycleDivFactor(),
                            o.onecycleFinalDivFactor(),
                            o.cycleMomentum(),
                            o.baseMomentum(),
                            o.maxMomentum());
            case COSINE -> {
                long warmup = Math.round(o.warmupEpochs() * stepsPerEpoch);
                if (warmup >= total) {
                    throw new ConfigException(
                            "warmup_epochs "
                                    + o.warmupEpochs()
                                    + " ("
                                    + warmup
                                    + " steps) must be shorter than the run ("
                                    + total
                                    + " steps)");
                }
                yield new WarmupCosineSchedule(lr, o.minLr(), warmup, total);
            }
            case CONSTANT -> new ConstantSchedule(lr, total);
        };
    }
}
