package org.fourier4j.spark;

import java.io.Serializable;
import org.apache.spark.SparkContext;
import org.apache.spark.util.LongAccumulator;

/**
 * How many images a prediction read, predicted and failed on, counted by Spark accumulators as the
 * tasks run. The counts are exact when the prediction runs in the last stage of the action that
 * computes it (as in {@code spark predict}: read, predict, write): Spark applies a result task's
 * accumulator updates once per partition even when a task is retried.
 */
public final class PredictionCounts implements Serializable {

    private static final long serialVersionUID = 1L;

    private final LongAccumulator read;
    private final LongAccumulator predicted;
    private final LongAccumulator failed;

    private PredictionCounts(SparkContext sc) {
        this.read = sc.longAccumulator("fourier4j images read");
        this.predicted = sc.longAccumulator("fourier4j images predicted");
        this.failed = sc.longAccumulator("fourier4j images failed");
    }

    /**
     * Registers new counters.
     *
     * @param sc the session's context
     * @return counters at zero
     */
    public static PredictionCounts register(SparkContext sc) {
        return new PredictionCounts(sc);
    }

    void add(BatchPredictor.Result r) {
        read.add(1);
        if (r.ok()) {
            predicted.add(1);
        } else {
            failed.add(1);
        }
    }

    /**
     * @return images read
     */
    public long read() {
        return read.value();
    }

    /**
     * @return images predicted
     */
    public long predicted() {
        return predicted.value();
    }

    /**
     * @return images that got an error row
     */
    public long failed() {
        return failed.value();
    }
}
