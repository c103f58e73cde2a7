package org.fourier4j.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.Random;
import org.fourier4j.models.ClassifierHead;
import org.fourier4j.models.MetaFormer;
import org.fourier4j.models.ModelOptions;
import org.fourier4j.nn.Permute;
import org.fourier4j.nn.Residual;
import org.fourier4j.nn.Sequence;
import org.fourier4j.onnx.proto.Onnx.ModelProto;

/**
 * Exports one block, runs the graph in ONNX Runtime (strict shape inference, one thread) and
 * compares with the block's DJL forward in inference mode, within {@code 1e-4 max(1, max|ref|)}
 * (float32): at the export shape and, with the dynamic batch, at batch 3.
 */
public final class ExportTesting {

    /** The tolerance factor of the comparison. */
    public static final double TOLERANCE = 1e-4;

    private ExportTesting() {}

    /**
     * Initialises a block for an input shape and replaces every parameter by random values
     * (variances and norms positive), so that no term of the forward pass is zero by
     * initialisation.
     *
     * @param manager the manager
     * @param block the block
     * @param seed the random seed
     * @param input the input shape
     * @return the block
     */
    public static <B extends Block> B initialise(
            NDManager manager, B block, long seed, Shape input) {
        block.initialize(manager, DataType.FLOAT32, input);
        Random random = new Random(seed);
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray a = p.getValue().getArray();
            String name = p.getKey().toLowerCase(java.util.Locale.ROOT);
            boolean positive = name.endsWith("runningvar") || name.endsWith("kernel_norm");
            float[] v = new float[(int) a.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = positive ? 0.5f + random.nextFloat() : (float) (0.5 * random.nextGaussian());
            }
            a.set(v);
        }
        return block;
    }

    /**
     * Random normal input values.
     *
     * @param shape the shape
     * @param seed the seed
     * @return the values
     */
    public static float[] randomInput(Shape shape, long seed) {
        Random random = new Random(seed);
        float[] v = new float[(int) shape.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    /**
     * The block's inference-mode forward pass.
     *
     * @param manager the manager
     * @param block the block
     * @param input the input values
     * @param shape the input shape
     * @return the output values
     */
    public static float[] forward(NDManager manager, Block block, float[] input, Shape shape) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = scope.create(input, shape);
            NDArray y =
                    block.forward(new ParameterStore(scope, false), new NDList(x), false)
                            .singletonOrThrow();
            return y.toType(DataType.FLOAT32, false).toFloatArray();
        }
    }

    /**
     * Exports a block at an input shape and checks ONNX Runtime's output against DJL's, also at
     * batch 3 when the batch is dynamic.
     *
     * @param manager the manager
     * @param block the block, initialised
     * @param shape the input shape
     * @param options the export options
     * @return the model
     */
    public static ModelProto check(
            NDManager manager, Block block, Shape shape, OnnxExportOptions options) {
        ModelProto model = OnnxExport.toModel(block, shape, options);
        try (OnnxRuntimeSession session = OnnxRuntimeSession.open(model.toByteArray(), 1, true)) {
            compare(manager, block, session, shape, 11);
            if (options.dynamicBatch()) {
                long[] s = shape.getShape();
                s[0] = 3;
                compare(manager, block, session, new Shape(s), 12);
            }
        }
        return model;
    }

    /**
     * {@link #check} with default options.
     *
     * @param manager the manager
     * @param block the block, initialised
     * @param shape the input shape
     * @return the model
     */
    public static ModelProto check(NDManager manager, Block block, Shape shape) {
        return check(manager, block, shape, OnnxExportOptions.defaults());
    }

    private static void compare(
            NDManager manager, Block block, OnnxRuntimeSession session, Shape shape, long seed) {
        float[] input = randomInput(shape, seed);
        float[] expected = forward(manager, block, input, shape);
        OnnxRuntimeSession.Output actual = session.run(input, shape.getShape());
        Shape djlShape;
        try (NDManager scope = manager.newSubManager()) {
            djlShape =
                    block.forward(
                                    new ParameterStore(scope, false),
                                    new NDList(scope.create(input, shape)),
                                    false)
                            .singletonOrThrow()
                            .getShape();
        }
        assertArrayEquals(djlShape.getShape(), actual.shape(), "output shape for input " + shape);
        assertClose(expected, actual.data(), "input " + shape);
    }

    /**
     * Asserts {@code max|a - e| <= 1e-4 max(1, max|e|)}.
     *
     * @param expected the reference
     * @param actual the values checked
     * @param what for the message
     */
    public static void assertClose(float[] expected, float[] actual, String what) {
        assertTrue(
                expected.length == actual.length,
                what + ": " + actual.length + " values, expected " + expected.length);
        double scale = 1;
        double worst = 0;
        int at = -1;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            double d = Math.abs(expected[i] - actual[i]);
            if (!(d <= worst)) {
                worst = d;
                at = i;
            }
        }
        assertTrue(
                worst <= TOLERANCE * scale,
                what
                        + ": max |difference| "
                        + worst
                        + " at "
                        + at
                        + " exceeds "
                        + TOLERANCE
                        + " * "
                        + scale
                        + (at >= 0
                                ? " (expected " + expected[at] + ", got " + actual[at] + ")"
                                : ""));
    }

    /**
     * A model on the zoo's skeleton whose token mixer is opaque Java code (a lambda), which no
     * exporter knows: 4 classes.
     */
    static MetaFormer opaqueMixerModel(ModelOptions options) {
        return MetaFormer.builder("custom", options)
                .stem(Sequence.of(new Permute(Permute.TO_CHANNELS_LAST)))
                .stage(
                        null,
                        1,
                        (j, rate) ->
                                Residual.builder()
                                        .add("mixer", new LambdaBlock(l -> l, "opaque"))
                                        .build())
                .head(ClassifierHead.builder(ClassifierHead.Pool.MEAN_CHANNELS_LAST, 4).build())
                .build();
    }
}
