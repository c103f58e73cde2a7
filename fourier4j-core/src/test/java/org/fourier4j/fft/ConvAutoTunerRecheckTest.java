package org.fourier4j.fft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.function.Function;
import org.fourier4j.fft.FakeLoad.Script;
import org.fourier4j.fft.FakeLoad.ScriptedTrial;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tuner's decisions, checks in use, calibration and cache on scripted timings: the arrays are
 * real (for the call shapes) but nothing is timed; every time comes from {@link FakeLoad}.
 */
class ConvAutoTunerRecheckTest {

    /** A quiet machine's rates (of the order measured on the project's VM). */
    private static final CostModel TRUTH = new CostModel(2.9e7, 6.7e7, 1e6, 2e6, 0.05);

    @TempDir Path dir;

    private final FakeLoad.Clock clock = new FakeLoad.Clock();
    private final Deque<CostModel> calibrations = new ArrayDeque<>();
    private int calibrated;
    private int trials;
    private Function<ConvGeometry, Script> world = ConvAutoTunerRecheckTest::quiet;
    private LoadMeter meter = LoadMeter.NONE;
    private NDManager manager;
    private Path file;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
        file = dir.resolve("conv-autotune.properties");
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private static Script quiet(ConvGeometry g) {
        return Script.quiet(TRUTH.directMs(g), TRUTH.fftMs(g, true));
    }

    private ConvAutoTuner tuner(AutotuneStamp stamp) {
        return new ConvAutoTuner(
                true,
                new AutotuneStore(file, stamp),
                (parent, dt) -> {
                    calibrated++;
                    return new Calibration(
                            calibrations.size() > 1 ? calibrations.poll() : calibrations.peek(),
                            true);
                },
                call -> {
                    trials++;
                    return new ScriptedTrial(clock, world.apply(call.g()));
                },
                clock,
                meter,
                new ConvDecider(ConvDecider.LIMITS, meter));
    }

    private ConvAutoTuner tuner() {
        return tuner(AutotuneStoreTest.STAMP);
    }

    /** A depthwise 'same' convolution, 128 channels at 56x56 (the sweep preset's shape). */
    private final class Layer {
        final NDArray x = manager.zeros(new Shape(1, 128, 56, 56));
        final NDArray w;
        final ConvGeometry g;

        Layer(int k) {
            w = manager.zeros(new Shape(128, 1, k, k));
            g =
                    ConvGeometry.resolve(
                            2,
                            x,
                            w,
                            null,
                            ConvOptions.builder().groups(128).padding(Padding.same()).build());
        }

        ConvAutoTuner.Entry entry(ConvAutoTuner t) {
            return t.entry(new ConvCall(g, x, w, null, false, true, null));
        }

        /** One call in use that takes {@code ms} by algorithm; returns the decision it ran. */
        ConvDecision call(ConvAutoTuner t, Function<ConvAlgorithm, Double> ms) {
            ConvAutoTuner.Entry e = entry(t);
            t.run(
                    e,
                    () -> {
                        clock.advanceMs(ms.apply(e.decision.algorithm()));
                        return null;
                    });
            return e.decision;
        }
    }

    private static Map<String, String> stored(Path file, String keyPart) {
        Map<String, String> all = new AutotuneStore(file, AutotuneStoreTest.STAMP).load();
        for (Map.Entry<String, String> e : all.entrySet()) {
            if (e.getKey().startsWith(ConvAutoTuner.DECISION) && e.getKey().contains(keyPart)) {
                return AutotuneStore.fields(e.getValue());
            }
        }
        return null;
    }

    @Test
    void aModelDecisionRunningTenTimesSlowerIsRedecidedOnceAndThenStable() {
        calibrations.add(TRUTH);
        ConvAutoTuner t = tuner();
        // measurements agreeing with the model at 9 and 11 validate it in between
        assertEquals(ConvDecision.Source.MEASURED, new Layer(9).entry(t).decision.source());
        assertEquals(ConvDecision.Source.MEASURED, new Layer(11).entry(t).decision.source());
        Layer k10 = new Layer(10);
        ConvDecision first = k10.entry(t).decision;
        assertEquals(ConvDecision.Source.MODEL, first.source(), first.toString());
        assertEquals(ConvAlgorithm.DIRECT, first.algorithm());
        int before = trials;

        // in use DIRECT takes 10x its prediction (an engine switch the model cannot see)
        double directReally = first.directMs() * 10;
        double fft = TRUTH.fftMs(k10.g, true);
        world = g -> Script.quiet(directReally, fft);
        Function<ConvAlgorithm, Double> inUse = a -> a == ConvAlgorithm.FFT ? fft : directReally;
        for (int call = 0; call < 300; call++) {
            k10.call(t, inUse);
        }
        ConvDecision now = k10.entry(t).decision;
        assertEquals(ConvAlgorithm.FFT, now.algorithm(), now.toString());
        assertEquals(ConvDecision.Source.MEASURED, now.source(), "a re-decision measures");
        assertEquals(1, now.redecisions());
        assertTrue(now.reason().contains("slower than expected"), now.reason());
        assertEquals(before + 1, trials, "re-decided once, then stable");
        Map<String, String> f = stored(file, "k10x10");
        assertEquals("FFT", f.get("choice"));
        assertEquals("1", f.get("redecisions"));
    }

