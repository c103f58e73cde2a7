package org.fourier4j.inference.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.IOException;
import org.fourier4j.models.ImageClassifier;
import org.fourier4j.nn.WrapperBlock;
import org.fourier4j.plan.InferencePlan;

/**
 * A zoo model as DJL's predictors call it: images (B, C, H, W) to {@code [logits, features]}, the
 * features being the classifier's input, so that one model serves both the classification and the
 * feature-extraction translators.
 *
 * <p>In inference the model runs as its {@link InferencePlan}, compiled on the first call from the
 * weights it has then (and again after parameters are loaded into this block).
 */
public final class InferenceBlock extends WrapperBlock<ImageClassifier> {

    private InferencePlan plan;

    /**
     * Wraps a model.
     *
     * @param model the initialised model with its weights
     */
    public InferenceBlock(ImageClassifier model) {
        super("model", model);
    }

    /**
     * @return the wrapped model
     */
    public ImageClassifier model() {
        return inner;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        if (!training) {
            return plan().logitsAndPreLogits(inputs.singletonOrThrow());
        }
        NDArray features = inner.forwardFeatures(ps, inputs.singletonOrThrow(), training);
        NDArray pre = inner.forwardPreLogits(ps, features, training);
        return new NDList(inner.forwardLogits(ps, pre, training), pre);
    }

    private synchronized InferencePlan plan() {
        if (plan == null) {
            plan = InferencePlan.compile(inner);
        }
        return plan;
    }

    @Override
    public void loadParameters(NDManager manager, DataInputStream is)
            throws IOException, ai.djl.MalformedModelException {
        synchronized (this) {
            if (plan != null) {
                plan.close();
                plan = null;
            }
        }
        super.loadParameters(manager, is);
    }
}
