package org.fourier4j.train;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress as plain lines, for a log file or a pipe: a line when an epoch ends (or stops), and one
 * every few seconds inside a long epoch; no carriage returns, no redrawing.
 */
final class ProgressLines implements TrainProgress {

    private final PrintStream out;
    private final long intervalNanos;
    private final LongSupplier clock;
    private String task;
    private long total;
    private long startDone;
    private long start;
    private long lastLine;
    private long done;
    private double loss = Double.NaN;
    private double accuracy = Double.NaN;
    private double imagesPerSecond = Double.NaN;

    ProgressLines(PrintStream out, double intervalSeconds, LongSupplier clock) {
        this.out = out;
        this.intervalNanos = (long) (intervalSeconds * 1e9);
        this.clock = clock;
    }

    @Override
    public void start(String task, long total, long done) {
        close();
        this.task = task;
        this.total = total;
        this.startDone = done;
        this.done = done;
        this.start = clock.getAsLong();
        this.lastLine = start;
        this.loss = Double.NaN;
    }

    @Override
    public void update(long done, double loss, double accuracy, double imagesPerSecond) {
        if (task == null) {
            return;
        }
        this.done = done;
        this.loss = loss;
        this.accuracy = accuracy;
        this.imagesPerSecond = imagesPerSecond;
        long now = clock.getAsLong();
        if (now - lastLine >= intervalNanos && done < total) {
            lastLine = now;
            out.println(line(now, true));
        }
    }

    @Override
    public void close() {
        if (task != null) {
            out.println(line(clock.getAsLong(), false));
            out.flush();
            task = null;
        }
    }

    private String line(long now, boolean running) {
        double seconds = (now - start) / 1e9;
        StringBuilder sb = new StringBuilder(task).append(": ");
        sb.append(done).append('/').append(total).append(" steps");
        if (running) {
            sb.append(String.format(Locale.ROOT, " (%.0f%%)", 100.0 * done / Math.max(1, total)));
        }
        sb.append(String.format(Locale.ROOT, ", %s", duration(seconds)));
        long stepsHere = done - startDone;
        if (running && stepsHere > 0) {
            double eta = seconds / stepsHere * (total - done);
            sb.append(", ETA ").append(duration(eta));
        }
        if (!Double.isNaN(loss)) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            ", loss %.4f, acc %.1f%%, %.0f img/s",
                            loss,
                            100 * accuracy,
                            imagesPerSecond));
        }
        return sb.toString();
    }

    private static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return String.format(Locale.ROOT, "%.1f s", seconds);
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%d:%02d min", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%d:%02d:%02d h", s / 3600, s / 60 % 60, s % 60);
    }
}
