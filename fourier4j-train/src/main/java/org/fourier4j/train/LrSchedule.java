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
        long total = (long) config.getInt("epochs") * stepsPerEpoch;
        double lr = config.getDouble("lr");
        return switch (config.getString("schedule")) {
            case "onecycle" ->
                    new OneCycleSchedule(
                            lr,
                            total,
                            config.getDouble("onecycle_pct_start"),
                            config.getDouble("onecycle_div_factor"),
                            config.getDouble("onecycle_final_div_factor"),
                            config.getBool("cycle_momentum"),
                            config.getDouble("base_momentum"),
                            config.getDouble("max_momentum"));
            case "cosine" -> {
                long warmup = Math.round(config.getDouble("warmup_epochs") * stepsPerEpoch);
                if (warmup >= total) {
                    throw new ConfigException(
                            "warmup_epochs "
                                    + config.getDouble("warmup_epochs")
                                    + " ("
                                    + warmup
                                    + " steps) must be shorter than the run ("
                                    + total
                                    + " steps)");
                }
                yield new WarmupCosineSchedule(lr, config.getDouble("min_lr"), warmup, total);
            }
            case "constant" -> new ConstantSchedule(lr, total);
            default ->
                    throw new ConfigException(
                            "unknown schedule '" + config.getString("schedule") + "'");
        };
    }
}
