package org.fourier4j.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Samples the process's memory during a soak: resident set size (VmRSS of {@code
 * /proc/self/status}: the JVM heap, its own structures and the native memory of the PyTorch engine)
 * and the live Java heap (after a collection), with the step or call count at which each was taken.
 */
public final class MemorySampler {

    /**
     * One sample.
     *
     * @param phase "train" or "infer"
     * @param count steps or calls done when it was taken
     * @param rssMb resident set size, MiB (NaN where /proc is missing)
     * @param heapMb Java heap in use after a collection, MiB
     * @param seconds since the phase began
     */
    public record Sample(String phase, long count, double rssMb, double heapMb, double seconds) {}

    private final List<Sample> samples = new ArrayList<>();
    private final long start = System.nanoTime();
    private final PrintStream log;

    /**
     * @param log where each sample is also printed as it is taken, or null
     */
    public MemorySampler(PrintStream log) {
        this.log = log;
    }

    /**
     * Takes a sample.
     *
     * @param phase the phase
     * @param count steps or calls done
     */
    public void sample(String phase, long count) {
        System.gc(); // the heap figure is then the live heap, not garbage awaiting collection
        double heap =
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0;
        Sample s = new Sample(phase, count, rssMb(), heap, (System.nanoTime() - start) / 1e9);
        samples.add(s);
        if (log != null) { // a long soak's curve survives an interrupted run
            log.printf(
                    Locale.ROOT,
                    "memory: %s %d: rss %.1f MiB, heap %.1f MiB, %.0f s%n",
                    phase,
                    count,
                    s.rssMb(),
                    s.heapMb(),
                    s.seconds());
        }
    }

    /**
     * @return the samples in order
     */
    public List<Sample> samples() {
        return samples;
    }

    /**
     * The resident set size of this process.
     *
     * @return MiB, or NaN where {@code /proc/self/status} does not exist
     */
    public static double rssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    String kb = line.substring(6).strip().split("\\s+")[0];
                    return Long.parseLong(kb) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return Double.NaN;
    }

    /**
     * Growth of resident memory in a phase after warm-up: the last sample's RSS over the RSS of the
     * first sample taken at or after {@code warmup} of the phase's count, minus one.
     *
     * @param samples samples of one phase, in order
     * @param warmup the fraction of the phase that is warm-up (0.1: the first 10%)
     * @return the relative growth (0.03 is 3%), or NaN with fewer than two samples after warm-up
     */
    public static double growthAfterWarmup(List<Sample> samples, double warmup) {
        if (samples.isEmpty()) {
            return Double.NaN;
        }
        long end = samples.get(samples.size() - 1).count();
        Sample base = null;
        for (Sample s : samples) {
            if (s.count() >= warmup * end) {
                base = s;
                break;
            }
        }
        Sample last = samples.get(samples.size() - 1);
        if (base == null || base == last) {
            return Double.NaN;
        }
        return last.rssMb() / base.rssMb() - 1;
    }
}
