package org.fourier4j.train;

import ai.djl.ndarray.NDArray;

/**
 * Cross-entropy against soft targets, {@code mean_i sum_k -t_ik log softmax(z_i)_k}: with one-hot
 * targets it is the usual cross-entropy; with smoothed targets ({@code 1 - eps + eps/K} on the
 * label, {@code eps/K} elsewhere) it is label-smoothing cross-entropy (PyTorch's {@code
 * CrossEntropyLoss(label_smoothing=eps)}); with mixup/cutmix targets it is the mixed loss.
 */
public final class SoftTargetCrossEntropy {

    private SoftTargetCrossEntropy() {}

    /**
     * @param logits {@code (N, K)}
     * @param targets {@code (N, K)}, each row a distribution
     * @return the mean loss, a scalar
     */
    public static NDArray mean(NDArray logits, NDArray targets) {
        if (!logits.getShape().equals(targets.getShape())) {
            throw new IllegalArgumentException(
                    "logits "
                            + logits.getShape()
                            + " and targets "
                            + targets.getShape()
                            + " must have the same shape");
        }
        return logits.logSoftmax(1).mul(targets).sum(new int[] {1}).neg().mean();
    }
}
