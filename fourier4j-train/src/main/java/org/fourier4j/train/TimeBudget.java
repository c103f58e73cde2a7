package org.fourier4j.train;

import java.util.function.LongSupplier;

/**
 * The wall-time budget of a run ({@code time_budget_minutes}): the run ends within it, its final
 * validation and checkpoint included, and the schedule follows the clock when the clock is ahead of
 * the steps.
 *
 * <ul>
 *   <li>Elapsed time counts every process of the run: a resumed run starts from the time its
 *       checkpoint recorded ({@link #resumeAfter}).
 *   <li>The end reserve is the time kept for the final validation and checkpoint: as long as the
 *       last ones took, with a quarter and a second to spare.
 *   <li>The schedule position of a step is the larger of the step itself and the step at the
 *       budget's elapsed fraction (the budget net of the reserve): both rise continuously, so the
 *       learning rate does too, and a slow machine still anneals to the schedule's end.
 *   <li>The budget is spent when one more step (as long as the last one), then the reserve, would
 *       overrun it.
 * </ul>
 *
 * Without a budget (0 minutes) the schedule follows the steps and the budget is never spent.
 */
final class TimeBudget {

    private final double seconds;
    private final LongSupplier clock;
    private final long processStart;
    private double elapsedBefore;

    /**
     * Starts measuring now.
     *
     * @param minutes the budget (0: none)
     * @param nanoClock nanoseconds, like {@link System#nanoTime()}
     */
    TimeBudget(double minutes, LongSupplier nanoClock) {
        if (!(minutes >= 0)) {
            throw new IllegalArgumentException("time budget must be >= 0 minutes, got " + minutes);
        }
        this.seconds = minutes * 60;
        this.clock = nanoClock;
        this.processStart = nanoClock.getAsLong();
    }

    /**
     * Counts the time earlier processes of the run spent.
     *
     * @param elapsedSeconds the run's wall time when its checkpoint was written
     */
    void resumeAfter(double elapsedSeconds) {
        this.elapsedBefore = elapsedSeconds;
    }

    /**
     * @return whether there is a budget
     */
    boolean isOn() {
        return seconds > 0;
    }

    /**
     * @return the budget in seconds (0: none)
     */
    double seconds() {
        return seconds;
    }

    /**
     * @return wall time of the run so far, earlier processes included
     */
    double elapsedSeconds() {
        return elapsedBefore + (clock.getAsLong() - processStart) / 1e9;
    }

    /**
     * The time to keep for the end of the run.
     *
     * @param evalSeconds how long the final validation will take (the last one's time, or an
     *     estimate)
     * @param saveSeconds how long the last checkpoint took
     * @return seconds
     */
    static double endReserveSeconds(double evalSeconds, double saveSeconds) {
        return 1.25 * (evalSeconds + saveSeconds) + 1;
    }

    /**
     * The schedule position of the next step.
     *
     * @param globalStep steps done
     * @param totalSteps the schedule's length
     * @param reserveSeconds the end reserve
     * @return the step itself, or the step at the budget's elapsed fraction when that is further
     */
    long scheduleStep(long globalStep, long totalSteps, double reserveSeconds) {
        if (!isOn()) {
            return globalStep;
        }
        double usable = Math.max(1e-9, seconds - reserveSeconds);
        long byTime = (long) Math.floor(Math.min(1, elapsedSeconds() / usable) * totalSteps);
        return Math.min(totalSteps - 1, Math.max(globalStep, byTime));
    }

    /**
     * Whether one more step, then the end of the run, would overrun the budget.
     *
     * @param stepSeconds how long the next step will take (the last one's time)
     * @param reserveSeconds the end reserve
     * @return true when the run must end now
     */
    boolean spent(double stepSeconds, double reserveSeconds) {
        return isOn() && elapsedSeconds() + stepSeconds + reserveSeconds > seconds;
    }
}
