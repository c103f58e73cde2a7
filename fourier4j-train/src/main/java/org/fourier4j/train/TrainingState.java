package org.fourier4j.train;

import java.util.List;
import java.util.Map;

/**
 * Everything a checkpoint records besides tensors ({@code checkpoint.json}): what the run is
 * (model, input, classes, seed, optimiser, schedule, data fingerprints, normalisation, parameter
 * table, configuration) and where it is ({@link RunProgress}, the loop's own counters, written and
 * read as they are).
 *
 * @param format always {@value Checkpoint#FORMAT}
 * @param version format version
 * @param model the model's name
 * @param inputShape the model's {@code (C, H, W)}
 * @param numClasses classes
 * @param classes the class names in label order (null in checkpoints written before they were
 *     recorded)
 * @param progress the run's counters (format 1 kept them at the top level)
 * @param microBatchesPerStep gradient accumulation
 * @param seed the run's seed
 * @param randomState how the random state is derived (documentation)
 * @param optimizer the optimiser's name
 * @param optimizerSteps the optimiser's step count
 * @param schedule the schedule's name
 * @param emaUpdates EMA updates done (0 without EMA)
 * @param trainFingerprint checksum of the training images
 * @param valFingerprint checksum of the validation images
 * @param normalizeMean the per-channel mean the inputs were normalised with (null in checkpoints
 *     written before it was recorded)
 * @param normalizeStd the per-channel std the inputs were normalised with (null likewise)
 * @param parameters name, shape and type of every model parameter (fourier4j names; format 1: DJL
 *     paths)
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
        RunProgress progress,
        int microBatchesPerStep,
        long seed,
        String randomState,
        String optimizer,
        long optimizerSteps,
        String schedule,
        long emaUpdates,
        long trainFingerprint,
        long valFingerprint,
        double[] normalizeMean,
        double[] normalizeStd,
        List<ParameterInfo> parameters,
        Map<String, Object> config,
        String written) {

    /** How every random draw is derived: the seed and the counters are the whole random state. */
    static final String RANDOM_STATE =
            "counter-based: shuffle (seed, epoch), augmentation (seed, epoch, image), mixing"
                    + " (seed, epoch, batch), engine reseeded per micro-batch (seed, epoch,"
                    + " micro-batch)";

    /**
     * One parameter's record.
     *
     * @param name its fourier4j name
     * @param shape dimensions
     * @param dataType element type
     */
    public record ParameterInfo(String name, long[] shape, String dataType) {}
}
