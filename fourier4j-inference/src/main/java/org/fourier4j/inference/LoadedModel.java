package org.fourier4j.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import org.fourier4j.inference.engine.EngineChoice;
import org.fourier4j.inference.engine.ModelEngines;
import org.fourier4j.models.ImageClassifier;
import org.fourier4j.plan.InferencePlan;

/**
 * A model opened from a directory, ready for inference: the network with its weights, its card
 * (preprocessing, classes) and the manager that owns its arrays. One instance may be shared by
 * threads for inference (each call uses its own sub-manager); close it when done.
 *
 * <p>{@link #forward} runs the model's {@link InferencePlan}, compiled on first use from the
 * weights loaded (batch norms folded, channels-last memory, fewer engine calls; the same logits
 * within float32 rounding). The network itself, {@link #model()}, is left as loaded.
 */
public final class LoadedModel implements AutoCloseable {

    private final Path location;
    private final ModelCard card;
    private final ImageClassifier model;
    private final NDManager manager;
    private final String weightsNote;
    private ModelEngines engines;

    /**
     * Wraps an opened model.
     *
     * @param location the directory or file it came from
     * @param card its card
     * @param model the initialised network with its weights
     * @param manager the manager owning its arrays
     * @param weightsNote which weights were loaded (e.g. {@code ema}, {@code raw})
     */
    public LoadedModel(
            Path location,
            ModelCard card,
            ImageClassifier model,
            NDManager manager,
            String weightsNote) {
        this.location = location;
        this.card = card;
        this.model = model;
        this.manager = manager;
        this.weightsNote = weightsNote;
    }

    /**
     * @return where the model came from
     */
    public Path location() {
        return location;
    }

    /**
     * @return the model card
     */
    public ModelCard card() {
        return card;
    }

    /**
     * @return the network
     */
    public ImageClassifier model() {
        return model;
    }

    /**
     * @return the manager that owns the network's arrays
     */
    public NDManager manager() {
        return manager;
    }

    /**
     * @return which weights were loaded ({@code ema} or {@code raw} for a training checkpoint)
     */
    public String weightsNote() {
        return weightsNote;
    }

    /**
     * Runs the network on prepared inputs in inference mode, in the engine chosen for the model and
     * the inputs' shape, as {@link #logits} does.
     *
     * @param inputs (B, C, H, W), normalised as the card says
     * @return the logits (B, classes) and the features the classifier takes (B, D), in the inputs'
     *     manager
     */
    public NDList forward(NDArray inputs) {
        return engines().logitsAndPreLogits(inputs);
    }

    /**
     * @return the compiled inference form of the network (compiled on first call)
     */
    public InferencePlan plan() {
        return engines().plan();
    }

    /**
     * Runs the network on prepared inputs in inference mode: the logits alone, for every model
     * (also those that do not separate their pre-logits, such as FiT), in the engine chosen for the
     * model and the inputs' shape ({@link EngineChoice}: {@code -Dfourier4j.engine}).
     *
     * @param inputs (B, C, H, W), normalised as the card says
     * @return the logits (B, classes), in the inputs' manager
     */
    public NDArray logits(NDArray inputs) {
        return engines().logits(inputs);
    }

    /**
     * @return the engine choice for this model's logits ({@link EngineChoice}: its plan on DJL, or
     *     ONNX Runtime where that is faster for it)
     */
    public synchronized ModelEngines engines() {
        if (engines == null) {
            engines = new ModelEngines(card.engineIdentity(), model);
        }
        return engines;
    }

    @Override
    public synchronized void close() {
        if (engines != null) {
            engines.close();
            engines = null;
        }
        manager.close();
    }
}
