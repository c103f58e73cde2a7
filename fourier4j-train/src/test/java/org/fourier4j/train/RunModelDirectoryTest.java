package org.fourier4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.nn.Parameter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.fourier4j.inference.LoadedModel;
import org.fourier4j.inference.ModelDirectory;
import org.fourier4j.nn.ParameterNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training run of a zoo model is a model directory: {@code model.json}, {@code model.safetensors}
 * (the best epoch's weight average) and {@code serving.properties} are written with {@code
 * best.ckpt}, and {@code init_from} starts a new run from such a directory.
 */
class RunModelDirectoryTest {

    private static final TrainData DATA = TestData.bandsData(96, 32, 4, 8);

    @TempDir Path tmp;

    private TrainConfig config(String name, Map<String, Object> extra) {
        Map<String, Object> m = new HashMap<>();
        m.put("model", "fit-tiny");
        m.put("num_classes", 4);
        m.put("img_size", 8);
        m.put("patch_size", 4);
        m.put("embed_dim", 8);
        m.put("dim_feedforward", 8);
        m.put("num_layers", 1);
        m.put("save_dir", tmp.toString());
        m.put("run_name", name);
        m.put("epochs", 2);
        m.put("batch_size", 16);
        m.put("progress", false);
        m.put("num_workers", 1);
        m.put("ema_decay", 0.5);
        m.putAll(extra);
        return TrainConfig.defaults().with(m, "in the test");
    }

    private static Map<String, float[]> weights(LoadedModel m) {
        Map<String, float[]> out = new HashMap<>();
        for (Map.Entry<String, Parameter> e : ParameterNames.of(m.model()).entrySet()) {
            out.put(e.getKey(), e.getValue().getArray().toFloatArray());
        }
        return out;
    }

    @Test
    void theRunDirectoryOpensAsAModelWithTheBestAveragedWeights() throws Exception {
        TrainConfig c = config("zoo", Map.of());
        TrainSummary s = TrainingRun.start(c, ModelFactory.zoo(c), DATA).run();
        Path dir = tmp.resolve("zoo");
        for (String f : new String[] {"model.json", "model.safetensors", "serving.properties"}) {
            assertTrue(Files.isRegularFile(dir.resolve(f)), f);
        }
        Checkpoint.Loaded best = Checkpoint.read(dir.resolve("best.ckpt"));
        try (LoadedModel m = ModelDirectory.open(dir)) {
            assertEquals("fit-tiny", m.card().model());
            assertEquals("ema", m.weightsNote());
            assertEquals(DATA.train().classes(), m.card().classes());
            assertArrayEquals(DATA.stats().mean(), m.card().preprocessing().mean(), 0);
            assertArrayEquals(DATA.stats().std(), m.card().preprocessing().std(), 0);
            assertEquals(8, m.card().preprocessing().crop());
            assertEquals(s.bestEpoch(), m.card().source().get("epochs_completed"));
            Map<String, float[]> w = weights(m);
            assertEquals(best.ema().keySet(), w.keySet());
            for (Map.Entry<String, HostTensor> e : best.ema().entrySet()) {
                float[] want = new float[w.get(e.getKey()).length];
                java.nio.ByteBuffer.wrap(e.getValue().data())
                        .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                        .asFloatBuffer()
                        .get(want);
                assertArrayEquals(want, w.get(e.getKey()), 0f, e.getKey());
            }
        }
        // the raw weights of the last checkpoint come through the run's checkpoints
        try (LoadedModel m =
                ModelDirectory.open(dir, new ModelDirectory.OpenOptions(false, false))) {
            assertEquals("raw", m.weightsNote());
            assertEquals(dir.resolve("last.ckpt").toString(), m.card().source().get("checkpoint"));
        }
    }

    @Test
    void initFromStartsANewRunFromTheModelsWeights() throws Exception {
        TrainConfig c = config("source", Map.of());
        TrainingRun.start(c, ModelFactory.zoo(c), DATA).run();
        Path source = tmp.resolve("source");
        Map<String, float[]> start;
        try (LoadedModel m = ModelDirectory.open(source)) {
            start = weights(m);
        }
        // one step at a vanishing learning rate: the weights are still the source's
        TrainConfig next =
                config(
                        "next",
                        Map.of(
                                "init_from",
                                source.toString(),
                                "max_steps",
                                1,
                                "lr",
                                1e-20,
                                "ema_decay",
                                0.0));
        TrainingRun.start(next, ModelFactory.zoo(next), DATA).run();
        Checkpoint.Loaded last = Checkpoint.read(tmp.resolve("next/last.ckpt"));
        assertEquals(start.keySet(), last.params().keySet());
        for (Map.Entry<String, HostTensor> e : last.params().entrySet()) {
            float[] got = new float[start.get(e.getKey()).length];
            java.nio.ByteBuffer.wrap(e.getValue().data())
                    .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .asFloatBuffer()
                    .get(got);
            assertArrayEquals(start.get(e.getKey()), got, 1e-6f, e.getKey());
        }
        assertEquals(source.toString(), next.run().initFrom());
        assertEquals(
                source.toString(),
                TrainConfig.load(tmp.resolve("next/config.json")).run().initFrom(),
                "recorded in the run's configuration");
    }
}
