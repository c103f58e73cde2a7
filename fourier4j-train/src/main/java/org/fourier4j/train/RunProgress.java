package org.fourier4j.train;

import com.fasterxml.jackson.annotation.JsonAutoDetect;

/**
 * Where a run is and what it has measured so far: the counters the training loop updates and a
 * checkpoint records as they are ({@code progress} of {@code checkpoint.json}), so that a resumed
 * run continues from the very object it saved.
 *
 * <p>Random state: every random draw of a run (shuffle, augmentation, mixing, the engine's dropout
 * generator, which is reseeded before every micro-batch) is a function of the seed and the position
 * {@code (epoch, index)}, so the seed and these counters are the complete random state.
 */
@JsonAutoDetect(
        fieldVisibility = JsonAutoDetect.Visibility.ANY,
        getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public final class RunProgress {

    /** Whole epochs done. */
    int epochsCompleted;

    /** Optimiser steps done in the current epoch (0 at an epoch boundary). */
    int stepInEpoch;

    /** Optimiser steps done in total (the schedule position). */
    long globalStep;

    /** The learning rate of the last step. */
    double lastLr;

    /** Sum over the current epoch's images of the training loss. */
    double epochLossSum;

    /** Training predictions counted correct in the current epoch. */
    long epochCorrect;

    /** Training images seen in the current epoch. */
    long epochSeen;

    /** Training time spent in the current epoch. */
    double epochTrainSeconds;

    /** The epoch with the best validation top-1 (0: none yet). */
    int bestEpoch;

    /** Its top-1 (-1: none yet). */
    double bestValTop1 = -1;

    /** Wall time of the run at the last checkpoint, over all its processes (a budget counts it). */
    double elapsedSeconds;

    /** How long the last optimiser step took (what a time budget keeps for the next one). */
    double lastStepSeconds;

    /** How long the last validation took (what a time budget keeps for the final one; 0: none). */
    double lastEvalSeconds;

    /** A run at its start. */
    public RunProgress() {}

    /**
     * @return whole epochs done
     */
    public int epochsCompleted() {
        return epochsCompleted;
    }

    /**
     * @return optimiser steps done in the current epoch
     */
    public int stepInEpoch() {
        return stepInEpoch;
    }

    /**
     * @return optimiser steps done in total
     */
    public long globalStep() {
        return globalStep;
    }

    /**
     * @return the learning rate of the last step
     */
    public double lastLr() {
        return lastLr;
    }

    /**
     * @return the best epoch (0: none yet)
     */
    public int bestEpoch() {
        return bestEpoch;
    }

    /**
     * @return the best validation top-1 (-1: none yet)
     */
    public double bestValTop1() {
        return bestValTop1;
    }

    /**
     * @return wall time of the run at the last checkpoint, over all its processes
     */
    public double elapsedSeconds() {
        return elapsedSeconds;
    }

    /**
     * @return training images seen in the current epoch
     */
    public long epochSeen() {
        return epochSeen;
    }

    /**
     * @return mean training loss of the current epoch so far
     */
    double epochLoss() {
        return epochLossSum / epochSeen;
    }

    /**
     * @return training accuracy of the current epoch so far
     */
    double epochAccuracy() {
        return (double) epochCorrect / epochSeen;
    }

    /** Counts one micro-batch's training results. */
    void count(double lossSum, long correct, long images) {
        epochLossSum += lossSum;
        epochCorrect += correct;
        epochSeen += images;
    }

    /**
     * Closes an epoch: the counters of the epoch start again, the best epoch is updated.
     *
     * @param epoch the epoch just finished (0-based)
     * @param top1 its validation top-1, or null without validation (then it counts as best)
     * @return whether it is the best so far
     */
    boolean endEpoch(int epoch, Double top1) {
        epochsCompleted = epoch + 1;
        stepInEpoch = 0;
        epochLossSum = 0;
        epochCorrect = 0;
        epochSeen = 0;
        epochTrainSeconds = 0;
        boolean best = top1 == null || top1 > bestValTop1;
        if (best) {
            bestEpoch = epoch + 1;
            bestValTop1 = top1 == null ? -1 : top1;
        }
        return best;
    }

    /**
     * @return where the run is, for messages ("epoch 1 + 3 steps, global step 15")
     */
    String position() {
        return "epoch "
                + epochsCompleted
                + (stepInEpoch > 0 ? " + " + stepInEpoch + " steps" : "")
                + ", global step "
                + globalStep;
    }
}
