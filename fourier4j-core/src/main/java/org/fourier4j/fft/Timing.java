package org.fourier4j.fft;

import java.util.Arrays;

/** Side-by-side timing of alternatives: interleaved runs, medians. */
public final class Timing {

    private Timing() {}

    /**
     * How tasks are timed side by side: {@code warmup} untimed runs of each task, then rounds in
     * which every task runs once in turn (so drifting machine load hits all alike), at least {@code
     * minRounds} and at most {@code maxRounds}, no new round starting once the rounds have used
     * {@code budgetMs}. A task faster than {@code minSampleMs} runs several times back to back per
     * sample (the count is set from its fastest warm-up run, and one untimed run precedes them),
     * and the sample is the mean per run: sub-millisecond timings are otherwise dominated by timer
     * and scheduler noise. Warm-up rounds go on until {@code warmupMs} have passed too: code that
     * makes many engine calls from Java runs slower until the JIT has compiled it (the first 1-2 s
     * on two cores, where the compiler threads also take CPU from the engine's).
     *
     * @param warmup untimed runs per task (at least one is done when {@code minSampleMs > 0})
     * @param minRounds rounds always timed, whatever the budget
     * @param maxRounds maximum timed rounds
     * @param budgetMs time after which no new round starts once {@code minRounds} are done
     * @param minSampleMs the shortest sample worth timing, or 0
     * @param warmupMs the least time the warm-up rounds take, or 0
     */
    public record Rounds(
            int warmup,
            int minRounds,
            int maxRounds,
            double budgetMs,
            double minSampleMs,
            double warmupMs) {

        /** Checks the values. */
        public Rounds {
            if (warmup < 0
                    || minRounds < 1
                    || maxRounds < 1
                    || budgetMs < 0
                    || minSampleMs < 0
                    || warmupMs < 0) {
                throw new IllegalArgumentException("bad timing rounds: " + this);
            }
        }

        /**
         * @param warmup untimed runs per task
         * @param maxRounds maximum timed rounds
         * @return that many rounds at most, at least one, with no time budget
         */
        public static Rounds of(int warmup, int maxRounds) {
            return new Rounds(warmup, 1, maxRounds, Double.MAX_VALUE, 0, 0);
        }

        /**
         * @param rounds rounds always timed
         * @return these rounds with that minimum
         */
        public Rounds atLeast(int rounds) {
            return new Rounds(warmup, rounds, maxRounds, budgetMs, minSampleMs, warmupMs);
        }

        /**
         * @param ms time after which no new round starts (once the minimum is done)
         * @return these rounds with that budget
         */
        public Rounds budgetMs(double ms) {
            return new Rounds(warmup, minRounds, maxRounds, ms, minSampleMs, warmupMs);
        }

        /**
         * @param ms the shortest sample worth timing
         * @return these rounds with that sample length
         */
        public Rounds minSampleMs(double ms) {
            return new Rounds(warmup, minRounds, maxRounds, budgetMs, ms, warmupMs);
        }

        /**
         * @param ms the least time the warm-up rounds take (they go on past {@code warmup} runs
         *     until then)
         * @return these rounds with that warm-up time
         */
        public Rounds warmupMs(double ms) {
            return new Rounds(warmup, minRounds, maxRounds, budgetMs, minSampleMs, ms);
        }
    }

    /**
     * Times the tasks side by side as {@code rounds} says; rounds vary the order (see {@link
     * #position}), so no task mostly follows the same one.
     *
     * @param tasks the alternatives
     * @param rounds warm-up, rounds, budget and sample length
     * @return the median time per run of each task, ms
     */
    public static double[] interleavedMedians(Runnable[] tasks, Rounds rounds) {
        return interleaved(tasks, rounds).medians();
    }

    /**
     * Times the tasks as {@link #interleavedMedians} does and keeps every round's times, for paired
     * comparisons.
     *
     * @param tasks the alternatives
     * @param rounds warm-up, rounds, budget and sample length
     * @return the time per run of every task in every round
     */
    public static Samples interleaved(Runnable[] tasks, Rounds rounds) {
        return interleaved(tasks, rounds, System::nanoTime);
    }

