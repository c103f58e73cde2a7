package org.fourier4j.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * An image classifier of the zoo: (B, C, H, W) images to (B, classes) logits, with the features
 * before the head available separately, as timm's {@code forward_features} / {@code forward_head}.
 */
public abstract class ImageClassifier extends AbstractBlock {

    private final String modelName;
    private final ModelOptions options;

    /**
     * Creates the model.
     *
     * @param modelName the zoo name
     * @param options what it is built for
     */
    protected ImageClassifier(String modelName, ModelOptions options) {
        this.modelName = modelName;
        this.options = options;
    }

    /**
     * @return the zoo name this model was built as
     */
    public String modelName() {
        return modelName;
    }

    /**
     * @return the options it was built with
     */
    public ModelOptions options() {
        return options;
    }

    /**
     * @return the input shape for a batch of one: (1, in_chans, size, size)
     */
    public Shape inputShape() {
        return new Shape(1, options.inChannels(), options.imageSize(), options.imageSize());
    }

    /**
     * Computes the features before the classifier head: the last feature map (B, C, h, w) of a
     * convolutional model, or the normalised token sequence (B, N, D) of a transformer.
     *
     * @param ps the parameter store
     * @param images (B, in_chans, H, W)
     * @param training whether in training mode
     * @return the features
     */
    public abstract NDArray forwardFeatures(ParameterStore ps, NDArray images, boolean training);

    /**
     * Pools the features and applies the head.
     *
     * @param ps the parameter store
     * @param features the output of {@link #forwardFeatures}
     * @param training whether in training mode
     * @return (B, classes) logits
     */
    public abstract NDArray forwardHead(ParameterStore ps, NDArray features, boolean training);

    /**
     * The features as the classifier takes them: pooled (and normalised, where the head has a
     * norm), the input of the final linear layer, as timm's {@code forward_head(pre_logits=True)}.
     * Retrieval and clustering use these.
     *
     * @param ps the parameter store
     * @param features the output of {@link #forwardFeatures}
     * @param training whether in training mode
     * @return (B, D)
     */
    public NDArray forwardPreLogits(ParameterStore ps, NDArray features, boolean training) {
        throw new UnsupportedOperationException(modelName + " does not separate its pre-logits");
    }

    /**
     * The logits from {@link #forwardPreLogits}'s output.
     *
     * @param ps the parameter store
     * @param preLogits (B, D)
     * @param training whether in training mode
     * @return (B, classes)
     */
    public NDArray forwardLogits(ParameterStore ps, NDArray preLogits, boolean training) {
        throw new UnsupportedOperationException(modelName + " does not separate its pre-logits");
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        checkInput(x.getShape());
        return new NDList(forwardHead(ps, forwardFeatures(ps, x, training), training));
    }

    /**
     * Checks an input shape: rank 4, the configured channels, a size the model takes.
     *
     * @param s the input shape
     */
    protected void checkInput(Shape s) {
        if (s.dimension() != 4 || s.get(1) != options.inChannels()) {
            throw new IllegalArgumentException(
                    modelName
                            + ": expected images (B, "
                            + options.inChannels()
                            + ", H, W), got "
                            + s);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), options.numClasses())};
    }
}
