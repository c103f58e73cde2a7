package org.fourier4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The small MetaFormer-baseline pieces DFFormer is made of, each against its formula in float64
 * (relative error <= 1e-12) and, when it has parameters, against finite differences ({@link
 * BlockTesting#checkGradients}): StarReLU, the bias-free layer norm, the squared ReLU and a
 * residual unit whose shortcut is scaled.
 */
class MetaFormerPartsTest {

    private static final Shape SHAPE = new Shape(2, 3, 4, 5);

    private static double[] run(Block b, NDManager m, NDArray x) {
        return BlockTesting.forward(b, m, x, false).toDoubleArray();
    }

    private static void set(Block b, String name, double... values) {
        ParameterNames.of(b).get(name).getArray().set(values);
    }

    @Test
    void starReluIsScaleTimesSquaredReluPlusBias() {
        try (NDManager m = NDManager.newBaseManager()) {
            StarReLU act = BlockTesting.initialize(new StarReLU(), m, DataType.FLOAT64, SHAPE, 1);
            Map<String, ?> names = ParameterNames.of(act);
            assertEquals(java.util.List.of("scale", "bias"), java.util.List.copyOf(names.keySet()));
            NDArray x = BlockTesting.input(m, 2, DataType.FLOAT64, SHAPE.getShape());
            double[] in = x.toDoubleArray();
            double[] identity = run(act, m, x);
            for (int i = 0; i < in.length; i++) {
                double r = Math.max(in[i], 0);
                assertEquals(r * r, identity[i], 1e-15, "initial scale 1, bias 0");
            }
            set(act, "scale", 0.8);
            set(act, "bias", -0.3);
            double[] out = run(act, m, x);
            for (int i = 0; i < in.length; i++) {
                double r = Math.max(in[i], 0);
                assertEquals(0.8 * r * r - 0.3, out[i], 1e-12);
            }
            BlockTesting.checkGradients("StarReLU", act, m, x, false, 1e-5);
        }
    }

    @Test
    void layerNormNoBiasNormalisesTheLastAxisAndScales() {
        try (NDManager m = NDManager.newBaseManager()) {
            LayerNormNoBias norm =
                    BlockTesting.initialize(
                            new LayerNormNoBias(1e-6f), m, DataType.FLOAT64, SHAPE, 1);
            assertEquals(java.util.Set.of("weight"), ParameterNames.of(norm).keySet());
            double[] w = {0.5, 1.5, -1, 2, 0.25};
            set(norm, "weight", w);
            NDArray x = BlockTesting.input(m, 3, DataType.FLOAT64, SHAPE.getShape());
            double[] in = x.toDoubleArray();
            double[] expected = new double[in.length];
            for (int row = 0; row < in.length / 5; row++) {
                double mean = 0;
                for (int c = 0; c < 5; c++) {
                    mean += in[row * 5 + c] / 5;
                }
                double var = 0;
                for (int c = 0; c < 5; c++) {
                    var += (in[row * 5 + c] - mean) * (in[row * 5 + c] - mean) / 5;
                }
                for (int c = 0; c < 5; c++) {
                    expected[row * 5 + c] =
                            (in[row * 5 + c] - mean) / Math.sqrt(var + 1e-6f) * w[c];
                }
            }
            double err = BlockTesting.relativeError(run(norm, m, x), expected);
            assertTrue(err <= 1e-12, "relative error " + err);
            BlockTesting.checkGradients("LayerNormNoBias", norm, m, x, false, 1e-5);
        }
    }

    @Test
    void squaredRelu() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = BlockTesting.input(m, 4, DataType.FLOAT64, 7);
            double[] in = x.toDoubleArray();
            double[] out = Act.Kind.SQUARED_RELU.apply(x).toDoubleArray();
            for (int i = 0; i < in.length; i++) {
                assertEquals(in[i] > 0 ? in[i] * in[i] : 0, out[i], 1e-15);
            }
            assertEquals(Act.Kind.SQUARED_RELU, Act.Kind.parse("squared_relu"));
        }
    }

    @Test
    void aScaledShortcutIsSkipTimesInputPlusTheBranch() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block unit =
                    BlockTesting.initialize(
                            new Sequence()
                                    .add(
                                            "unit",
                                            Residual.builder()
                                                    .add("norm1", new LayerNormNoBias(1e-6f))
                                                    .add("act", new StarReLU())
                                                    .skip(
                                                            "res_scale1",
                                                            new LayerScale("scale", 1f, false))
                                                    .build()),
                            m,
                            DataType.FLOAT64,
                            SHAPE,
                            1);
            // the unit is transparent: the shortcut's scale is named as the paper's code names it
            assertEquals(
                    java.util.List.of("norm1.weight", "act.scale", "act.bias", "res_scale1.scale"),
                    java.util.List.copyOf(ParameterNames.of(unit).keySet()));
            double[] scale = {0.5, -1, 2, 1.5, 0.1};
            set(unit, "res_scale1.scale", scale);
            NDArray x = BlockTesting.input(m, 5, DataType.FLOAT64, SHAPE.getShape());
            double[] in = x.toDoubleArray();
            double[] branch;
            try (NDManager step = m.newSubManager()) {
                LayerNormNoBias norm =
                        BlockTesting.initialize(
                                new LayerNormNoBias(1e-6f), step, DataType.FLOAT64, SHAPE, 1);
                NDArray n = BlockTesting.forward(norm, step, x, false);
                branch = n.mul(n).mul(n.gt(0)).toDoubleArray(); // StarReLU at scale 1, bias 0
            }
            double[] out = run(unit, m, x);
            for (int i = 0; i < in.length; i++) {
                assertEquals(scale[i % 5] * in[i] + branch[i], out[i], 1e-12);
            }
            BlockTesting.checkGradients("Residual with res scale", unit, m, x, false, 1e-5);
        }
    }
}
