package org.fourier4j.fft;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        double[] medians = Timing.interleavedMedians(tasks, 0, 3, Double.MAX_VALUE);
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
        Timing.interleavedMedians(new Runnable[] {task}, 0, 4, 10, 0, 0);
        assertEquals(4, count[0], "a spent budget still runs the minimum rounds");
        count[0] = 0;
        Timing.interleavedMedians(new Runnable[] {task}, 0, 4, 10, Double.MAX_VALUE, 0);
        assertEquals(10, count[0], "within the budget rounds go on to the maximum");
    }

    @Test
    void mediansBelongToTheirOwnTasks() {
        Runnable fast = () -> {};
        Runnable slow =
                () -> {
                    long end = System.nanoTime() + 3_000_000;
                    while (System.nanoTime() < end) {
                        Thread.onSpinWait();
                    }
                };
        double[] medians =
                Timing.interleavedMedians(new Runnable[] {slow, fast}, 1, 5, Double.MAX_VALUE);
        assertTrue(medians[0] >= 2.9, "slow task: " + medians[0]);
        assertTrue(medians[1] < 1, "fast task: " + medians[1]);
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
        Runnable spin =
                () -> {
                    long end = System.nanoTime() + 1_000_000;
                    while (System.nanoTime() < end) {
                        Thread.onSpinWait();
                    }
                };
        Timing.Samples s =
                Timing.interleaved(new Runnable[] {spin, spin}, 1, 4, 4, Double.MAX_VALUE, 0);
        assertEquals(4, s.rounds());
        assertTrue(s.pairedRatio(0, 1) > 0.5 && s.pairedRatio(0, 1) < 2, "same task");
    }

    private static void spin(double ms) {
        long end = System.nanoTime() + (long) (ms * 1e6);
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    @Test
    void aColdFirstCallIsNotChargedToTheSample() {
        // "cold" pays 3 ms whenever the other task ran last, then 0.2 ms per call: timed warm
        // (one untimed call per sample) it takes 0.2 ms; charged the cold call over its 3 runs
        // per sample (8 ms / 3.2 ms, rounded up) it would read (3.2 + 0.2 + 0.2) / 3 = 1.2 ms
        int[] last = {-1};
        Runnable cold =
                () -> {
                    spin(last[0] == 0 ? 0.2 : 3.2);
                    last[0] = 0;
                };
        Runnable plain =
                () -> {
                    spin(0.2);
                    last[0] = 1;
                };
        double[] m = Timing.interleavedMedians(new Runnable[] {cold, plain}, 2, 5, 5, 1e9, 8);
        assertTrue(m[0] < 0.8, "cold task timed warm: " + m[0] + " ms");
        assertTrue(m[1] < 0.8, "plain task: " + m[1] + " ms");
    }

    @Test
    void medianAndQuantile() {
        assertEquals(2.0, Timing.median(new double[] {3, 1, 2}));
        assertEquals(2.5, Timing.median(new double[] {4, 1, 2, 3}));
        assertEquals(4.0, Timing.quantile(new double[] {4, 1, 2, 3}, 0.9));
        assertEquals(1.0, Timing.quantile(new double[] {4, 1, 2, 3}, 0.0));
    }
}
