package org.fourier4j.inference.djl;

import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDList;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import org.fourier4j.inference.ImagePreprocessor;
import org.fourier4j.inference.ModelCard;

/**
 * Images to the features the classifier takes (pooled, normalised where the model's head has a
 * norm), for retrieval and clustering.
 */
public final class FeatureTranslator implements Translator<Image, float[]> {

    private final ImagePreprocessor preprocessor;

    /**
     * Creates the translator.
     *
     * @param card the model's card
     */
    public FeatureTranslator(ModelCard card) {
        this.preprocessor = new ImagePreprocessor(card.preprocessing());
    }

    @Override
    public NDList processInput(TranslatorContext ctx, Image input) {
        return new NDList(preprocessor.toInput(ctx.getNDManager(), input));
    }

    @Override
    public float[] processOutput(TranslatorContext ctx, NDList list) {
        return list.get(1).toFloatArray();
    }

    @Override
    public Batchifier getBatchifier() {
        return Batchifier.STACK;
    }
}