    @Test
    void aMeasurementUnderLoadThatTheMeterSeesIsNotPersisted() {
        calibrations.add(TRUTH);
        meter = FakeLoad.meter(clock, 60_000, 0.6);
        ConvAutoTuner t = tuner();
        Layer layer = new Layer(27);
        world = g -> Script.burst(Script.quiet(64, 112), 60_000, Script.quiet(19.7, 1.5));
        ConvDecision d = layer.entry(t).decision;
        assertFalse(d.persisted(), d.toString());
        assertNull(stored(file, "k27x27"));
        clock.advanceMs(60_000);
        ConvDecision quiet = layer.entry(tuner()).decision;
        assertEquals(ConvAlgorithm.FFT, quiet.algorithm(), "the next process decides again");
        assertTrue(quiet.persisted());
    }

    @Test
    void aMeasurementUnderLoadThatNoMeterSawIsCaughtInUseOnceTheMachineIsQuiet() {
        // the stage 3: load outlasts the sessions (DIRECT 64 ms, FFT 112 ms; quiet 19.7
        // and 1.5 ms), and nothing tells the tuner that the machine was busy
        calibrations.add(TRUTH);
        ConvAutoTuner t = tuner();
        Layer layer = new Layer(27);
        world = g -> Script.burst(Script.quiet(64, 112), 60_000, Script.quiet(19.7, 1.5));
        ConvDecision loaded = layer.entry(t).decision;
        assertEquals(ConvAlgorithm.DIRECT, loaded.algorithm());
        assertTrue(loaded.persisted(), loaded.toString());
        clock.advanceMs(60_000);

        // a later process on a quiet machine sees DIRECT run 3x faster than measured in use
        Function<ConvAlgorithm, Double> inUse = a -> a == ConvAlgorithm.FFT ? 1.5 : 19.7;
        ConvAutoTuner later = tuner();
        for (int call = 0; call < 10; call++) {
            layer.call(later, inUse);
        }
        ConvDecision redecided = layer.entry(later).decision;
        assertEquals(ConvAlgorithm.FFT, redecided.algorithm(), redecided.toString());
        assertTrue(redecided.reason().contains("faster than measured"), redecided.reason());
        assertEquals("FFT", stored(file, "k27x27").get("choice"));
    }

    @Test
    void aDecisionAgainstTheModelIsConfirmedByTheNextProcess() {
        // the model (calibrated quietly, cliff or not) says FFT 20x; continuous load makes both
        // sessions say DIRECT; the next process measures again before trusting it
        calibrations.add(new CostModel(2.9e7 / 20, 6.7e7, 1e6, 2e6, 0.05));
        ConvAutoTuner t = tuner();
        Layer layer = new Layer(27);
        world = g -> Script.burst(Script.quiet(64, 112), 60_000, Script.quiet(19.7, 1.5));
        ConvDecision loaded = layer.entry(t).decision;
        assertEquals(ConvAlgorithm.DIRECT, loaded.algorithm());
        assertTrue(loaded.contradicted() && loaded.persisted(), loaded.toString());
        clock.advanceMs(60_000);
        ConvDecision confirmed = layer.entry(tuner()).decision;
        assertEquals(ConvAlgorithm.FFT, confirmed.algorithm(), confirmed.toString());
        assertTrue(confirmed.reason().contains("confirming"), confirmed.reason());
        assertEquals("FFT", stored(file, "k27x27").get("choice"));
    }

    @Test
    void aBurstDuringTheFirstMeasurementIsOutweighedByAQuietSecondOne() {
        calibrations.add(TRUTH);
        meter = FakeLoad.meter(clock, 1000, 0.6);
        ConvAutoTuner t = tuner();
        Layer layer = new Layer(27);
        world = g -> Script.burst(Script.quiet(64, 112), 1000, Script.quiet(19.7, 1.5));
        ConvDecision d = layer.entry(t).decision;
        assertEquals(ConvAlgorithm.FFT, d.algorithm(), d.toString());
        assertEquals(2, d.sessions());
        assertTrue(d.persisted());
        assertEquals("FFT", stored(file, "k27x27").get("choice"));
    }

