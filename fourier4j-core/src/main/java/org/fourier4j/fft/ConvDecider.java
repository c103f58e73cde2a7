package org.fourier4j.fft;

import java.util.Locale;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The decision procedure of AUTO for one call shape, apart from where the predictions and timings
 * come from (so that tests can feed any load pattern).
 *
 * <ol>
 *   <li>The cost model decides alone only where it has been validated (see {@link ModelValidation})
 *       and its corrected predictions are more than {@value #CLEAR_MARGIN}x apart, and never a
 *       re-decision (a check in use has just found the decision wrong).
 *   <li>Otherwise both algorithms are timed warm and interleaved, and each is summarised by its
 *       floor ({@link FloorTiming}). The session stops early once both floors are stable and agree
 *       with the model's choice by more than {@value #CLEAR_MARGIN}x.
 *   <li>A second session is timed when the first one's floors are not stable, when other processes
 *       used more than {@value #BUSY} of the machine's CPU time during it ({@link LoadMeter}), or
 *       when it picks the other algorithm than the model with ratios more than {@value
 *       #CONTRADICTION}x apart: one burst of load during a session must not decide. The decision
 *       comes from the floors of both sessions together; it is persisted only if at least one
 *       session was free of others' load, no two such sessions picked different algorithms (each by
 *       more than {@value #TIE}x), and the floors are stable. Otherwise it is used in this process
 *       only.
 *   <li>A persisted decision that chose against the model is marked {@link
 *       ConvDecision#contradicted()}: {@link ConvAutoTuner} measures it once more in the next
 *       process that uses it (continuous load can outlast both sessions), and checks it in use more
 *       strictly.
 * </ol>
 */
final class ConvDecider {

    /** The model decides alone only this far apart, and only where validated. */
    static final double CLEAR_MARGIN = 3.0;

    /** A measurement choosing against the model by this factor is measured again. */
    static final double CONTRADICTION = 4.0;

    /** Floors closer than this are a tie: either choice is as good. */
    static final double TIE = 1.1;

    /** Above this predicted time for the faster algorithm, timing both is too costly. */
    static final double MAX_MEASURE_MS = 1500;

    /**
     * Warm-up of 2 calls per algorithm; at least 3 rounds; then until the floors are stable and 0.5
     * s have passed, or 1.5 s, or 60 rounds; calls under 2 ms repeated within a sample.
     */
    static final FloorTiming.Limits LIMITS = new FloorTiming.Limits(2, 3, 60, 500, 1500, 2);

    /** The cost model's times for a call. */
    record Prediction(double directMs, double fftMs, boolean validated) {

        ConvAlgorithm winner() {
            return ConvDecider.winner(directMs, fftMs);
        }

        double ratio() {
            return Math.max(directMs, fftMs) / Math.min(directMs, fftMs);
        }
    }

    /** A session during which other processes used more of the machine is under load. */
    static final double BUSY = 0.25;

    private final FloorTiming.Limits limits;
    private final LoadMeter meter;

    ConvDecider(FloorTiming.Limits limits, LoadMeter meter) {
        this.limits = limits;
        this.meter = meter;
    }

    /** Whether a share of the machine used by others means the session was under load. */
    static boolean busy(double othersShare) {
        return othersShare > BUSY; // NaN (unknown) is not busy: the other safeguards remain
    }

    /**
     * Decides one call shape.
     *
     * @param p the model's predictions
     * @param trials makes the candidates, only when they are timed (closed here)
     * @param measure false to decide from the model alone (not persisted)
     * @param redecisions how many times the shape has been re-decided (recorded)
     * @param reason why the shape is being decided (recorded)
     * @return the decision
     */
    ConvDecision decide(
            Prediction p, Supplier<Trial> trials, boolean measure, int redecisions, String reason) {
        if (!measure) {
            return fromModel(p, false, redecisions, reason + "; measuring disabled");
        }
        if (p.validated() && p.ratio() > CLEAR_MARGIN && redecisions == 0) {
            return fromModel(p, true, redecisions, reason + "; validated model");
        }
        if (Math.min(p.directMs(), p.fftMs()) > MAX_MEASURE_MS) {
            return fromModel(p, false, redecisions, reason + "; too slow to time both");
        }
        try (Trial trial = trials.get()) {
            return measured(p, trial, redecisions, reason);
        }
    }

    private ConvDecision measured(Prediction p, Trial trial, int redecisions, String reason) {
        ConvAlgorithm predicted = p.winner();
        Predicate<FloorTiming.Result> clearAndAgreed =
                r -> r.stable() && winner(r) == predicted && ratio(r) > CLEAR_MARGIN;
        LoadMeter.Interval load = meter.start();
        FloorTiming.Result first = trial.time(limits, clearAndAgreed);
        double firstLoad = load.othersShare();
        boolean contradicted = contradicts(p, first);
        boolean quietSeen = !busy(firstLoad);
        double worstLoad = firstLoad;
        FloorTiming.Result all = first;
        int sessions = 1;
        boolean conflict = false;
        if (contradicted || !first.stable() || busy(firstLoad)) {
            load = meter.start();
            FloorTiming.Result second = trial.time(limits, null);
            double secondLoad = load.othersShare();
            sessions = 2;
            all = first.merge(second);
            // sessions taken under others' load cannot outvote a quiet one
            conflict =
                    !busy(firstLoad)
                            && !busy(secondLoad)
                            && decisive(first)
                            && decisive(second)
                            && winner(first) != winner(second);
            quietSeen |= !busy(secondLoad);
            worstLoad = Math.min(firstLoad, secondLoad);
            contradicted = contradicts(p, all);
        }
        boolean persisted = quietSeen && !conflict && all.stable();
        ConvAlgorithm choice = winner(all);
        double floor = all.floor(choice == ConvAlgorithm.FFT ? Trial.FFT : Trial.DIRECT);
        String why = reason;
        if (!quietSeen) {
            why +=
                    String.format(
                            Locale.ROOT,
                            "; other processes used %.0f%% of the CPU meanwhile, not persisted",
                            100 * worstLoad);
        } else if (conflict) {
            why += "; sessions disagreed, not persisted";
        } else if (!all.stable()) {
            why += "; unstable floors, not persisted";
        } else if (contradicted) {
            why += "; against the model: measured again in the next process";
        }
        return new ConvDecision(
                choice,
                ConvDecision.Source.MEASURED,
                all.floor(Trial.DIRECT),
                all.floor(Trial.FFT),
                p.directMs(),
                p.fftMs(),
                trial.referenceMs(choice, floor),
                all.rounds(),
                sessions,
                persisted,
                contradicted,
                false,
                redecisions,
                why);
    }

    private static ConvDecision fromModel(
            Prediction p, boolean persisted, int redecisions, String reason) {
        ConvAlgorithm a = p.winner();
        return new ConvDecision(
                a,
                ConvDecision.Source.MODEL,
                p.directMs(),
                p.fftMs(),
                p.directMs(),
                p.fftMs(),
                a == ConvAlgorithm.FFT ? p.fftMs() : p.directMs(),
                0,
                0,
                persisted,
                false,
                false,
                redecisions,
                reason);
    }

    /**
     * Whether a measurement picks the other algorithm than the model with the two ratios (DIRECT
     * over FFT) more than {@link #CONTRADICTION} apart.
     */
    static boolean contradicts(Prediction p, FloorTiming.Result r) {
        if (winner(r) == p.winner()) {
            return false;
        }
        double predicted = p.directMs() / p.fftMs();
        double measured = r.floor(Trial.DIRECT) / r.floor(Trial.FFT);
        return Math.max(predicted / measured, measured / predicted) > CONTRADICTION;
    }

    static ConvAlgorithm winner(double directMs, double fftMs) {
        return fftMs < directMs ? ConvAlgorithm.FFT : ConvAlgorithm.DIRECT;
    }

    static ConvAlgorithm winner(FloorTiming.Result r) {
        return winner(r.floor(Trial.DIRECT), r.floor(Trial.FFT));
    }

    private static double ratio(FloorTiming.Result r) {
        double d = r.floor(Trial.DIRECT);
        double f = r.floor(Trial.FFT);
        return Math.max(d, f) / Math.min(d, f);
    }

    private static boolean decisive(FloorTiming.Result r) {
        return ratio(r) > TIE;
    }

    static String ms(double v) {
        return String.format(Locale.ROOT, "%.3g ms", v);
    }
}
