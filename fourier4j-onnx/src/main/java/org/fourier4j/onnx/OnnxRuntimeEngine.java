package org.fourier4j.onnx;

import ai.onnxruntime.OrtEnvironment;
import java.util.List;
import org.fourier4j.inference.engine.InferenceEngine;
import org.fourier4j.models.ImageClassifier;

/**
 * ONNX Runtime as an inference engine of fourier4j: the model is exported in memory ({@link
 * OnnxExport}, its inference form, symbolic batch, the default transform rule, its pre-logits as a
 * second output) and run in a session with the given intra-op threads. Registered with {@link
 * java.util.ServiceLoader}.
 */
public final class OnnxRuntimeEngine implements InferenceEngine {

    /** The engine's name. */
    public static final String NAME = "onnxruntime";

    /** The graph's second output: the classifier's pre-logits. */
    static final String PRE_LOGITS = "pre_logits";

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
        boolean preLogits = true;
        try {
            graph = export(model, height, width, true);
        } catch (OnnxExportException withPreLogits) {
            // a classifier without fourier4j's head: its logits alone
            preLogits = false;
            try {
                graph = export(model, height, width, false);
            } catch (OnnxExportException e) {
                throw new UnsupportedOperationException(e.getMessage(), e);
            }
        }
        OnnxRuntimeSession session = OnnxRuntimeSession.open(graph, Math.max(1, threads));
        boolean hasPreLogits = preLogits;
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
            public float[][] logitsAndPreLogits(java.nio.FloatBuffer input, long[] shape) {
                if (!hasPreLogits) {
                    return Runner.super.logitsAndPreLogits(input, shape);
                }
                List<OnnxRuntimeSession.Output> out = session.runAll(input, shape);
                return new float[][] {out.get(0).data(), out.get(1).data()};
            }

            @Override
            public void close() {
                session.close();
            }
        };
    }

    /** The model's graph: the logits, and its pre-logits as a second output when asked. */
    private static byte[] export(
            ImageClassifier model, int height, int width, boolean withPreLogits) {
        OnnxExportOptions.Builder options = OnnxExportOptions.builder();
        if (withPreLogits) {
            options.preLogitsName(PRE_LOGITS);
        }
        return OnnxExport.toModel(model, height, width, options.build()).toByteArray();
    }
}
