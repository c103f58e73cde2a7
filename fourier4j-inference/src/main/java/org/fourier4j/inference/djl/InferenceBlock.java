package org.fourier4j.inference.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.UUID;
import org.fourier4j.inference.engine.EngineChoice;
import org.fourier4j.inference.engine.ModelEngines;
import org.fourier4j.models.ImageClassifier;
import org.fourier4j.nn.WrapperBlock;
import org.fourier4j.plan.InferencePlan;

/**
 * A zoo model as DJL's predictors call it: images (B, C, H, W) to {@code [logits, features]}, the
 * features being the classifier's input, so that one model serves both the classification and the
 * feature-extraction translators.
 *
 * <p>In inference the model runs in the engine {@link EngineChoice} picks for it and the input's
 * shape, as {@code predict} does: its {@link InferencePlan} on DJL (compiled on the first call from
 * the weights it has then, and again after parameters are loaded into this block), or ONNX Runtime
 * where that is faster ({@code -Dfourier4j.engine=djl} keeps DJL).
 */
public final class InferenceBlock extends WrapperBlock<ImageClassifier> {

    private final String engineIdentity;
    private ModelEngines engines;

    /**
     * Wraps a model.
     *
     * @param model the initialised model with its weights
     * @param engineIdentity the key of the model's engine choice ({@link
     *     org.fourier4j.inference.ModelCard#engineIdentity})
     */
    public InferenceBlock(ImageClassifier model, String engineIdentity) {
        super("model", model);
        this.engineIdentity = engineIdentity;
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
            return engines().logitsAndPreLogits(inputs.singletonOrThrow());
        }
        NDArray features = inner.forwardFeatures(ps, inputs.singletonOrThrow(), training);
        NDArray pre = inner.forwardPreLogits(ps, features, training);
        return new NDList(inner.forwardLogits(ps, pre, training), pre);
    }

    /**
     * @param x an input of the shape in question
     * @return the engine that runs inputs of that shape in inference ({@code djl} or an engine's
     *     name), chosen on first sight
     */
    public String engineFor(NDArray x) {
        return engines().engineFor(x);
    }

    private synchronized ModelEngines engines() {
        if (engines == null) {
            engines = new ModelEngines(engineIdentity, inner);
            // another engine's runner holds native memory: free it with the model's weights
            weightsManager().attachInternal(UUID.randomUUID().toString(), engines);
        }
        return engines;
    }

    private NDManager weightsManager() {
        return inner.getParameters().valueAt(0).getArray().getManager();
    }

    @Override
    public void loadParameters(NDManager manager, DataInputStream is)
            throws IOException, ai.djl.MalformedModelException {
        ModelEngines oldEngines;
        synchronized (this) {
            oldEngines = engines;
            engines = null;
        }
        // closed outside this block's lock: a first inference may hold the engines' lock
        if (oldEngines != null) {
            oldEngines.close(); // its plan and runners were made from the old weights
        }
        super.loadParameters(manager, is);
    }
}
