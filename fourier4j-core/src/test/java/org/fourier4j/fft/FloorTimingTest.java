package org.fourier4j.fft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FloorTimingTest {

    private static final FloorTiming.Limits LIMITS = new FloorTiming.Limits(2, 3, 60, 500, 2500, 2);

    private static Runnable[] tasks(FakeLoad.Clock clock, FakeLoad.Script script) {
        FakeLoad.ScriptedTrial t = new FakeLoad.ScriptedTrial(clock, script);
        return new Runnable[] {t.task(ConvAlgorithm.DIRECT), t.task(ConvAlgorithm.FFT)};
    }

    @Test
    void floorsAreTheQuietTimesWhenABurstCoversMostRounds() {
        // FFT runs 40x slower during the first 400 ms, DIRECT 3x slower: medians would pick
        // DIRECT, the floors see the quiet times once the burst is over
        FakeLoad.Clock clock = new FakeLoad.Clock();
        FakeLoad.Script s =
                FakeLoad.Script.burst(
                        FakeLoad.Script.quiet(60, 80), 400, FakeLoad.Script.quiet(20, 2));
        FloorTiming.Result r = FloorTiming.run(tasks(clock, s), LIMITS, clock, null);
        assertEquals(20, r.floor(0), 1e-9);
        assertEquals(2, r.floor(1), 1e-9);
        assertTrue(r.stable());
        assertTrue(r.spanMs() >= 500, "rounds spread over the minimum span: " + r.spanMs());
    }

    @Test
    void aFloorSeenOnceIsUnstableAndRoundsGoOnUntilTheMaximumSpan() {
        // one fast FFT sample, all others slow: the floor is not confirmed
        FakeLoad.Clock clock = new FakeLoad.Clock();
        int[] calls = {0};
        FakeLoad.Script s = (a, t) -> a == ConvAlgorithm.DIRECT ? 10 : (++calls[0] == 9 ? 1 : 30);
        FloorTiming.Result r = FloorTiming.run(tasks(clock, s), LIMITS, clock, null);
        assertEquals(1, r.floor(1), 1e-9);
        assertFalse(r.stable(1));
        assertTrue(r.stable(0));
        assertTrue(
                r.spanMs() >= 2500 || r.rounds() == 60,
                "went on to the maximum span or rounds: " + r);
    }

    @Test
    void anEarlyStopEndsAfterTheMinimumRounds() {
        FakeLoad.Clock clock = new FakeLoad.Clock();
        FloorTiming.Result r =
                FloorTiming.run(
                        tasks(clock, FakeLoad.Script.quiet(50, 5)), LIMITS, clock, x -> true);
        assertEquals(3, r.rounds());
    }

    @Test
    void shortCallsAreRepeatedWithinASampleAndMergingKeepsAllRounds() {
        FakeLoad.Clock clock = new FakeLoad.Clock();
        int[] count = {0};
        Runnable fast =
                () -> {
                    count[0]++;
                    clock.advanceMs(0.5);
                };
        FloorTiming.Result r =
                FloorTiming.run(
                        new Runnable[] {fast},
                        new FloorTiming.Limits(1, 4, 4, 0, 1e9, 2),
                        clock,
                        null);
        // 1 warm-up, then per round one untimed call and 4 timed ones (2 ms / 0.5 ms)
        assertEquals(1 + 4 * 5, count[0]);
        assertEquals(0.5, r.floor(0), 1e-9);
        assertEquals(8, r.merge(r).rounds());
    }
}
