package org.fourier4j.train;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One row of {@code metrics.csv} / {@code metrics.jsonl}. Validation values are null when the run
 * has no validation set.
 *
 * @param epoch 1-based epoch
 * @param globalStep optimiser steps done at the end of the epoch
 * @param lr the learning rate of the epoch's last step
 * @param trainLoss mean training loss (against the soft targets)
 * @param trainAcc training accuracy (argmax against the label, or the dominant class of a mixed
 *     target)
 * @param valLoss validation cross-entropy
 * @param valTop1 validation top-1 accuracy
 * @param valTop5 validation top-5 accuracy
 * @param imagesPerSecond training images per second (training steps only)
 * @param seconds wall time of the epoch including evaluation
 */
public record EpochMetrics(
        int epoch,
        long globalStep,
        double lr,
        double trainLoss,
        double trainAcc,
        Double valLoss,
        Double valTop1,
        Double valTop5,
        double imagesPerSecond,
        double seconds) {

    /** The CSV header. */
    public static final String CSV_HEADER =
            "epoch,global_step,lr,train_loss,train_acc,val_loss,val_top1,val_top5,images_per_s,seconds";

    private static String f(Double v) {
        return v == null ? "" : String.format(Locale.ROOT, "%.6g", v);
    }

    /**
     * @return the CSV row
     */
    public String toCsv() {
        return String.join(
                ",",
                Integer.toString(epoch),
                Long.toString(globalStep),
                f(lr),
                f(trainLoss),
                f(trainAcc),
                f(valLoss),
                f(valTop1),
                f(valTop5),
                String.format(Locale.ROOT, "%.1f", imagesPerSecond),
                String.format(Locale.ROOT, "%.3f", seconds));
    }

    /**
     * @return the JSON object of {@code metrics.jsonl}
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", epoch);
        m.put("global_step", globalStep);
        m.put("lr", lr);
        m.put("train_loss", trainLoss);
        m.put("train_acc", trainAcc);
        m.put("val_loss", valLoss);
        m.put("val_top1", valTop1);
        m.put("val_top5", valTop5);
        m.put("images_per_s", imagesPerSecond);
        m.put("seconds", seconds);
        return m;
    }
}
