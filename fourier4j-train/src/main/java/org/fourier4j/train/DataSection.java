package org.fourier4j.train;

import java.util.List;
import org.fourier4j.data.BundledSample;
import org.fourier4j.data.CifarFormat;

/**
 * The data keys of a training configuration, each described by its {@link Setting}.
 *
 * @param datasetPath the training data
 * @param valSplit how validation images are chosen
 * @param valPath a separate validation image folder, or null
 * @param cifar100Labels CIFAR-100's label set
 * @param numWorkers loader threads
 * @param prefetch batches prepared ahead
 * @param batchSize images per (micro-)batch
 * @param evalBatchSize images per evaluation batch, or null for {@code batchSize}
 * @param normalizeMean per-channel mean, or null for the training split's
 * @param normalizeStd per-channel std, or null for the training split's
 */
public record DataSection(
        @Setting(
                        value =
                                "CIFAR directory, batch file or .tar.gz; image folder; or"
                                        + " bundled:cifar10-sample",
                        resumable = true)
                String datasetPath,
        @Setting(
                        "auto, none, test (CIFAR test batch), tail:N (last N training images) or"
                                + " fraction:F (stratified)")
                ValSplit valSplit,
        @Setting(value = "separate validation image folder", resumable = true) String valPath,
        @Setting("CIFAR-100 labels: fine or coarse") CifarFormat.Labels cifar100Labels,
        @Setting(
                        value = "data loader worker threads (0: the training thread)",
                        min = 0,
                        resumable = true)
                int numWorkers,
        @Setting(value = "batches prepared ahead", min = 1, resumable = true) int prefetch,
        @Setting(value = "images per batch (per micro-batch with accum_steps)", min = 1)
                int batchSize,
        @Setting(value = "images per evaluation batch (default batch_size)", min = 1)
                Integer evalBatchSize,
        @Setting("per-channel mean in [0, 1] (default: of the training split)")
                List<Double> normalizeMean,
        @Setting(
                        value = "per-channel std (default: of the training split)",
                        min = 0,
                        minExclusive = true)
                List<Double> normalizeStd) {

    /** The defaults. */
    public static final DataSection DEFAULTS =
            new DataSection(
                    BundledSample.DATASET_PATH,
                    ValSplit.AUTO,
                    null,
                    CifarFormat.Labels.FINE,
                    2,
                    4,
                    128,
                    null,
                    null,
                    null);

    /**
     * @return images per evaluation batch
     */
    public int evalBatch() {
        return evalBatchSize != null ? evalBatchSize : batchSize;
    }
}
