package org.fourier4j.inference.djl;

import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import java.util.ArrayList;
import java.util.List;
import org.fourier4j.inference.ImagePreprocessor;
import org.fourier4j.inference.ModelCard;

/**
 * Images to class probabilities with the model's own preprocessing and class names (from its card):
 * what {@code fourier4j predict} prints. The softmax is computed in double precision.
 */
public final class ClassificationTranslator implements Translator<Image, Classifications> {

    private final ImagePreprocessor preprocessor;
    private final List<String> classes;
    private final int topK;

    /**
     * Creates the translator.
     *
     * @param card the model's card
     * @param topK how many classes {@link Classifications#toString()} shows
     */
    public ClassificationTranslator(ModelCard card, int topK) {
        this.preprocessor = new ImagePreprocessor(card.preprocessing());
        this.classes = card.classes();
        this.topK = topK;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, Image input) {
        return new NDList(preprocessor.toInput(ctx.getNDManager(), input));
    }

    @Override
    public Classifications processOutput(TranslatorContext ctx, NDList list) {
        NDArray logits = list.get(0);
        Classifications c = new Classifications(classes, softmax(logits.toFloatArray()));
        c.setTopK(topK);
        return c;
    }

    @Override
    public Batchifier getBatchifier() {
        return Batchifier.STACK;
    }

    /**
     * Softmax in double precision.
     *
     * @param logits one image's logits
     * @return probabilities summing to 1 up to rounding
     */
    public static List<Double> softmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp(logits[i] - max);
            sum += p[i];
        }
        List<Double> out = new ArrayList<>(p.length);
        for (double v : p) {
            out.add(v / sum);
        }
        return out;
    }
}
