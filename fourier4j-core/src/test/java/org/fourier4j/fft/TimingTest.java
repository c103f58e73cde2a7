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
    void medianAndQuantile() {
        assertEquals(2.0, Timing.median(new double[] {3, 1, 2}));
        assertEquals(2.5, Timing.median(new double[] {4, 1, 2, 3}));
        assertEquals(4.0, Timing.quantile(new double[] {4, 1, 2, 3}, 0.9));
        assertEquals(1.0, Timing.quantile(new double[] {4, 1, 2, 3}, 0.0));
    }
}
