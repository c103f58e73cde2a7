package org.fourier4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.fourier4j.data.BatchLoader;
import org.fourier4j.data.HostBatch;

/**
 * Evaluates a model in inference mode (dropout off, normalisation statistics frozen): mean
 * cross-entropy, top-1 and top-5 accuracy, per-class accuracy and the confusion matrix. Logits come
 * to the host once per batch; everything else is counted in Java.
 */
public final class Evaluator {

    private Evaluator() {}

    /**
     * @param block the initialised model
     * @param store its parameter store
     * @param loader batches without augmentation, in order
     * @param parent a manager under which each batch gets a scope
     * @return the result
     */
    public static EvalResult evaluate(
            Block block, ParameterStore store, BatchLoader loader, NDManager parent) {
        List<String> classes = loader.data().classes();
        int k = classes.size();
        int topK = Math.min(5, k);
        long[][] confusion = new long[k][k];
        double lossSum = 0;
        long top1 = 0;
        long top5 = 0;
        long n = 0;
        try (BatchLoader.EpochIterator it = loader.epoch(0, 0)) {
            while (it.hasNext()) {
                HostBatch b = it.next();
                float[] logp;
                try (NDManager scope = parent.newSubManager()) {
                    NDArray x = b.inputs(scope);
                    NDArray logits = block.forward(store, new NDList(x), false).singletonOrThrow();
                    if (logits.getShape().dimension() != 2 || logits.getShape().get(1) != k) {
                        throw new IllegalStateException(
                                "the model returned "
                                        + logits.getShape()
                                        + ", expected ("
                                        + b.size()
                                        + ", "
                                        + k
                                        + ")");
                    }
                    logp = logits.logSoftmax(1).toFloatArray();
                }
                for (int i = 0; i < b.size(); i++) {
                    int label = b.labels()[i];
                    int off = i * k;
                    float own = logp[off + label];
                    lossSum -= own;
                    int above = 0;
                    int argmax = 0;
                    for (int j = 0; j < k; j++) {
                        float v = logp[off + j];
                        if (v > own || (v == own && j < label)) {
                            above++;
                        }
                        if (v > logp[off + argmax]) {
                            argmax = j;
                        }
                    }
                    if (above == 0) {
                        top1++;
                    }
                    if (above < topK) {
                        top5++;
                    }
                    confusion[label][argmax]++;
                }
                n += b.size();
            }
        }
        return new EvalResult(
                n,
                n == 0 ? Double.NaN : lossSum / n,
                n == 0 ? Double.NaN : (double) top1 / n,
                n == 0 ? Double.NaN : (double) top5 / n,
                confusion,
                classes);
    }
}
