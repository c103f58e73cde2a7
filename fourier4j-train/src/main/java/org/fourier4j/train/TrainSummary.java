package org.fourier4j.train;

import java.nio.file.Path;

/**
 * The outcome of {@link TrainingRun#run()} (also written as {@code summary.json}).
 *
 * @param status {@code completed}, or {@code stopped} (max_steps reached)
 * @param runDirectory the run directory
 * @param epochsCompleted whole epochs done
 * @param globalSteps optimiser steps done
 * @param bestEpoch epoch with the best validation top-1 (0: none)
 * @param bestValTop1 its top-1 (NaN: none)
 * @param lastEval the last evaluation (null without validation or before any epoch ended)
 * @param trainImagesPerSecond mean training throughput over the epochs of this process
 * @param seconds wall time of this process's training
 * @param endedBy what ended the training loop: {@code epochs}, {@code max_steps} or {@code
 *     time_budget}
 * @param runSeconds wall time of the whole run, earlier processes of a resumed run included
 */
public record TrainSummary(
        String status,
        Path runDirectory,
        int epochsCompleted,
        long globalSteps,
        int bestEpoch,
        double bestValTop1,
        EvalResult lastEval,
        double trainImagesPerSecond,
        double seconds,
        String endedBy,
        double runSeconds) {}
