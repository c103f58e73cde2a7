package org.fourier4j.inference;

import ai.djl.MalformedModelException;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import java.io.IOException;
import java.nio.file.Path;
import org.fourier4j.inference.djl.Fourier4jTranslatorFactory;

/**
 * The shortest way to a DJL model from a fourier4j model directory (from {@code import} or {@code
 * train}). These are DJL's own {@code Criteria} with {@code optModelPath} (the directory's {@code
 * serving.properties} names fourier4j's block factory) and fourier4j's translator factory (DJL 0.35
 * reads {@code serving.properties} only after it has chosen the translator, so the factory is
 * passed explicitly; {@code .optArgument("translatorFactory", Fourier4jTranslatorFactory.class
 * .getName())} does the same). Share the returned model between threads and create one {@code
 * Predictor} per thread, as DJL documents.
 *
 * <pre>{@code
 * try (ZooModel<Image, Classifications> model = Fourier4jModels.classifier(dir);
 *         Predictor<Image, Classifications> predictor = model.newPredictor()) {
 *     Classifications c = predictor.predict(ImageFactory.getInstance().fromFile(path));
 * }
 * }</pre>
 */
public final class Fourier4jModels {

    private Fourier4jModels() {}

    /**
     * A classifier: images to class probabilities, with the model's preprocessing and names.
     *
     * @param dir the model directory
     * @return the model; close it when done
     * @throws IOException if the directory cannot be read
     * @throws ModelNotFoundException if it is not a model directory
     * @throws MalformedModelException if its files are inconsistent
     */
    public static ZooModel<Image, Classifications> classifier(Path dir)
            throws IOException, ModelNotFoundException, MalformedModelException {
        return Criteria.builder()
                .setTypes(Image.class, Classifications.class)
                .optModelPath(dir)
                .optEngine("PyTorch")
                .optTranslatorFactory(new Fourier4jTranslatorFactory())
                .build()
                .loadModel();
    }

    /**
     * A feature extractor: images to the features before the classifier.
     *
     * @param dir the model directory
     * @return the model; close it when done
     * @throws IOException if the directory cannot be read
     * @throws ModelNotFoundException if it is not a model directory
     * @throws MalformedModelException if its files are inconsistent
     */
    public static ZooModel<Image, float[]> featureExtractor(Path dir)
            throws IOException, ModelNotFoundException, MalformedModelException {
        return Criteria.builder()
                .setTypes(Image.class, float[].class)
                .optModelPath(dir)
                .optEngine("PyTorch")
                .optTranslatorFactory(new Fourier4jTranslatorFactory())
                .build()
                .loadModel();
    }
}
