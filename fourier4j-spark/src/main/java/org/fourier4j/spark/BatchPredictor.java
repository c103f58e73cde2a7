package org.fourier4j.spark;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.fourier4j.inference.ImagePreprocessor;
import org.fourier4j.inference.LoadedModel;
import org.fourier4j.inference.ModelCard;
import org.fourier4j.inference.djl.ClassificationTranslator;

/**
 * Classifies (and optionally embeds) a batch of encoded images with one forward pass: each image is
 * decoded ({@link ImageDecoder}) and prepared by the model card's {@link ImagePreprocessor}, the
 * good ones go through the network together, and the softmax is {@link
 * ClassificationTranslator#softmax}, the code of the single-JVM predictor. An image that cannot be
 * decoded gets a result with its error; the others are unaffected. Thread-safe: it only reads the
 * model, and each batch runs in its own sub-manager.
 */
public final class BatchPredictor {

    /** One class of an image's top k. */
    public record RankedClass(int rank, String label, int classIndex, double probability) {}

    /**
     * One image's outcome: its top classes (and features), or the reason it has none.
     *
     * @param top the most probable classes, most probable first (empty on error)
     * @param embedding the classifier's input features, or null when not asked for or on error
     * @param error why the image was not predicted, or null
     */
    public record Result(List<RankedClass> top, float[] embedding, String error) {
        static Result failed(String error) {
            return new Result(List.of(), null, error);
        }

        /**
         * @return whether the image was predicted
         */
        public boolean ok() {
            return error == null;
        }
    }

    private final LoadedModel model;
    private final ImagePreprocessor preprocessor;
    private final List<String> classes;
    private final int topK;
    private final boolean embed;

    /**
     * Creates a predictor.
     *
     * @param model the loaded model (not closed by this predictor)
     * @param topK classes per image; more than the model has gives all of them
     * @param embed whether to return the features as well
     * @throws IllegalArgumentException if {@code topK < 1} or the model does not take RGB images
     */
    public BatchPredictor(LoadedModel model, int topK, boolean embed) {
        if (topK < 1) {
            throw new IllegalArgumentException("top-k must be at least 1, got " + topK);
        }
        ModelCard card = model.card();
        if (card.inChannels() != 3) {
            throw new IllegalArgumentException(
                    "model '"
                            + card.model()
                            + "' of "
                            + model.location()
                            + " takes "
                            + card.inChannels()
                            + " input channel(s); image prediction needs an RGB model");
        }
        this.model = model;
        this.preprocessor = new ImagePreprocessor(card.preprocessing());
        this.classes = card.classes();
        this.topK = Math.min(topK, classes.size());
        this.embed = embed;
    }

    /**
     * Predicts a batch.
     *
     * @param images encoded images (null or empty entries become error results)
     * @return one result per image, in order
     */
    public List<Result> predict(List<byte[]> images) {
        int crop = preprocessor.preprocessing().crop();
        int plane = 3 * crop * crop;
        Result[] results = new Result[images.size()];
        int[] slot = new int[images.size()];
        float[] batch = new float[images.size() * plane];
        int good = 0;
        for (int i = 0; i < images.size(); i++) {
            try {
                ImageDecoder.Pixels p = ImageDecoder.decode(images.get(i));
                float[] x =
                        preprocessor.normalise(
                                preprocessor.pixels(p.argb(), p.width(), p.height()));
                System.arraycopy(x, 0, batch, good * plane, plane);
                slot[good++] = i;
            } catch (ImageDecoder.ImageDecodeException e) {
                results[i] = Result.failed(e.getMessage());
            } catch (RuntimeException e) {
                results[i] = Result.failed("cannot be prepared for the model (" + e + ")");
            }
        }
        if (good > 0) {
            float[] logits;
            float[] features = null;
            int width;
            try (NDManager scope = model.manager().newSubManager()) {
                NDArray x =
                        scope.create(
                                good == images.size() ? batch : Arrays.copyOf(batch, good * plane),
                                new Shape(good, 3, crop, crop));
                NDList out = forward(x);
                logits = out.get(0).toFloatArray();
                width = embed ? (int) out.get(1).getShape().get(1) : 0;
                if (embed) {
                    features = out.get(1).toFloatArray();
                }
            }
            int n = classes.size();
            for (int j = 0; j < good; j++) {
                float[] row = Arrays.copyOfRange(logits, j * n, (j + 1) * n);
                float[] embedding =
                        embed ? Arrays.copyOfRange(features, j * width, (j + 1) * width) : null;
                results[slot[j]] = new Result(top(row), embedding, null);
            }
        }
        return Arrays.asList(results);
    }

    /**
     * Runs the network once on a blank image, so that a model that cannot serve this predictor
     * fails here, with a clear message, rather than in every task.
     *
     * @throws IllegalArgumentException if the model cannot give what is asked (e.g. features)
     */
    public void check() {
        int crop = preprocessor.preprocessing().crop();
        try (NDManager scope = model.manager().newSubManager()) {
            forward(scope.zeros(new Shape(1, 3, crop, crop)));
        }
    }

    /** Logits, and with {@code embed} the classifier's input features. */
    private NDList forward(NDArray x) {
        if (!embed) {
            // the logits alone: every model has them, not all separate their features
            return new NDList(model.logits(x));
        }
        try {
            return model.forward(x);
        } catch (UnsupportedOperationException e) {
            throw new IllegalArgumentException(
                    "model '"
                            + model.card().model()
                            + "' of "
                            + model.location()
                            + " cannot give the features --embed writes ("
                            + e.getMessage()
                            + ")",
                    e);
        }
    }

    private List<RankedClass> top(float[] logits) {
        List<Double> p = ClassificationTranslator.softmax(logits);
        Integer[] order = new Integer[p.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        // most probable first; equal probabilities in class order, so the output is stable
        Arrays.sort(
                order, Comparator.comparingDouble((Integer i) -> -p.get(i)).thenComparing(i -> i));
        List<RankedClass> out = new ArrayList<>(topK);
        for (int r = 0; r < topK; r++) {
            int c = order[r];
            out.add(new RankedClass(r + 1, classes.get(c), c, p.get(c)));
        }
        return out;
    }
}
