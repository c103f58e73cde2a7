package org.fourier4j.fft;

/**
 * A monotonic clock in nanoseconds. {@link #SYSTEM} reads {@link System#nanoTime()}; tests inject a
 * clock that their fake workloads advance, so the timing logic can be fed any load pattern.
 */
@FunctionalInterface
interface TimeSource {

    /** The JVM's monotonic clock. */
    TimeSource SYSTEM = System::nanoTime;

    /**
     * @return the current time, ns (only differences are meaningful)
     */
    long nanoTime();
}
