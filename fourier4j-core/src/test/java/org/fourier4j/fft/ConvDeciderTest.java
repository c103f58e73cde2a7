package org.fourier4j.fft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.fourier4j.fft.FakeLoad.Script;
import org.fourier4j.fft.FakeLoad.ScriptedTrial;
import org.junit.jupiter.api.Test;

/** The decision procedure on scripted timings (no engine, no real time). */
class ConvDeciderTest {

    private final FakeLoad.Clock clock = new FakeLoad.Clock();
    private final ConvDecider decider = new ConvDecider(ConvDecider.LIMITS, LoadMeter.NONE);

    private ConvDecision decide(ConvDecider.Prediction p, ScriptedTrial trial) {
        return decider.decide(p, () -> trial, true, 0, "test");
    }

    @Test
    void aBurstDuringTheFirstSessionIsMeasuredAgainAndNotPersisted() {
        // the stage 3: under load DIRECT 64 ms against FFT 112 ms; quiet 19.7 vs 1.5 ms.
        // The load covers the whole first session (0.9 s), then ends.
        Script load = Script.burst(Script.quiet(64, 112), 1000, Script.quiet(19.7, 1.5));
        ScriptedTrial trial = new ScriptedTrial(clock, load);
        ConvDecision d = decide(new ConvDecider.Prediction(20, 2, false), trial);
        assertEquals(2, trial.sessions, "a contradiction of the model is measured again");
        assertEquals(ConvAlgorithm.FFT, d.algorithm(), d.toString());
        assertFalse(d.persisted(), "sessions that disagree are not persisted: " + d);
        assertEquals(1.5, d.fftMs(), 1e-9);
    }

    @Test
    void loadOutlastingBothSessionsLeavesADecisionMarkedForConfirmation() {
        Script load = Script.burst(Script.quiet(64, 112), 60_000, Script.quiet(19.7, 1.5));
        ScriptedTrial trial = new ScriptedTrial(clock, load);
        ConvDecision d = decide(new ConvDecider.Prediction(20, 2, false), trial);
        assertEquals(2, trial.sessions);
        assertEquals(ConvAlgorithm.DIRECT, d.algorithm(), "both sessions were under load");
        assertTrue(d.contradicted() && !d.verified(), d.toString());
        assertEquals(64, d.referenceMs(), 1e-9);
    }

    @Test
    void aMeasurementWhileOtherProcessesLoadTheCpuIsNotPersisted() {
        // the load does not contradict the model here (it predicted a near tie), but the meter
        // sees other processes using 80% of the CPU during both sessions
        Script load = Script.burst(Script.quiet(64, 112), 60_000, Script.quiet(19.7, 1.5));
        ConvDecider seeing =
                new ConvDecider(ConvDecider.LIMITS, FakeLoad.meter(clock, 60_000, 0.8));
        ScriptedTrial trial = new ScriptedTrial(clock, load);
        ConvDecision d =
                seeing.decide(new ConvDecider.Prediction(10, 8, false), () -> trial, true, 0, "t");
        assertEquals(2, trial.sessions, "a loaded session is measured again");
        assertFalse(d.persisted(), d.toString());
        assertTrue(d.reason().contains("80% of the CPU"), d.reason());
    }

    @Test
    void aQuietSecondSessionOutweighsALoadedFirstOne() {
        // loaded until 1 s: the first session says DIRECT, the quiet second one FFT
        Script load = Script.burst(Script.quiet(64, 112), 1000, Script.quiet(19.7, 1.5));
        ConvDecider seeing = new ConvDecider(ConvDecider.LIMITS, FakeLoad.meter(clock, 1000, 0.9));
        ScriptedTrial trial = new ScriptedTrial(clock, load);
        ConvDecision d =
                seeing.decide(new ConvDecider.Prediction(10, 8, false), () -> trial, true, 0, "t");
        assertEquals(ConvAlgorithm.FFT, d.algorithm());
        assertTrue(d.persisted(), d.toString());
    }

