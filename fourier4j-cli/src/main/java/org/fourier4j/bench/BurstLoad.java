package org.fourier4j.bench;

import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A bursty CPU load, to check that AUTO's decisions survive one: every worker thread spins during
 * the first {@code busyMs} of each period of {@code busyMs + idleMs} and sleeps for the rest, all
 * workers in phase (so every core is busy at once, then idle at once). Run it in a process of its
 * own, since load from other processes is what AUTO must not be fooled by: {@link #start} launches
 * this class's {@link #main} in a child JVM, which also exits when its parent is gone.
 */
public final class BurstLoad {

    private static volatile double sink;

    private BurstLoad() {}

    /**
     * Runs the load in this process.
     *
     * @param args busy ms, idle ms, workers, seconds, and optionally the pid whose end stops it
     * @throws InterruptedException if interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        double busy = Double.parseDouble(args[0]);
        double idle = Double.parseDouble(args[1]);
        int workers = Integer.parseInt(args[2]);
        double seconds = Double.parseDouble(args[3]);
        long parent = args.length > 4 ? Long.parseLong(args[4]) : -1;
        run(busy, idle, workers, seconds, parent);
    }

    /**
     * Spins and sleeps in phase on {@code workers} threads until {@code seconds} have passed or
     * process {@code parent} (if not -1) has ended.
     *
     * @param busyMs spinning part of each period
     * @param idleMs sleeping part of each period
     * @param workers threads
     * @param seconds how long
     * @param parent a pid to outlive by no more than a period, or -1
     * @throws InterruptedException if interrupted
     */
    public static void run(double busyMs, double idleMs, int workers, double seconds, long parent)
            throws InterruptedException {
        long start = System.nanoTime();
        long period = (long) ((busyMs + idleMs) * 1e6);
        long busy = (long) (busyMs * 1e6);
        long end = start + (long) (seconds * 1e9);
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            Thread t =
                    new Thread(
                            () -> {
                                double x = 1;
                                while (System.nanoTime() < end) {
                                    long phase = (System.nanoTime() - start) % period;
                                    if (phase < busy) {
                                        long stop = System.nanoTime() - phase + busy;
                                        while (System.nanoTime() < stop) {
                                            x = x * 1.0000001 + 1e-9;
                                        }
                                        sink = x;
                                    } else {
                                        sleepNanos(period - phase);
                                        if (parent > 0 && !ProcessHandle.of(parent).isPresent()) {
                                            return;
                                        }
                                    }
                                }
                            },
                            "burst-load-" + w);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    private static void sleepNanos(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Starts the load in a child JVM of this one's class path; stop it with {@link
     * Process#destroy()} (it also ends by itself after {@code seconds} or when this JVM ends).
     *
     * @param busyMs spinning part of each period
     * @param idleMs sleeping part of each period
     * @param workers threads
     * @param seconds the longest it runs
     * @return the child process
     * @throws java.io.IOException if it cannot be started
     */
    public static Process start(double busyMs, double idleMs, int workers, double seconds)
            throws java.io.IOException {
        String javaHome = System.getProperty("java.home");
        String java =
                ProcessHandle.current()
                        .info()
                        .command()
                        .orElse(Paths.get(javaHome, "bin", "java").toString());
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(BurstLoad.class.getName());
        cmd.add(String.format(Locale.ROOT, "%s", busyMs));
        cmd.add(String.format(Locale.ROOT, "%s", idleMs));
        cmd.add(Integer.toString(workers));
        cmd.add(String.format(Locale.ROOT, "%s", seconds));
        cmd.add(Long.toString(ProcessHandle.current().pid()));
        return new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
    }
}
