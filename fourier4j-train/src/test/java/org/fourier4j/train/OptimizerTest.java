package org.fourier4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Update rules against values worked out by hand (the formulas in each class's Javadoc). */
class OptimizerTest {

    private static final float[][] GRADS = {{0.5f, -0.25f}, {-1.0f, 0.75f}, {0.2f, 0.1f}};

    private static Parameter param(NDManager m, String name, float... values) {
        Parameter p =
                Parameter.builder()
                        .setName(name)
                        .setType(Parameter.Type.WEIGHT)
                        .optInitializer(new ai.djl.training.initializer.ConstantInitializer(0))
                        .optShape(new Shape(values.length))
                        .build();
        p.initialize(m, DataType.FLOAT32);
        p.getArray().set(FloatBuffer.wrap(values));
        return p;
    }

    /** Makes the gradient of {@code w} equal {@code g} (backward of sum(w * g)). */
    private static void setGradient(NDManager m, TrainableParameter p, float[] g) {
        try (NDManager s = m.newSubManager();
                GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray c = s.create(g);
            gc.backward(c.mul(p.array()).sum());
        }
    }

    private static double[][] run(ParamOptimizer opt, NDManager m, TrainableParameter p) {
        double[][] out = new double[GRADS.length][];
        for (int t = 0; t < GRADS.length; t++) {
            setGradient(m, p, GRADS[t]);
            opt.step(0.1, Double.NaN);
            float[] w = p.array().toFloatArray();
            out[t] = new double[] {w[0], w[1]};
        }
        return out;
    }

    private static void assertClose(double[][] expected, double[][] actual) {
        for (int t = 0; t < expected.length; t++) {
            assertArrayEquals(expected[t], actual[t], 2e-6, "after step " + (t + 1));
        }
    }

    @Test
    void adamWDecoupledDecayForTheDecayGroup() {
        try (NDManager m = NDManager.newBaseManager()) {
            TrainableParameter p = new TrainableParameter("w", param(m, "w", 1f, -2f), true);
            try (AdamW opt = new AdamW(List.of(p), m, 0.9, 0.999, 1e-8, 0.1)) {
                // step 1 by hand: w (1 - lr wd) - lr * g / (|g| + eps): 0.99 - 0.1 = 0.89
                assertClose(
                        new double[][] {
                            {0.890000002, -1.880000004},
                            {0.9177103542, -1.9106189864},
                            {0.9251350022, -1.9374323841}
                        },
                        run(opt, m, p));
                assertEquals(3, opt.steps());
                // moments after step 3: m = 0.9 m + 0.1 g
                float[] avg = opt.slot("exp_avg", "w").toFloatArray();
                assertEquals(0.9 * (0.9 * 0.05 - 0.1) + 0.1 * 0.2, avg[0], 1e-7);
            }
        }
    }

    @Test
    void adamWNoDecayGroup() {
        try (NDManager m = NDManager.newBaseManager()) {
            TrainableParameter p = new TrainableParameter("b", param(m, "b", 1f, -2f), false);
            try (AdamW opt = new AdamW(List.of(p), m, 0.9, 0.999, 1e-8, 0.1)) {
                assertClose(
                        new double[][] {
                            {0.900000002, -1.900000004},
                            {0.9366103542, -1.9494189864},
                            {0.9532121057, -1.9953385740}
                        },
                        run(opt, m, p));
            }
        }
    }

    @Test
    void adamWMomentumOverrideIsItsBeta1() {
        try (NDManager m = NDManager.newBaseManager()) {
            TrainableParameter p = new TrainableParameter("w", param(m, "w", 1f, -2f), false);
            try (AdamW opt = new AdamW(List.of(p), m, 0.9, 0.999, 1e-8, 0)) {
                setGradient(m, p, GRADS[0]);
                opt.step(0.1, 0.5);
                setGradient(m, p, GRADS[1]);
                opt.step(0.1, 0.5);
                // beta1 = 0.5: m2 = 0.5 * 0.25 - 0.5 = -0.375, mhat = -0.375 / 0.75 = -0.5;
                // v2 = 0.999 * 0.00025 + 0.001, vhat = v2 / 0.001999 -> sqrt 0.790688
                double v2 = 0.999 * 0.00025 + 0.001;
                double w2 = 0.9 + 0.1 * 0.5 / Math.sqrt(v2 / (1 - 0.999 * 0.999));
                assertEquals(w2, p.array().toFloatArray()[0], 2e-6);
            }
        }
    }

    @Test
    void sgdNesterovWithAndWithoutDecay() {
        try (NDManager m = NDManager.newBaseManager()) {
            TrainableParameter d = new TrainableParameter("w", param(m, "w", 1f, -2f), true);
            try (SgdNesterov opt = new SgdNesterov(List.of(d), m, 0.9, true, 0.1)) {
                // step 1: d = 0.5 + 0.1 * 1 = 0.6, buf = 0.6, w = 1 - 0.1 (0.6 + 0.9 * 0.6)
                assertClose(
                        new double[][] {
                            {0.886, -1.9145}, {1.010566, -1.9841745}, {0.983448646, -1.9779127345}
                        },
                        run(opt, m, d));
            }
            TrainableParameter n = new TrainableParameter("b", param(m, "b", 1f, -2f), false);
            try (SgdNesterov opt = new SgdNesterov(List.of(n), m, 0.9, true, 0.1)) {
                assertClose(
                        new double[][] {{0.905, -1.9525}, {1.0545, -2.07475}, {1.06105, -2.136275}},
                        run(opt, m, n));
            }
            TrainableParameter plain = new TrainableParameter("p", param(m, "p", 1f, -2f), true);
            try (SgdNesterov opt = new SgdNesterov(List.of(plain), m, 0.9, false, 0.1)) {
                assertClose(
                        new double[][] {{0.94, -1.955}, {0.9766, -1.96995}, {0.979774, -1.9737055}},
                        run(opt, m, plain));
            }
        }
    }

    @Test
    void stepZeroesTheGradients() {
        try (NDManager m = NDManager.newBaseManager()) {
            TrainableParameter p = new TrainableParameter("w", param(m, "w", 1f, -2f), true);
            try (AdamW opt = new AdamW(List.of(p), m, 0.9, 0.999, 1e-8, 0.1)) {
                setGradient(m, p, GRADS[0]);
                setGradient(m, p, GRADS[0]);
                assertArrayEquals(
                        new float[] {1f, -0.5f},
                        p.array().getGradient().toFloatArray(),
                        0f,
                        "gradients accumulate until a step");
                opt.step(0.1, Double.NaN);
                assertArrayEquals(new float[] {0f, 0f}, p.array().getGradient().toFloatArray(), 0f);
            }
        }
    }

    @Test
    void stateRestoresExactly() {
        try (NDManager m = NDManager.newBaseManager()) {
            TrainableParameter a = new TrainableParameter("w", param(m, "w", 1f, -2f), true);
            TrainableParameter b = new TrainableParameter("w", param(m, "w", 1f, -2f), true);
            try (AdamW oa = new AdamW(List.of(a), m, 0.9, 0.999, 1e-8, 0.1);
                    AdamW ob = new AdamW(List.of(b), m, 0.9, 0.999, 1e-8, 0.1)) {
                for (int t = 0; t < 2; t++) {
                    setGradient(m, a, GRADS[t]);
                    oa.step(0.1, Double.NaN);
                }
                Map<String, HostTensor> saved = new HashMap<>();
                for (HostTensor t : oa.stateTensors()) {
                    saved.put(t.name(), t);
                }
                assertEquals(
                        List.of("exp_avg/w", "exp_avg_sq/w"),
                        oa.stateTensors().stream().map(HostTensor::name).toList());
                ob.restore(saved, oa.steps(), "test");
                HostTensor.of("w", a.array()).copyInto(b.array());
                setGradient(m, a, GRADS[2]);
                setGradient(m, b, GRADS[2]);
                oa.step(0.1, Double.NaN);
                ob.step(0.1, Double.NaN);
                assertArrayEquals(a.array().toFloatArray(), b.array().toFloatArray(), 0f);
                Map<String, HostTensor> wrong = new HashMap<>(saved);
                wrong.remove("exp_avg_sq/w");
                CheckpointException e =
                        assertThrows(CheckpointException.class, () -> ob.restore(wrong, 2, "ck"));
                assertEquals(
                        "ck: the adamw optimiser state does not fit: missing exp_avg_sq/w",
                        e.getMessage());
            }
        }
    }

    /** A block with a position embedding, to check the no-decay rule by name. */
    private static final class WithPosEmbed extends AbstractBlock {
        private final Parameter pos;

        WithPosEmbed() {
            pos =
                    addParameter(
                            Parameter.builder()
                                    .setName("pos_embed")
                                    .setType(Parameter.Type.WEIGHT)
                                    .optShape(new Shape(1, 4, 6))
                                    .build());
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList in, boolean training, PairList<String, Object> params) {
            return new NDList(in.head().add(ps.getValue(pos, in.head().getDevice(), training)));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return inputShapes;
        }
    }

    @Test
    void noDecayRuleByTypeRankAndName() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block b =
                    new SequentialBlock()
                            .add(new WithPosEmbed())
                            .add(LayerNorm.builder().axis(2).build())
                            .add(Linear.builder().setUnits(5).build())
                            .add(BatchNorm.builder().optAxis(2).build());
            b.initialize(m, DataType.FLOAT32, new Shape(2, 4, 6));
            Map<String, Boolean> decay = new HashMap<>();
            for (TrainableParameter p :
                    TrainableParameter.of(b, List.of("pos_embed", "cls_token"))) {
                decay.put(p.name(), p.decay());
            }
            assertFalse(decay.get("0.pos_embed"), "position embedding");
            assertFalse(decay.get("1.weight"));
            assertFalse(decay.get("1.bias"));
            assertTrue(decay.get("2.weight"));
            assertFalse(decay.get("2.bias"));
            assertFalse(decay.get("3.weight"));
            assertFalse(decay.containsKey("3.running_mean"), "not trainable: no state");
            // without the keyword the 3-D position embedding would decay
            assertTrue(
                    TrainableParameter.of(b, List.of()).stream()
                            .filter(p -> p.name().equals("0.pos_embed"))
                            .findFirst()
                            .orElseThrow()
                            .decay());
        }
    }
}
