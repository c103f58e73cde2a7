package org.fourier4j.inference.djl;

import ai.djl.Model;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorFactory;
import ai.djl.util.Pair;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.Set;
import org.fourier4j.inference.ModelCard;
import org.fourier4j.inference.ModelDirectory;

/**
 * The translators of a fourier4j model directory: {@code Image -> Classifications} (argument {@code
 * topK}, default 5) and {@code Image -> float[]} (the features before the head), both with the
 * preprocessing and class names of the model's card.
 */
public final class Fourier4jTranslatorFactory implements TranslatorFactory {

    private static final Set<Pair<Type, Type>> SUPPORTED =
            Set.of(
                    new Pair<>(Image.class, Classifications.class),
                    new Pair<>(Image.class, float[].class));

    @Override
    public Set<Pair<Type, Type>> getSupportedTypes() {
        return SUPPORTED;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <I, O> Translator<I, O> newInstance(
            Class<I> input, Class<O> output, Model model, Map<String, ?> arguments)
            throws TranslateException {
        ModelCard card = ModelDirectory.readCard(model.getModelPath());
        if (input == Image.class && output == Classifications.class) {
            Object k = arguments.get("topK");
            int topK = k == null ? 5 : Integer.parseInt(k.toString());
            return (Translator<I, O>) new ClassificationTranslator(card, topK);
        }
        if (input == Image.class && output == float[].class) {
            return (Translator<I, O>) new FeatureTranslator(card);
        }
        throw new TranslateException(
                "fourier4j models translate Image to Classifications or to float[] features, not "
                        + input.getSimpleName()
                        + " to "
                        + output.getSimpleName());
    }
}