    /** {@link #interleaved(Runnable[], Rounds)} on a given clock. */
    static Samples interleaved(Runnable[] tasks, Rounds plan, TimeSource clock) {
        int warmup = plan.warmup();
        int minRounds = plan.minRounds();
        double budgetMs = plan.budgetMs();
        double minSampleMs = plan.minSampleMs();
        int repeats = Math.max(plan.maxRounds(), minRounds);
        int[] runs = new int[tasks.length];
        Arrays.fill(runs, 1);
        int warm = minSampleMs > 0 ? Math.max(1, warmup) : warmup;
        double[] fastest = new double[tasks.length];
        Arrays.fill(fastest, Double.MAX_VALUE);
        long warmStart = clock.nanoTime();
        for (int w = 0; w < warm || (clock.nanoTime() - warmStart) / 1e6 < plan.warmupMs(); w++) {
            for (int i = 0; i < tasks.length; i++) {
                long t0 = clock.nanoTime();
                tasks[i].run();
                fastest[i] = Math.min(fastest[i], (clock.nanoTime() - t0) / 1e6);
            }
        }
        if (minSampleMs > 0) {
            // from the fastest warm-up run: one slow run must not halve a task's sample
            for (int i = 0; i < tasks.length; i++) {
                double ms = Math.max(fastest[i], 1e-3);
                runs[i] = (int) Math.max(1, Math.min(1000, Math.ceil(minSampleMs / ms)));
            }
        }
        double[][] times = new double[tasks.length][repeats];
        int rounds = 0;
        long start = clock.nanoTime();
        while (rounds < repeats) {
            for (int k = 0; k < tasks.length; k++) {
                int i = position(rounds, k, tasks.length);
                if (runs[i] > 1) {
                    // untimed: the first call after another task pays for its cold caches, and
                    // tasks amortise that over different numbers of runs; time them all warm
                    tasks[i].run();
                }
                long t0 = clock.nanoTime();
                for (int r = 0; r < runs[i]; r++) {
                    tasks[i].run();
                }
                times[i][rounds] = (clock.nanoTime() - t0) / 1e6 / runs[i];
            }
            rounds++;
            if (rounds >= minRounds && (clock.nanoTime() - start) / 1e6 > budgetMs) {
                break;
            }
        }
        return new Samples(times, rounds);
    }

    /** The per-round times of tasks timed side by side ({@link #interleaved}). */
    public static final class Samples {
        private final double[][] times;
        private final int rounds;

        Samples(double[][] times, int rounds) {
            this.times = times;
            this.rounds = rounds;
        }

        /**
         * @return the number of tasks timed
         */
        public int tasks() {
            return times.length;
        }

        /**
         * @return the number of rounds timed
         */
        public int rounds() {
            return rounds;
        }

        /**
         * @return each task's median time, ms
         */
        public double[] medians() {
            double[] medians = new double[times.length];
            for (int i = 0; i < times.length; i++) {
                medians[i] = median(Arrays.copyOf(times[i], rounds));
            }
            return medians;
        }

        /**
         * The median over rounds of task {@code a}'s time divided by task {@code b}'s time in the
         * same round. The two ran moments apart, so load that drifts between rounds cancels: on a
         * shared machine this paired estimate is far steadier than the ratio of two medians.
         *
         * @param a a task
         * @param b another task
         * @return the typical ratio a / b
         */
        public double pairedRatio(int a, int b) {
            double[] ratios = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                ratios[r] = times[a][r] / times[b][r];
            }
            return median(ratios);
        }
    }

    /**
     * The task run at place {@code k} of round {@code round}. A fixed order would always time a
     * task right after the same neighbour (one that leaves caches cold or the engine's thread pool
     * busy); a plain rotation still makes some task follow a given one in most rounds. Rounds
     * therefore alternate a rotation with its reverse: over each pair of rounds every task starts
     * once in each direction and follows each of its neighbours about equally often.
     */
    static int position(int round, int k, int n) {
        int start = (round / 2) % n;
        return round % 2 == 0 ? (start + k) % n : Math.floorMod(start - k, n);
    }

    /**
     * Returns the median of the values.
     *
     * @param values at least one value
     * @return the median
     */
    public static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    /**
     * Returns the p-quantile (nearest rank) of the values.
     *
     * @param values at least one value
     * @param p in [0, 1]
     * @return the quantile
     */
    public static double quantile(double[] values, double p) {
        double[] v = values.clone();
        Arrays.sort(v);
        int rank = (int) Math.ceil(p * v.length) - 1;
        return v[Math.min(v.length - 1, Math.max(0, rank))];
    }
}
