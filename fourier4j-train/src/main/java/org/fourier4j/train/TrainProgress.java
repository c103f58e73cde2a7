package org.fourier4j.train;

import java.time.Duration;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The per-epoch progress display: a progress bar on stderr (the {@code progressbar} library) with
 * step count, elapsed time, ETA, and the running loss, accuracy and images per second; or nothing.
 */
public interface TrainProgress extends AutoCloseable {

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
