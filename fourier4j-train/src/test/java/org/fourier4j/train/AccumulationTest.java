package org.fourier4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Gradient accumulation over micro-batches equals one large batch. */
class AccumulationTest {

    @TempDir Path tmp;

    private static float[][] gradients(Block b, NDManager m, NDArray x, NDArray t, int parts) {
        ParameterStore ps = new ParameterStore(m, false);
        long n = x.getShape().get(0);
        long size = n / parts;
        for (int i = 0; i < parts; i++) {
            try (NDManager s = m.newSubManager();
                    GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray xi = x.get(i * size + ":" + (i + 1) * size);
                xi.attach(s);
                NDArray ti = t.get(i * size + ":" + (i + 1) * size);
                ti.attach(s);
                NDArray logits = b.forward(ps, new NDList(xi), true).singletonOrThrow();
                gc.backward(SoftTargetCrossEntropy.mean(logits, ti).div(parts));
            }
        }
        List<TrainableParameter> params = TrainableParameter.of(b, List.of());
        float[][] g = new float[params.size()][];
        for (int i = 0; i < params.size(); i++) {
            NDArray grad = params.get(i).array().getGradient();
            g[i] = grad.toFloatArray();
            grad.close();
        }
        for (TrainableParameter p : params) {
            NDArray grad = p.array().getGradient();
            grad.muli(0);
            grad.close();
        }
        return g;
    }

    @Test
    void fourMicroBatchesOfEightGiveTheGradientOfOneBatchOf32() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(3);
            Block b = TinyModels.mlp(16, 5);
            b.initialize(m, DataType.FLOAT32, new Shape(1, 3, 4, 4));
            NDArray x = m.randomNormal(new Shape(32, 3, 4, 4));
            NDArray t = m.randomUniform(0, 1, new Shape(32, 5));
            t = t.div(t.sum(new int[] {1}, true));
            float[][] big = gradients(b, m, x, t, 1);
            float[][] acc = gradients(b, m, x, t, 4);
            for (int i = 0; i < big.length; i++) {
                for (int j = 0; j < big[i].length; j++) {
                    assertEquals(big[i][j], acc[i][j], 1e-6 + 1e-5 * Math.abs(big[i][j]));
                }
            }
        }
    }

    private TrainConfig config(String name, int batch, int accum) {
        Map<String, Object> m = new HashMap<>();
        m.put("save_dir", tmp.toString());
        m.put("run_name", name);
        m.put("epochs", 2);
        m.put("batch_size", batch);
        m.put("accum_steps", accum);
        m.put("lr", 0.01);
        m.put("progress", false);
        m.put("clip_grad_norm", 0.5);
        return TrainConfig.defaults().with(m, "in the test");
    }

    @Test
    void aRunWithAccumulationMatchesTheLargeBatchRun() throws Exception {
        TrainData data = TestData.bandsData(128, 32, 4, 8);
        ModelFactory model = TinyModels.mlpFactory(16, 4, 8);
        TrainingRun.start(config("big", 32, 1), model, data).run();
        TrainingRun.start(config("acc", 8, 4), model, data).run();
        Checkpoint.Loaded big = Checkpoint.read(tmp.resolve("big/last.ckpt"));
        Checkpoint.Loaded acc = Checkpoint.read(tmp.resolve("acc/last.ckpt"));
        assertEquals(8, big.state().progress().globalStep());
        assertEquals(8, acc.state().progress().globalStep());
        double maxDiff = 0;
        double maxAbs = 0;
        for (String k : big.params().keySet()) {
            float[] a = toFloats(big.params().get(k));
            float[] c = toFloats(acc.params().get(k));
            for (int i = 0; i < a.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(a[i] - c[i]));
                maxAbs = Math.max(maxAbs, Math.abs(a[i]));
            }
        }
        assertTrue(maxDiff < 1e-5 * Math.max(1, maxAbs), "max |diff| " + maxDiff);
    }

    private static float[] toFloats(HostTensor t) {
        java.nio.FloatBuffer fb =
                java.nio.ByteBuffer.wrap(t.data())
                        .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                        .asFloatBuffer();
        float[] out = new float[fb.remaining()];
        fb.get(out);
        return out;
    }
}
