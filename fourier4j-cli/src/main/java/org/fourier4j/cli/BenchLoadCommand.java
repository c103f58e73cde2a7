package org.fourier4j.cli;

import java.util.Locale;
import java.util.concurrent.Callable;
import org.fourier4j.bench.BurstLoad;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fourier4j bench load}: a bursty CPU load for checking AUTO under load. */
@Command(
        name = "load",
        mixinStandardHelpOptions = true,
        description = {
            "Loads the CPU in bursts, to check that AUTO's decisions survive another process's"
                    + " load: every worker spins for --busy-ms, then sleeps for --idle-ms, all"
                    + " workers in phase, until --seconds have passed or the command is"
                    + " interrupted. Run it beside another fourier4j command (bench conv has"
                    + " --background-load for the same in a child process)."
        })
final class BenchLoadCommand implements Callable<Integer> {

    @Option(
            names = "--busy-ms",
            defaultValue = "300",
            description = "Spinning part of each period, ms. Default: ${DEFAULT-VALUE}.")
    private double busyMs;

    @Option(
            names = "--idle-ms",
            defaultValue = "200",
            description = "Sleeping part of each period, ms. Default: ${DEFAULT-VALUE}.")
    private double idleMs;

    @Option(names = "--workers", description = "Spinning threads (default: one per core).")
    private Integer workers;

    @Option(
            names = "--seconds",
            defaultValue = "600",
            description = "How long. Default: ${DEFAULT-VALUE}.")
    private double seconds;

    @Override
    public Integer call() throws InterruptedException {
        int n = workers == null ? Runtime.getRuntime().availableProcessors() : workers;
        if (!(busyMs > 0) || Double.isInfinite(busyMs)) {
            throw new IllegalArgumentException("--busy-ms must be positive, got " + busyMs);
        }
        if (!(idleMs >= 0) || Double.isInfinite(idleMs)) {
            throw new IllegalArgumentException("--idle-ms must be non-negative, got " + idleMs);
        }
        if (n < 1) {
            throw new IllegalArgumentException("--workers must be at least 1, got " + n);
        }
        if (!(seconds > 0)) {
            throw new IllegalArgumentException("--seconds must be positive, got " + seconds);
        }
        System.err.printf(
                Locale.ROOT,
                "bench load: %d workers, busy %.0f ms / idle %.0f ms, for %.0f s%n",
                n,
                busyMs,
                idleMs,
                seconds);
        BurstLoad.run(busyMs, idleMs, n, seconds, -1);
        return 0;
    }
}
