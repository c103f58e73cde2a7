package org.fourier4j.onnx;

import ai.onnxruntime.OrtEnvironment;
import org.fourier4j.inference.engine.InferenceEngine;
import org.fourier4j.models.ImageClassifier;

/**
 * ONNX Runtime as an inference engine of fourier4j: the model is exported in memory ({@link
 * OnnxExport}, its inference form, symbolic batch, the default transform rule) and run in a session
 * with the given intra-op threads. Registered with {@link java.util.ServiceLoader}.
 */
public final class OnnxRuntimeEngine implements InferenceEngine {

    /** The engine's name. */
    public static final String NAME = "onnxruntime";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String version() {
        return "onnxruntime " + OrtEnvironment.getEnvironment().getVersion();
    }

    @Override
    public Runner open(ImageClassifier model, int height, int width, int threads) {
        byte[] graph;
        try {
            graph =
                    OnnxExport.toModel(model, height, width, OnnxExportOptions.defaults())
                            .toByteArray();
        } catch (OnnxExportException e) {
            throw new UnsupportedOperationException(e.getMessage(), e);
        }
        OnnxRuntimeSession session = OnnxRuntimeSession.open(graph, Math.max(1, threads));
        return new Runner() {
            @Override
            public float[] logits(float[] input, long[] shape) {
                return session.run(input, shape).data();
            }

            @Override
            public float[] logits(java.nio.FloatBuffer input, long[] shape) {
                return session.runAll(input, shape).get(0).data();
            }

            @Override
            public void close() {
                session.close();
            }
        };
    }
}
