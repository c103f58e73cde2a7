package org.fourier4j.fft;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake clock and scripted convolution times, so AUTO's timing logic can be fed any load pattern
 * without timing anything: a task "runs" by advancing the clock by the time the script gives for
 * that algorithm at that moment.
 */
final class FakeLoad {

    private FakeLoad() {}

    /** A clock that only moves when a fake task runs. */
    static final class Clock implements TimeSource {
        private long nanos;

        @Override
        public long nanoTime() {
            return nanos;
        }

        void advanceMs(double ms) {
            nanos += (long) (ms * 1e6);
        }

        double nowMs() {
            return nanos / 1e6;
        }
    }

    /** The time of one call of an algorithm at a moment of the fake clock. */
    @FunctionalInterface
    interface Script {
        double ms(ConvAlgorithm algorithm, double nowMs);

        /** Quiet: fixed times. */
        static Script quiet(double directMs, double fftMs) {
            return (a, t) -> a == ConvAlgorithm.FFT ? fftMs : directMs;
        }

        /** {@code during} until the clock reaches {@code untilMs}, then {@code after}. */
        static Script burst(Script during, double untilMs, Script after) {
            return (a, t) -> t < untilMs ? during.ms(a, t) : after.ms(a, t);
        }
    }

    /**
     * A load meter that sees other processes use {@code share} of the machine until the clock
     * reaches {@code untilMs}, and nothing after.
     */
    static LoadMeter meter(Clock clock, double untilMs, double share) {
        return () -> {
            double t0 = clock.nowMs();
            return () -> {
                double t1 = clock.nowMs();
                if (t1 <= t0) {
                    return Double.NaN;
                }
                double loaded = Math.max(0, Math.min(t1, untilMs) - t0);
                return share * loaded / (t1 - t0);
            };
        };
    }

    /** DIRECT and FFT as the script says; counts how many trials were made. */
    static final class ScriptedTrial implements Trial {
        static final AtomicInteger CREATED = new AtomicInteger();

        private final Clock clock;
        private final Script script;
        int sessions;

        ScriptedTrial(Clock clock, Script script) {
            this.clock = clock;
            this.script = script;
            CREATED.incrementAndGet();
        }

        Runnable task(ConvAlgorithm a) {
            return () -> clock.advanceMs(script.ms(a, clock.nowMs()));
        }

        @Override
        public FloorTiming.Result time(
                FloorTiming.Limits limits,
                java.util.function.Predicate<FloorTiming.Result> enough) {
            sessions++;
            return FloorTiming.run(
                    new Runnable[] {task(ConvAlgorithm.DIRECT), task(ConvAlgorithm.FFT)},
                    limits,
                    clock,
                    enough);
        }

        @Override
        public double referenceMs(ConvAlgorithm chosen, double measuredFloorMs) {
            return measuredFloorMs;
        }

        @Override
        public void close() {}
    }
}