    @Test
    void aContradictionConfirmedBySecondSessionIsBelievedAndMarked() {
        // the model is wrong (as across libtorch's direct depthwise cliff): both sessions agree
        ScriptedTrial trial = new ScriptedTrial(clock, Script.quiet(39, 3));
        ConvDecision d = decide(new ConvDecider.Prediction(4.8, 19.2, false), trial);
        assertEquals(2, trial.sessions);
        assertEquals(ConvAlgorithm.FFT, d.algorithm());
        assertTrue(d.persisted());
        assertTrue(d.contradicted());
        assertEquals(ConvDecision.Source.MEASURED, d.source());
        assertEquals(3, d.referenceMs(), 1e-9);
    }

    @Test
    void aClearMeasurementAgreeingWithTheModelStopsEarly() {
        ScriptedTrial trial = new ScriptedTrial(clock, Script.quiet(40, 4));
        ConvDecision d = decide(new ConvDecider.Prediction(30, 3, false), trial);
        assertEquals(1, trial.sessions);
        assertEquals(3, d.rounds(), "stable, clear and agreeing: the minimum rounds");
        assertEquals(ConvAlgorithm.FFT, d.algorithm());
        assertTrue(d.persisted());
        assertFalse(d.contradicted());
    }

    @Test
    void theUnvalidatedModelNeverDecidesAloneHoweverFarApart() {
        // the sweep: a model calibrated under load predicted DIRECT 4.8 ms against FFT
        // 19.2 ms (4x apart), which is beyond the old 3x margin; quiet, DIRECT takes 39 ms
        int before = ScriptedTrial.CREATED.get();
        ScriptedTrial trial = new ScriptedTrial(clock, Script.quiet(39, 3));
        ConvDecision d = decide(new ConvDecider.Prediction(4.8, 19.2, false), trial);
        assertEquals(ConvDecision.Source.MEASURED, d.source());
        assertEquals(ConvAlgorithm.FFT, d.algorithm());
        assertEquals(before + 1, ScriptedTrial.CREATED.get());
    }

    @Test
    void aValidatedModelDecidesClearCallsWithoutTiming() {
        boolean[] made = {false};
        ConvDecision d =
                decider.decide(
                        new ConvDecider.Prediction(40, 4, true),
                        () -> {
                            made[0] = true;
                            return new ScriptedTrial(clock, Script.quiet(40, 4));
                        },
                        true,
                        0,
                        "test");
        assertFalse(made[0], "nothing timed");
        assertEquals(ConvDecision.Source.MODEL, d.source());
        assertEquals(ConvAlgorithm.FFT, d.algorithm());
        assertTrue(d.persisted());
        assertEquals(4, d.referenceMs(), 1e-9);
        // a close call is measured even where validated
        ScriptedTrial trial = new ScriptedTrial(clock, Script.quiet(5, 4));
        assertEquals(
                ConvDecision.Source.MEASURED,
                decide(new ConvDecider.Prediction(5, 4, true), trial).source());
    }

    @Test
    void unstableFloorsAreMeasuredTwiceAndNotPersisted() {
        // every FFT sample differs by more than the stability band: the floor is never confirmed
        double[] next = {1};
        Script noisy = (a, t) -> a == ConvAlgorithm.DIRECT ? 10 : (next[0] *= 1.3);
        ScriptedTrial trial = new ScriptedTrial(clock, noisy);
        ConvDecision d = decide(new ConvDecider.Prediction(10, 5, false), trial);
        assertEquals(2, trial.sessions);
        assertFalse(d.persisted(), d.toString());
    }

    @Test
    void measuringDisabledFollowsTheModelWithoutPersisting() {
        ConvDecision d =
                decider.decide(
                        new ConvDecider.Prediction(4.8, 19.2, false),
                        () -> {
                            throw new AssertionError("nothing is timed");
                        },
                        false,
                        0,
                        "test");
        assertEquals(ConvAlgorithm.DIRECT, d.algorithm());
        assertFalse(d.persisted());
    }
}
