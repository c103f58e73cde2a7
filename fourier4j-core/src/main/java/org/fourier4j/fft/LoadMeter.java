package org.fourier4j.fft;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * How much of the machine other processes used while something was timed. A measurement taken while
 * others kept the cores busy is not kept across processes (see {@link ConvDecider}): its floors may
 * all have fallen into the load.
 *
 * <p>{@link #system()} reads Linux's {@code /proc/stat} (all CPU time, steal included) and {@code
 * /proc/self/stat} (this process's), at the kernel's tick resolution (10 ms); elsewhere the share
 * is unknown (NaN) and only the other safeguards apply. Tests inject a scripted meter.
 */
@FunctionalInterface
interface LoadMeter {

    /** A meter that never knows. */
    LoadMeter NONE = () -> () -> Double.NaN;

    /** An interval being measured. */
    @FunctionalInterface
    interface Interval {
        /**
         * @return the share of the machine's CPU time, in [0, 1], that other processes used since
         *     the interval started, or NaN if unknown
         */
        double othersShare();
    }

    /**
     * @return a new interval starting now
     */
    Interval start();

    /**
     * @return the /proc meter on Linux, {@link #NONE} elsewhere or with {@code
     *     -Dfourier4j.autotune.loadMeter=false} (to exercise the other safeguards)
     */
    static LoadMeter system() {
        boolean off = "false".equalsIgnoreCase(System.getProperty("fourier4j.autotune.loadMeter"));
        return !off && ProcStat.available() ? ProcStat::start : NONE;
    }

    /** Linux's CPU time counters. */
    final class ProcStat {
        private static final Path STAT = Paths.get("/proc/stat");
        private static final Path SELF = Paths.get("/proc/self/stat");

        private ProcStat() {}

        static boolean available() {
            return read() != null;
        }

        static Interval start() {
            long[] before = read();
            return () -> {
                long[] after = read();
                if (before == null || after == null || after[1] <= before[1]) {
                    return Double.NaN;
                }
                double others = (after[0] - before[0]) - (after[2] - before[2]);
                return Math.max(0, Math.min(1, others / (after[1] - before[1])));
            };
        }

        /** {busy ticks of all CPUs, total ticks, this process's ticks}, or null. */
        static long[] read() {
            try {
                String cpu = Files.readAllLines(STAT, StandardCharsets.US_ASCII).get(0);
                String[] f = cpu.trim().split("\\s+");
                if (!f[0].equals("cpu") || f.length < 9) {
                    return null;
                }
                long busy = 0;
                long total = 0;
                for (int i = 1; i < Math.min(f.length, 9); i++) {
                    long v = Long.parseLong(f[i]);
                    total += v;
                    if (i != 4 && i != 5) { // idle and iowait
                        busy += v;
                    }
                }
                String self = Files.readString(SELF, StandardCharsets.US_ASCII);
                String[] s = self.substring(self.lastIndexOf(')') + 2).trim().split("\\s+");
                long mine = Long.parseLong(s[11]) + Long.parseLong(s[12]); // utime, stime
                return new long[] {busy, total, mine};
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }
    }
}
