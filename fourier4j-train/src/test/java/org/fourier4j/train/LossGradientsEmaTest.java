package org.fourier4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import java.nio.FloatBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class LossGradientsEmaTest {

    @Test
    void softTargetCrossEntropyByHand() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.create(new float[] {1, 2, 3, 0, 0, 0}, new Shape(2, 3));
            NDArray oneHot = m.create(new float[] {0, 0, 1, 1, 0, 0}, new Shape(2, 3));
            double lse = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
            double expect = ((lse - 3) + Math.log(3)) / 2;
            assertEquals(expect, SoftTargetCrossEntropy.mean(logits, oneHot).getFloat(), 1e-6);
            // equals DJL's sparse softmax cross-entropy for one-hot targets
            NDArray djl =
                    Loss.softmaxCrossEntropyLoss()
                            .evaluate(new NDList(m.create(new float[] {2, 0})), new NDList(logits));
            assertEquals(
                    djl.getFloat(), SoftTargetCrossEntropy.mean(logits, oneHot).getFloat(), 1e-6);
            // label smoothing 0.3 over 3 classes: targets 0.8 / 0.1 / 0.1
            NDArray smooth = m.create(new float[] {0.1f, 0.1f, 0.8f}, new Shape(1, 3));
            NDArray one = m.create(new float[] {1, 2, 3}, new Shape(1, 3));
            double ls = 0.1 * (lse - 1) + 0.1 * (lse - 2) + 0.8 * (lse - 3);
            assertEquals(ls, SoftTargetCrossEntropy.mean(one, smooth).getFloat(), 1e-6);
        }
    }

    private static Parameter param(NDManager m, String name, float... v) {
        Parameter p =
                Parameter.builder()
                        .setName(name)
                        .setType(Parameter.Type.WEIGHT)
                        .optInitializer(new ai.djl.training.initializer.ConstantInitializer(0))
                        .optShape(new Shape(v.length))
                        .build();
        p.initialize(m, DataType.FLOAT32);
        p.getArray().set(FloatBuffer.wrap(v));
        return p;
    }

    @Test
    void globalNormAndClipping() {
        try (NDManager m = NDManager.newBaseManager()) {
            TrainableParameter a = new TrainableParameter("a", param(m, "a", 0f), true);
            TrainableParameter b = new TrainableParameter("b", param(m, "b", 0f, 0f), true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray l =
                        a.array()
                                .mul(3)
                                .sum()
                                .add(b.array().mul(m.create(new float[] {0, 4})).sum());
                gc.backward(l);
            }
            List<TrainableParameter> ps = List.of(a, b);
            assertEquals(5.0, Gradients.globalNorm(ps, m), 1e-6);
            assertEquals(1.0, Gradients.clip(ps, 5.0, 10.0, m), 0, "below the bound: untouched");
            assertArrayEquals(new float[] {3}, a.array().getGradient().toFloatArray(), 0);
            double f = Gradients.clip(ps, 5.0, 1.0, m);
            assertEquals(1 / (5 + 1e-6), f, 1e-12);
            assertArrayEquals(new float[] {0.6f}, a.array().getGradient().toFloatArray(), 1e-6f);
            assertArrayEquals(
                    new float[] {0f, 0.8f}, b.array().getGradient().toFloatArray(), 1e-6f);
            assertEquals(1.0, Gradients.globalNorm(ps, m), 1e-5);
            // a negative gradient is clipped symmetrically (DJL's optClipGrad would not)
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(a.array().mul(-100).sum());
            }
            double n = Gradients.globalNorm(List.of(a), m);
            Gradients.clip(List.of(a), n, 1.0, m);
            assertEquals(-1.0, a.array().getGradient().getFloat(0), 1e-5);
        }
    }

    @Test
    void emaFollowsTheFormulaAndSwapsExactly() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block block = TinyModels.mlp(3, 2);
            block.initialize(m, DataType.FLOAT32, new Shape(1, 4));
            NDArray w = block.getParameters().get("02Linear_weight").getArray();
            float[] w0 = w.toFloatArray();
            try (Ema ema = new Ema(block, 0.5, m)) {
                // update 1: decay min(0.5, 1/10) = 0.1; the parameter moved by +1
                w.addi(1f);
                ema.update();
                float[] avg = ema.average("1.weight").toFloatArray();
                for (int i = 0; i < w0.length; i++) {
                    assertEquals(0.1 * w0[i] + 0.9 * (w0[i] + 1), avg[i], 1e-6);
                }
                // update 2: decay min(0.5, 2/11) = 0.1818...
                w.addi(1f);
                ema.update();
                double d = 2.0 / 11;
                avg = ema.average("1.weight").toFloatArray();
                for (int i = 0; i < w0.length; i++) {
                    double prev = 0.1 * w0[i] + 0.9 * (w0[i] + 1);
                    assertEquals(d * prev + (1 - d) * (w0[i] + 2), avg[i], 1e-6);
                }
                assertEquals(0.5, ema.decayAt(1000));
                float[] trained = w.toFloatArray();
                try (Ema.Swap s = ema.swapIn()) {
                    assertArrayEquals(avg, w.toFloatArray(), 0f);
                }
                assertArrayEquals(trained, w.toFloatArray(), 0f, "training weights come back");
            }
        }
    }
}
