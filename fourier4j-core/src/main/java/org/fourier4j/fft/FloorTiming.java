package org.fourier4j.fft;

import java.util.Arrays;
import java.util.function.Predicate;

/**
 * Times alternatives for a decision that will be kept: warm, interleaved, spread over time, and
 * summarised by each task's <em>floor</em> (its fastest sample) rather than a median.
 *
 * <p>Load from other processes only ever adds time, and in bursts: a median of a few rounds taken
 * during a burst is the burst's time (on two cores with two busy neighbours, libtorch's FFT path,
 * many short parallel regions, ran 40-75x slower while one direct convolution ran 3x slower), while
 * the fastest sample of rounds spread over half a second or more is the machine's quiet time as
 * soon as one sample fell between bursts. A floor seen only once may be a fluke of the clock, so a
 * task's floor counts as <em>stable</em> when at least {@value #STABLE_COUNT} samples lie within
 * {@value #STABLE_WITHIN}x of it; rounds go on (within the limits) until every floor is stable and
 * the minimum span has passed.
 *
 * <p>Rounds alternate a rotation of the tasks and its reverse ({@link Timing#position}); calls
 * shorter than {@code minSampleMs} are repeated back to back within a sample after one untimed
 * call, as in {@link Timing}.
 */
final class FloorTiming {

    /** A floor is stable when this many samples lie within {@link #STABLE_WITHIN} of it. */
    static final int STABLE_COUNT = 2;

    static final double STABLE_WITHIN = 1.25;

    private FloorTiming() {}

    /** How long to time. */
    static final class Limits {
        final int warmup;
        final int minRounds;
        final int maxRounds;
        final double minSpanMs;
        final double maxSpanMs;
        final double minSampleMs;

        /**
         * @param warmup untimed calls per task before the rounds (first calls build plans, kernel
         *     spectra and engine primitives)
         * @param minRounds rounds always timed
         * @param maxRounds rounds never exceeded
         * @param minSpanMs rounds go on at least this long (unless an early stop says enough)
         * @param maxSpanMs no round starts after this long once {@code minRounds} are done
         * @param minSampleMs shorter calls are repeated within a sample
         */
        Limits(
                int warmup,
                int minRounds,
                int maxRounds,
                double minSpanMs,
                double maxSpanMs,
                double minSampleMs) {
            this.warmup = warmup;
            this.minRounds = Math.max(1, minRounds);
            this.maxRounds = Math.max(this.minRounds, maxRounds);
            this.minSpanMs = minSpanMs;
            this.maxSpanMs = maxSpanMs;
            this.minSampleMs = minSampleMs;
        }
    }

    /** Every sample of every task. */
    static final class Result {
        private final double[][] times;
        private final int rounds;
        private final double spanMs;

        Result(double[][] times, int rounds, double spanMs) {
            this.times = times;
            this.rounds = rounds;
            this.spanMs = spanMs;
        }

        int rounds() {
            return rounds;
        }

        double spanMs() {
            return spanMs;
        }

        /** The fastest sample of task {@code i}, ms. */
        double floor(int i) {
            double min = Double.MAX_VALUE;
            for (int r = 0; r < rounds; r++) {
                min = Math.min(min, times[i][r]);
            }
            return min;
        }

        /** Whether task {@code i}'s floor was seen more than once. */
        boolean stable(int i) {
            double limit = floor(i) * STABLE_WITHIN;
            int near = 0;
            for (int r = 0; r < rounds; r++) {
                if (times[i][r] <= limit) {
                    near++;
                }
            }
            return near >= Math.min(STABLE_COUNT, rounds);
        }

        /** Whether every task's floor is stable. */
        boolean stable() {
            for (int i = 0; i < times.length; i++) {
                if (!stable(i)) {
                    return false;
                }
            }
            return true;
        }

        /** The samples of both results together (same tasks). */
        Result merge(Result other) {
            double[][] all = new double[times.length][];
            for (int i = 0; i < times.length; i++) {
                all[i] = new double[rounds + other.rounds];
                System.arraycopy(times[i], 0, all[i], 0, rounds);
                System.arraycopy(other.times[i], 0, all[i], rounds, other.rounds);
            }
            return new Result(all, rounds + other.rounds, spanMs + other.spanMs);
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < times.length; i++) {
                sb.append(i == 0 ? "" : ", ")
                        .append(String.format(java.util.Locale.ROOT, "%.3f", floor(i)))
                        .append(stable(i) ? "" : " (unstable)");
            }
            return "floors [" + sb + "] over " + rounds + " rounds";
        }
    }

    /**
     * Times the tasks.
     *
     * @param tasks the alternatives
     * @param limits how long
     * @param clock the clock
     * @param enough checked after every round once the minimum rounds are done: true stops early
     *     (may be null)
     * @return every sample
     */
    static Result run(Runnable[] tasks, Limits limits, TimeSource clock, Predicate<Result> enough) {
        int n = tasks.length;
        int[] runs = new int[n];
        Arrays.fill(runs, 1);
        int warm = limits.minSampleMs > 0 ? Math.max(1, limits.warmup) : limits.warmup;
        double[] fastest = new double[n];
        Arrays.fill(fastest, Double.MAX_VALUE);
        for (int w = 0; w < warm; w++) {
            for (int i = 0; i < n; i++) {
                long t0 = clock.nanoTime();
                tasks[i].run();
                fastest[i] = Math.min(fastest[i], (clock.nanoTime() - t0) / 1e6);
            }
        }
        if (limits.minSampleMs > 0) {
            for (int i = 0; i < n; i++) {
                double ms = Math.max(fastest[i], 1e-3);
                runs[i] = (int) Math.max(1, Math.min(1000, Math.ceil(limits.minSampleMs / ms)));
            }
        }
        double[][] times = new double[n][limits.maxRounds];
        long start = clock.nanoTime();
        int rounds = 0;
        while (true) {
            for (int k = 0; k < n; k++) {
                int i = Timing.position(rounds, k, n);
                if (runs[i] > 1) {
                    tasks[i].run(); // untimed: the first call after another task is cold
                }
                long t0 = clock.nanoTime();
                for (int r = 0; r < runs[i]; r++) {
                    tasks[i].run();
                }
                times[i][rounds] = (clock.nanoTime() - t0) / 1e6 / runs[i];
            }
            rounds++;
            double span = (clock.nanoTime() - start) / 1e6;
            if (rounds >= limits.maxRounds) {
                return new Result(times, rounds, span);
            }
            if (rounds < limits.minRounds) {
                continue;
            }
            Result sofar = new Result(times, rounds, span);
            if (span >= limits.maxSpanMs
                    || (enough != null && enough.test(sofar))
                    || (span >= limits.minSpanMs && sofar.stable())) {
                return sofar;
            }
        }
    }
}
