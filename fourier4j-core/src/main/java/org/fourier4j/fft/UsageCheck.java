package org.fourier4j.fft;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Watches one AUTO decision in use: calls 2 to 6 after the decision and then every {@value
 * #EVERY}th call are timed (a monotonic clock read on either side; the first call may build plans
 * and kernel spectra), and each window of {@value #WINDOW} timings is judged. A re-decision is
 * asked for when
 *
 * <ul>
 *   <li>the fastest timing of the window exceeds {@value #SLOW}x the decision's reference time (the
 *       model, or the measurement, was wrong for this shape), unless other processes used more than
 *       {@value ConvDecider#BUSY} of the machine meanwhile ({@link LoadMeter}): then the machine is
 *       slow, not the choice; or
 *   <li>for a measured decision, the second fastest is below the reference by {@value #FAST}x
 *       ({@value #FAST_SUSPECT}x when the measurement chose against the model): the decision's
 *       timings were taken under load, so the other algorithm's may have been inflated as well.
 * </ul>
 *
 * <p>A shape is re-decided at most {@value #MAX_REDECISIONS} times (the count is persisted with the
 * decision, and includes the confirmation of a decision that contradicted the model), then it is no
 * longer timed: timings that keep flapping cannot make it flap. Thread-safe.
 */
final class UsageCheck {

    static final int EVERY = 16;
    static final int WINDOW = 5;
    static final double SLOW = 3.0;
    static final double FAST = 2.0;
    static final double FAST_SUSPECT = 1.5;
    static final int MAX_REDECISIONS = 3;

    private final ConvDecision decision;
    private final LoadMeter meter;
    private final AtomicLong calls = new AtomicLong();
    private final double[] window = new double[WINDOW];
    private int samples;
    private LoadMeter.Interval load;
    private volatile String redecide;

    UsageCheck(ConvDecision decision, LoadMeter meter) {
        this.decision = decision;
        this.meter = meter;
    }

    /** Whether checking has stopped (the re-decision budget is spent). */
    boolean settled() {
        return decision.redecisions() >= MAX_REDECISIONS;
    }

    /** Whether the next call should be timed (counts the call). */
    boolean shouldTime() {
        if (settled() || redecide != null) {
            return false;
        }
        long c = calls.incrementAndGet();
        return (c >= 2 && c <= 6) || c % EVERY == 0;
    }

    /** Asks for a re-decision before the next call (unless the budget is spent). */
    void request(String why) {
        if (!settled()) {
            redecide = why;
        }
    }

    /** Why a re-decision is wanted, or null. */
    String redecision() {
        return redecide;
    }

    /**
     * Records a timed call.
     *
     * @param ms the call's time
     * @return why the shape should be re-decided, or null
     */
    synchronized String record(double ms) {
        if (redecide != null || settled()) {
            return redecide;
        }
        if (samples == 0) {
            load = meter.start();
        }
        window[samples++] = ms;
        if (samples < WINDOW) {
            return null;
        }
        samples = 0;
        double[] sorted = window.clone();
        Arrays.sort(sorted);
        double reference = decision.referenceMs();
        if (sorted[0] > SLOW * reference && !ConvDecider.busy(load.othersShare())) {
            redecide =
                    String.format(
                            Locale.ROOT,
                            "%s ran %.1fx slower than expected (%.3g ms, expected %.3g ms)",
                            decision.algorithm(),
                            sorted[0] / reference,
                            sorted[0],
                            reference);
        } else if (decision.source() == ConvDecision.Source.MEASURED
                && sorted[1] * (decision.contradicted() ? FAST_SUSPECT : FAST) < reference) {
            redecide =
                    String.format(
                            Locale.ROOT,
                            "%s ran %.1fx faster than measured (%.3g ms, measured %.3g ms): the"
                                    + " measurement was taken under load",
                            decision.algorithm(),
                            reference / sorted[1],
                            sorted[1],
                            reference);
        }
        return redecide;
    }
}
