package org.fourier4j.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The per-epoch progress display on stderr: a progress bar redrawn in place (the {@code
 * progressbar} library) with step count, elapsed time, ETA, and the running loss, accuracy and
 * images per second, when stderr is a terminal; plain lines (one per epoch, and one every 30
 * seconds inside a long epoch) when it is a file or a pipe, so a log holds no carriage returns; or
 * nothing.
 */
public interface TrainProgress extends AutoCloseable {

    /** How progress is shown. */
    enum Mode {
        /** A bar when stderr is a terminal, else lines. */
        AUTO,
        /** A bar redrawn in place with carriage returns. */
        BAR,
        /** Plain lines: one per epoch and one every 30 seconds. */
        LINES,
        /** Nothing. */
        NONE;

        /**
         * @param text auto, bar, lines or none (any case)
         * @return the mode
         * @throws ConfigException for another value
         */
        public static Mode parse(String text) {
            try {
                return valueOf(text.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(
                        "progress must be auto, bar, lines or none, got '" + text + "'");
            }
        }
    }

    /** Seconds between two progress lines inside an epoch. */
    double LINE_INTERVAL_SECONDS = 30;

    /**
     * Starts an epoch's bar.
     *
     * @param task the label ("epoch 3/10")
     * @param total optimiser steps in the epoch
     * @param done steps already done (a resumed epoch)
     */
    void start(String task, long total, long done);

    /**
     * Moves the bar.
     *
     * @param done steps done in the epoch
     * @param loss running mean loss
     * @param accuracy running accuracy
     * @param imagesPerSecond running throughput
     */
    void update(long done, double loss, double accuracy, double imagesPerSecond);

    /** Finishes the epoch's bar. */
    @Override
    void close();

    /**
     * The display of a mode on stderr.
     *
     * @param mode the mode ({@link Mode#AUTO} checks whether stderr is a terminal)
     * @return the display
     */
    static TrainProgress of(Mode mode) {
        return switch (mode) {
            case AUTO -> stderrIsTerminal() ? console() : lines(System.err);
            case BAR -> console();
            case LINES -> lines(System.err);
            case NONE -> none();
        };
    }

    /**
     * Whether stderr is a terminal. {@link System#console()} only tells about stdin and stdout (and
     * on JDK 22+ not even that), so on Linux the target of file descriptor 2 decides ({@code
     * /dev/pts/N} or {@code /dev/ttyN}); elsewhere {@code System.console()} is the best guess.
     * {@code TERM=dumb} is never a terminal.
     *
     * @return true if a progress bar can be redrawn in place
     */
    static boolean stderrIsTerminal() {
        if ("dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        Path fd = Path.of("/proc/self/fd/2");
        try {
            if (Files.isSymbolicLink(fd)) {
                String target = Files.readSymbolicLink(fd).toString();
                return target.startsWith("/dev/pts/")
                        || target.startsWith("/dev/tty")
                        || target.equals("/dev/console");
            }
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // not Linux: fall through
        }
        return System.console() != null;
    }

    /**
     * Plain progress lines on a stream (one per epoch, one every {@link #LINE_INTERVAL_SECONDS}
     * inside an epoch).
     *
     * @param out the stream
     * @return the display
     */
    static TrainProgress lines(PrintStream out) {
        return new ProgressLines(out, LINE_INTERVAL_SECONDS, System::nanoTime);
    }

    /**
     * Plain progress lines with a given interval and clock (for tests).
     *
     * @param out the stream
     * @param intervalSeconds seconds between two lines inside an epoch
     * @param nanoClock the clock, like {@link System#nanoTime()}
     * @return the display
     */
    static TrainProgress lines(PrintStream out, double intervalSeconds, LongSupplier nanoClock) {
        return new ProgressLines(out, intervalSeconds, nanoClock);
    }

    /**
     * @return a display that shows nothing
     */
    static TrainProgress none() {
        return new TrainProgress() {
            @Override
            public void start(String task, long total, long done) {}

            @Override
            public void update(long done, double loss, double accuracy, double imagesPerSecond) {}

            @Override
            public void close() {}
        };
    }

    /**
     * @return a progress bar on stderr
     */
    static TrainProgress console() {
        return new TrainProgress() {
            private ProgressBar bar;

            @Override
            public void start(String task, long total, long done) {
                close();
                bar =
                        new ProgressBarBuilder()
                                .setTaskName(task)
                                .setInitialMax(total)
                                .setStyle(ProgressBarStyle.ASCII)
                                .setUpdateIntervalMillis(500)
                                .setMaxRenderedLength(150)
                                .startsFrom(done, Duration.ZERO)
                                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                                .build();
            }

            @Override
            public void update(long done, double loss, double accuracy, double imagesPerSecond) {
                if (bar != null) {
                    bar.stepTo(done);
                    bar.setExtraMessage(
                            String.format(
                                    " loss %.4f acc %.1f%% %.0f img/s",
                                    loss, 100 * accuracy, imagesPerSecond));
                }
            }

            @Override
            public void close() {
                if (bar != null) {
                    bar.close();
                    bar = null;
                }
            }
        };
    }
}
