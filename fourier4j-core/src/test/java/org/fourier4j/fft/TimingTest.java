package org.fourier4j.fft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimingTest {

    @Test
    void roundsAlternateARotationAndItsReverse() {
        List<Integer> order = new ArrayList<>();
        Runnable[] tasks = new Runnable[3];
        for (int i = 0; i < tasks.length; i++) {
            int id = i;
            tasks[i] = () -> order.add(id);
        }
        double[] medians = Timing.interleavedMedians(tasks, Timing.Rounds.of(0, 3));
        assertEquals(3, medians.length);
        assertEquals(List.of(0, 1, 2, 0, 2, 1, 1, 2, 0), order);
    }

    @Test
    void overSixRoundsEachTaskFollowsBothOthersAlike() {
        int n = 3;
        int[][] follows = new int[n][n];
        int previous = -1;
        for (int round = 0; round < 2 * n; round++) {
            for (int k = 0; k < n; k++) {
                int i = Timing.position(round, k, n);
                if (previous >= 0 && previous != i) {
                    follows[i][previous]++;
                }
                previous = i;
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i != j) {
                    assertTrue(
                            follows[i][j] >= 2 && follows[i][j] <= 3,
                            "task " + i + " followed task " + j + " " + follows[i][j] + " times");
                }
            }
        }
    }

    @Test
    void minimumRoundsRunWhateverTheBudgetAndExtraRoundsOnlyWithinIt() {
        int[] count = new int[1];
        Runnable task = () -> count[0]++;
        Timing.interleavedMedians(
                new Runnable[] {task}, Timing.Rounds.of(0, 10).atLeast(4).budgetMs(0));
        assertEquals(4, count[0], "a spent budget still runs the minimum rounds");
        count[0] = 0;
        Timing.interleavedMedians(new Runnable[] {task}, Timing.Rounds.of(0, 10).atLeast(4));
        assertEquals(10, count[0], "within the budget rounds go on to the maximum");
    }

    /** Tasks "run" by advancing a fake clock: no real time in these tests. */
    private final FakeLoad.Clock clock = new FakeLoad.Clock();

    private Runnable takes(double ms) {
        return () -> clock.advanceMs(ms);
    }

    @Test
    void mediansBelongToTheirOwnTasks() {
        double[] medians =
                Timing.interleaved(
                                new Runnable[] {takes(3), takes(0.01)},
                                Timing.Rounds.of(1, 5).atLeast(5),
                                clock)
                        .medians();
        assertEquals(3, medians[0], 1e-9);
        assertEquals(0.01, medians[1], 1e-9);
    }

    @Test
    void pairedRatiosCancelLoadThatDriftsBetweenRounds() {
        // b is 5% slower than a in every round while the machine's load swings tenfold
        double[][] times = {
            {1, 10, 100, 2, 50}, {1.05, 10.5, 105, 2.1, 52.5}, {3, 30, 300, 6, 150}
        };
        Timing.Samples s = new Timing.Samples(times, 5);
        assertEquals(1.05, s.pairedRatio(1, 0), 1e-12);
        assertEquals(3.0, s.pairedRatio(2, 0), 1e-12);
        assertEquals(10.5, s.medians()[1], 1e-12);
        // only the rounds timed count
        assertEquals(1.05, new Timing.Samples(times, 2).pairedRatio(1, 0), 1e-12);
        assertEquals(5.5, new Timing.Samples(times, 2).medians()[0], 1e-12);
    }

    @Test
    void interleavedKeepsEveryRound() {
        Timing.Samples s =
                Timing.interleaved(
                        new Runnable[] {takes(1), takes(1)},
                        Timing.Rounds.of(1, 4).atLeast(4),
                        clock);
        assertEquals(4, s.rounds());
        assertEquals(1.0, s.pairedRatio(0, 1), 1e-9, "same task");
    }

    @Test
    void aColdFirstCallIsNotChargedToTheSample() {
        // "cold" pays 3 ms whenever the other task ran last, then 0.2 ms per call: timed warm
        // (one untimed call per sample) it takes 0.2 ms; charged the cold call over its 3 runs
        // per sample (8 ms / 3.2 ms, rounded up) it would read (3.2 + 0.2 + 0.2) / 3 = 1.2 ms
        int[] last = {-1};
        Runnable cold =
                () -> {
                    clock.advanceMs(last[0] == 0 ? 0.2 : 3.2);
                    last[0] = 0;
                };
        Runnable plain =
                () -> {
                    clock.advanceMs(0.2);
                    last[0] = 1;
                };
        double[] m =
                Timing.interleaved(
                                new Runnable[] {cold, plain},
                                Timing.Rounds.of(2, 5).atLeast(5).minSampleMs(8),
                                clock)
                        .medians();
        assertEquals(0.2, m[0], 1e-9, "cold task timed warm");
        assertEquals(0.2, m[1], 1e-9, "plain task");
    }

    @Test
    void medianAndQuantile() {
        assertEquals(2.0, Timing.median(new double[] {3, 1, 2}));
        assertEquals(2.5, Timing.median(new double[] {4, 1, 2, 3}));
        assertEquals(4.0, Timing.quantile(new double[] {4, 1, 2, 3}, 0.9));
        assertEquals(1.0, Timing.quantile(new double[] {4, 1, 2, 3}, 0.0));
    }

    @Test
    void warmUpGoesOnUntilItsTimeHasPassed() {
        int[] runs = new int[1];
        Runnable task =
                () -> {
                    runs[0]++;
                    clock.advanceMs(10);
                };
        Timing.interleaved(
                new Runnable[] {task}, Timing.Rounds.of(2, 3).warmupMs(95), clock::nanoTime);
        assertEquals(10 + 3, runs[0], "ten 10 ms warm-up runs reach 95 ms, then three rounds");
        runs[0] = 0;
        Timing.interleaved(
                new Runnable[] {task}, Timing.Rounds.of(5, 3).warmupMs(15), clock::nanoTime);
        assertEquals(5 + 3, runs[0], "the warm-up count is still the least");
    }

    @Test
    void roundsRefuseImpossibleValues() {
        assertThrows(IllegalArgumentException.class, () -> Timing.Rounds.of(-1, 3));
        assertThrows(IllegalArgumentException.class, () -> Timing.Rounds.of(0, 0));
        assertThrows(IllegalArgumentException.class, () -> Timing.Rounds.of(0, 3).budgetMs(-1));
        assertThrows(IllegalArgumentException.class, () -> Timing.Rounds.of(0, 3).warmupMs(-1));
    }
}
