package org.fourier4j.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A small wrapper of an ONNX Runtime (CPU) session for float models with one input: open with a
 * thread count, run a float array, read float outputs. Used to check exported graphs and to time
 * them.
 *
 * <pre>{@code
 * try (OnnxRuntimeSession s = OnnxRuntimeSession.open(Path.of("model.onnx"), 2)) {
 *     OnnxRuntimeSession.Output y = s.run(pixels, 1, 3, 224, 224);
 *     float[] logits = y.data();
 * }
 * }</pre>
 */
public final class OnnxRuntimeSession implements AutoCloseable {

    private final OrtEnvironment env;
    private final OrtSession session;
    private final String inputName;

    private OnnxRuntimeSession(OrtEnvironment env, OrtSession session) {
        this.env = env;
        this.session = session;
        this.inputName = session.getInputNames().iterator().next();
    }

    /**
     * Opens a model file.
     *
     * @param model the .onnx file
     * @param intraOpThreads threads of one operator (ONNX Runtime's intra-op pool), at least 1
     * @return the session
     * @throws OnnxExportException if ONNX Runtime rejects the model (with its message)
     */
    public static OnnxRuntimeSession open(Path model, int intraOpThreads) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = options(intraOpThreads, false)) {
            return new OnnxRuntimeSession(env, env.createSession(model.toString(), options));
        } catch (OrtException e) {
            throw new OnnxExportException(
                    "ONNX Runtime cannot load " + model + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens a serialised model.
     *
     * @param model the model's bytes
     * @param intraOpThreads threads of one operator, at least 1
     * @return the session
     * @throws OnnxExportException if ONNX Runtime rejects the model (with its message)
     */
    public static OnnxRuntimeSession open(byte[] model, int intraOpThreads) {
        return open(model, intraOpThreads, false);
    }

    /**
     * Opens a serialised model, optionally with strict shape inference: a shape declared in the
     * model (its {@code value_info}) that differs from the one ONNX Runtime infers is then an error
     * instead of a warning. fourier4j's exports declare every intermediate shape, so this checks
     * the exporters' shape bookkeeping against ONNX's own inference.
     *
     * @param model the model's bytes
     * @param intraOpThreads threads of one operator, at least 1
     * @param strictShapeInference whether shape mismatches are errors
     * @return the session
     * @throws OnnxExportException if ONNX Runtime rejects the model (with its message)
     */
    public static OnnxRuntimeSession open(
            byte[] model, int intraOpThreads, boolean strictShapeInference) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = options(intraOpThreads, strictShapeInference)) {
            return new OnnxRuntimeSession(env, env.createSession(model, options));
        } catch (OrtException e) {
            throw new OnnxExportException(
                    "ONNX Runtime cannot load the model: " + e.getMessage(), e);
        }
    }

    private static OrtSession.SessionOptions options(int intraOpThreads, boolean strict)
            throws OrtException {
        if (intraOpThreads < 1) {
            throw new IllegalArgumentException(
                    "intraOpThreads must be at least 1, got " + intraOpThreads);
        }
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(intraOpThreads);
        options.setInterOpNumThreads(1);
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
        if (strict) {
            options.addConfigEntry("session.strict_shape_type_inference", "1");
        }
        return options;
    }

    /**
     * @return the input's name
     */
    public String inputName() {
        return inputName;
    }

    /**
     * @return the outputs' names, in order
     */
    public List<String> outputNames() {
        return new ArrayList<>(session.getOutputNames());
    }

    /**
     * Runs the model on one float input and returns its first output.
     *
     * @param input the input values, row-major
     * @param shape the input shape
     * @return the first output
     */
    public Output run(float[] input, long... shape) {
        return runAll(input, shape).get(0);
    }

    /**
     * Runs the model on one float input and returns all outputs.
     *
     * @param input the input values, row-major
     * @param shape the input shape
     * @return the outputs, in the model's order
     * @throws IllegalArgumentException if the values do not fill the shape
     * @throws OnnxExportException if ONNX Runtime fails (with its message)
     */
    public List<Output> runAll(float[] input, long... shape) {
        return runAll(FloatBuffer.wrap(input), shape);
    }

    /**
     * Runs the model on one float input given as a buffer: a direct buffer in native order (an
     * engine array's memory, for example) is read in place, without a copy.
     *
     * @param input the input values, row-major, from its position to its limit
     * @param shape the input shape
     * @return the outputs, in the model's order
     * @throws IllegalArgumentException if the values do not fill the shape
     * @throws OnnxExportException if ONNX Runtime fails (with its message)
     */
    public List<Output> runAll(FloatBuffer input, long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        if (n != input.remaining()) {
            throw new IllegalArgumentException(
                    input.remaining()
                            + " input values do not fill shape "
                            + Arrays.toString(shape));
        }
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, input, shape);
                OrtSession.Result result = session.run(Map.of(inputName, tensor))) {
            List<Output> outputs = new ArrayList<>();
            for (Map.Entry<String, OnnxValue> e : result) {
                OnnxTensor t = (OnnxTensor) e.getValue();
                FloatBuffer b = t.getFloatBuffer();
                float[] data = new float[b.remaining()];
                b.get(data);
                outputs.add(new Output(data, t.getInfo().getShape()));
            }
            return outputs;
        } catch (OrtException e) {
            throw new OnnxExportException("ONNX Runtime run failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new OnnxExportException("ONNX Runtime: closing the session failed", e);
        }
    }

    /**
     * One float output.
     *
     * @param data the values, row-major
     * @param shape the shape
     */
    public record Output(float[] data, long[] shape) {}
}
