package org.fourier4j.inference.engine;

import org.fourier4j.models.ImageClassifier;

/**
 * A runtime other than DJL that can compute a model's logits, found with {@link
 * java.util.ServiceLoader} (fourier4j-onnx registers ONNX Runtime). {@link EngineChoice} times it
 * against fourier4j's own {@link org.fourier4j.plan.InferencePlan} per model and input shape and
 * keeps the faster.
 */
public interface InferenceEngine {

    /**
     * @return the engine's name, e.g. {@code onnxruntime}; also its value of {@code --engine}
     */
    String name();

    /**
     * @return the engine's version, part of every cached decision (a new version decides anew)
     */
    String version();

    /**
     * Prepares a model for inputs of one image size (any batch).
     *
     * @param model the initialised network with its weights, in its inference form
     * @param height H
     * @param width W
     * @param threads intra-op threads
     * @return the runner; the caller closes it
     * @throws UnsupportedOperationException if the model cannot run in this engine (the caller
     *     keeps DJL)
     */
    Runner open(ImageClassifier model, int height, int width, int threads);

    /** A model prepared by an engine. Safe to call from several threads. */
    interface Runner extends AutoCloseable {

        /**
         * @param input (B, C, H, W) values, row-major
         * @param shape the input's shape
         * @return the logits (B, classes), row-major
         */
        float[] logits(float[] input, long[] shape);

        /**
         * @param input (B, C, H, W) values, row-major, from the buffer's position to its limit (a
         *     direct buffer in native order may be read in place)
         * @param shape the input's shape
         * @return the logits (B, classes), row-major
         */
        default float[] logits(java.nio.FloatBuffer input, long[] shape) {
            float[] copy = new float[input.remaining()];
            input.duplicate().get(copy);
            return logits(copy, shape);
        }

        /**
         * The logits and the pre-logits (the classifier's input: pooled, normalised features), as
         * DJL's predictors return them.
         *
         * @param input (B, C, H, W) values, row-major, from the buffer's position to its limit
         * @param shape the input's shape
         * @return {logits (B, classes), pre-logits (B, D)}, row-major
         * @throws UnsupportedOperationException if this runner computes the logits alone
         */
        default float[][] logitsAndPreLogits(java.nio.FloatBuffer input, long[] shape) {
            throw new UnsupportedOperationException("this engine computes the logits alone");
        }

        @Override
        void close();
    }
}