    @Test
    void callsSlowedByOtherProcessesAreNotAReasonToRedecide() {
        calibrations.add(TRUTH);
        ConvAutoTuner t = tuner();
        Layer layer = new Layer(19);
        ConvDecision d = layer.entry(t).decision;
        // from now on others keep the machine busy and every call takes 10x longer
        meter = FakeLoad.meter(clock, Double.MAX_VALUE, 0.9);
        ConvAutoTuner loaded = tuner();
        double slow = 10 * d.referenceMs();
        for (int call = 0; call < 500; call++) {
            layer.call(loaded, a -> slow);
        }
        assertEquals(0, layer.entry(loaded).decision.redecisions(), "the machine is slow");
        assertNull(layer.entry(loaded).check.redecision());
    }

    @Test
    void flappingTimingsAreRedecidedWithinTheBudgetThenLeftAlone() {
        calibrations.add(TRUTH);
        ConvAutoTuner t = tuner();
        Layer layer = new Layer(19);
        // each measurement says the opposite of the last, and whatever runs is 10x slower
        int[] flips = {0};
        world = g -> (flips[0]++ % 2 == 0) ? Script.quiet(2, 20) : Script.quiet(20, 2);
        Function<ConvAlgorithm, Double> inUse = a -> 200.0;
        for (int call = 0; call < 2000; call++) {
            layer.call(t, inUse);
        }
        ConvDecision d = layer.entry(t).decision;
        assertEquals(UsageCheck.MAX_REDECISIONS, d.redecisions(), d.toString());
        assertEquals(1 + UsageCheck.MAX_REDECISIONS, trials);
        assertFalse(layer.entry(t).check.shouldTime(), "settled: no longer timed");
    }

    @Test
    void aCalibrationUnderUniformLoadIsCorrectedByMeasurements() {
        // every rate measured 3x too slow: predictions 3x too high, ratios right
        calibrations.add(new CostModel(2.9e7 / 3, 6.7e7 / 3, 1e6 / 3, 2e6 / 3, 0.15));
        ConvAutoTuner t = tuner();
        new Layer(9).entry(t);
        new Layer(11).entry(t);
        ConvDecision d = new Layer(10).entry(t).decision;
        assertEquals(ConvDecision.Source.MODEL, d.source());
        double truth = TRUTH.directMs(new Layer(10).g);
        assertEquals(truth, d.predictedDirectMs(), 0.05 * truth, "corrected by the points");
        assertEquals(1, calibrated, "a uniform error is corrected, not recalibrated");
    }

    @Test
    void aCalibrationContradictedTwiceIsRedoneOncePerProcess() {
        // FFT's rates measured 6x too slow (a burst during the transform's rounds), then quiet
        calibrations.add(new CostModel(2.9e7, 6.7e7, 1e6 / 6, 2e6 / 6, 0.05));
        calibrations.add(TRUTH);
        ConvAutoTuner t = tuner();
        new Layer(9).entry(t);
        assertEquals(1, calibrated);
        new Layer(11).entry(t);
        assertEquals(2, calibrated, "two contradictions: recalibrated");
        new Layer(13).entry(t);
        world = g -> Script.quiet(TRUTH.directMs(g), TRUTH.fftMs(g, true) / 6);
        new Layer(7).entry(t);
        new Layer(5).entry(t);
        assertEquals(2, calibrated, "at most once per process");
        ConvDecision d = new Layer(12).entry(t).decision;
        assertEquals(TRUTH.fftMs(new Layer(12).g, true), d.predictedFftMs(), 1e-9);
    }

    @Test
    void theModelMeasuresAcrossTheDirectDepthwiseCliff() {
        // libtorch: direct depthwise 10-25x slower per multiply-add from kernel 15 on
        calibrations.add(TRUTH);
        world =
                g -> {
                    double cliff = ModelValidation.extent(g) >= 15 ? 20 : 1;
                    return Script.quiet(TRUTH.directMs(g) * cliff, TRUTH.fftMs(g, true));
                };
        ConvAutoTuner t = tuner();
        new Layer(13).entry(t);
        new Layer(15).entry(t);
        int before = trials;
        ConvDecision d = new Layer(14).entry(t).decision;
        assertEquals(ConvDecision.Source.MEASURED, d.source(), "points at 13 and 15 disagree");
        assertEquals(before + 1, trials);
    }

    @Test
    void decisionsOfAnotherVersionAreDecidedAgain() {
        calibrations.add(TRUTH);
        Layer layer = new Layer(9);
        layer.entry(tuner());
        assertNotNull(tuner().cached(layer.g, false));
        AutotuneStamp upgraded =
                new AutotuneStamp("2.0-test", AutotuneStoreTest.STAMP.engine, "cpu x2");
        ConvAutoTuner t = tuner(upgraded);
        assertNull(t.cached(layer.g, false));
        int before = trials;
        assertEquals(ConvDecision.Source.MEASURED, layer.entry(t).decision.source());
        assertEquals(before + 1, trials);
    }
}
