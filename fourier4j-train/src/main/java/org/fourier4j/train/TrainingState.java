package org.fourier4j.train;

import java.util.List;
import java.util.Map;

/**
 * Everything a checkpoint records besides tensors ({@code checkpoint.json}).
 *
 * <p>Random state: every random draw of a run (shuffle, augmentation, mixing, the engine's dropout
 * generator, which is reseeded before every micro-batch) is a function of {@code seed} and the
 * position {@code (epoch, index)}, so the seed and the counters below are the complete random
 * state; nothing else needs saving.
 *
 * @param format always {@value Checkpoint#FORMAT}
 * @param version format version
 * @param model the model's name
 * @param inputShape the model's {@code (C, H, W)}
 * @param numClasses classes
 * @param classes the class names in label order (null in checkpoints written before they were
 *     recorded)
 * @param epochsCompleted whole epochs done
 * @param stepInEpoch optimiser steps done in the current epoch (0 at an epoch boundary)
 * @param globalStep optimiser steps done in total (the schedule position)
 * @param microBatchesPerStep gradient accumulation
 * @param seed the run's seed
 * @param randomState how the random state is derived (documentation)
 * @param optimizer the optimiser's name
 * @param optimizerSteps the optimiser's step count
 * @param schedule the schedule's description
 * @param lastLr the learning rate of the last step
 * @param emaUpdates EMA updates done (0 without EMA)
 * @param epochLossSum sum over the current epoch's images of the training loss
 * @param epochCorrect training predictions counted correct in the current epoch
 * @param epochSeen training images seen in the current epoch
 * @param epochTrainSeconds training time spent in the current epoch
 * @param bestEpoch the epoch with the best validation top-1 (0: none yet)
 * @param bestValTop1 its top-1 (-1: none yet)
 * @param elapsedSeconds wall time of the run up to this checkpoint, over all its processes (what a
 *     time budget counts; 0 in checkpoints written before it was recorded)
 * @param lastStepSeconds how long the last optimiser step took (what a time budget keeps for the
 *     next one)
 * @param lastEvalSeconds how long the last validation took (what a time budget keeps for the final
 *     one; 0: none yet)
 * @param trainFingerprint checksum of the training images
 * @param valFingerprint checksum of the validation images
 * @param normalizeMean the per-channel mean the inputs were normalised with (null in checkpoints
 *     written before it was recorded)
 * @param normalizeStd the per-channel std the inputs were normalised with (null likewise)
 * @param parameters name, shape and type of every model parameter
 * @param config the run's resolved configuration
 * @param written when it was written (ISO-8601)
 */
public record TrainingState(
        String format,
        int version,
        String model,
        long[] inputShape,
        int numClasses,
        List<String> classes,
        int epochsCompleted,
        int stepInEpoch,
        long globalStep,
        int microBatchesPerStep,
        long seed,
        String randomState,
        String optimizer,
        long optimizerSteps,
        String schedule,
        double lastLr,
        long emaUpdates,
        double epochLossSum,
        long epochCorrect,
        long epochSeen,
        double epochTrainSeconds,
        int bestEpoch,
        double bestValTop1,
        double elapsedSeconds,
        double lastStepSeconds,
        double lastEvalSeconds,
        long trainFingerprint,
        long valFingerprint,
        double[] normalizeMean,
        double[] normalizeStd,
        List<ParameterInfo> parameters,
        Map<String, Object> config,
        String written) {

    /**
     * One parameter's record.
     *
     * @param name path name in the block
     * @param shape dimensions
     * @param dataType element type
     */
    public record ParameterInfo(String name, long[] shape, String dataType) {}
}
