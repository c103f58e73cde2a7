package org.fourier4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resuming reaches the same parameters as an uninterrupted run: straight 2 epochs vs 1 epoch +
 * resume, and vs a stop in the middle of an epoch + resume. Dropout, batch norm, RandAugment,
 * mixup/cutmix, label smoothing, clipping, gradient accumulation and EMA are all on, so every piece
 * of state a checkpoint must carry is exercised.
 */
class ResumeTest {

    @TempDir Path tmp;

    /** The uninterrupted run both tests compare with (same configuration, computed once). */
    @TempDir static Path shared;

    private static Path straight;

    private static synchronized Path straightRun() {
        if (straight == null) {
            TrainSummary s =
                    TrainingRun.start(
                                    config(shared, "straight", Map.of()),
                                    TinyModels.cnnFactory(4, 8),
                                    DATA)
                            .run();
            assertEquals("completed", s.status());
            straight = shared.resolve("straight");
        }
        return straight;
    }

    static final TrainData DATA = TestData.bandsData(96, 32, 4, 8);

    static TrainConfig config(Path saveDir, String name, Map<String, Object> extra) {
        Map<String, Object> m = new HashMap<>();
        m.put("save_dir", saveDir.toString());
        m.put("run_name", name);
        m.put("epochs", 2);
        m.put("batch_size", 8);
        m.put("accum_steps", 2);
        m.put("lr", 0.02);
        m.put("progress", false);
        m.put("num_workers", 2);
        m.put("mixup_alpha", 0.4);
        m.put("cutmix_alpha", 1.0);
        m.put("clip_grad_norm", 1.0);
        m.put("ema_decay", 0.9);
        m.put("randaugment_magnitude", 9);
        m.putAll(extra);
        return TrainConfig.defaults().with(m, "in the test");
    }

    static Checkpoint.Loaded last(Path runDir) {
        return Checkpoint.read(runDir.resolve("last.ckpt"));
    }

    static void assertSameTensors(
            Map<String, HostTensor> a, Map<String, HostTensor> b, String what) {
        assertEquals(a.keySet(), b.keySet(), what);
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k).data(), b.get(k).data(), what + " " + k + " differs");
        }
    }

    static void assertSameRun(Path straight, Path resumed) throws Exception {
        Checkpoint.Loaded a = last(straight);
        Checkpoint.Loaded b = last(resumed);
        assertSameTensors(a.params(), b.params(), "parameter");
        assertSameTensors(a.optimizer(), b.optimizer(), "optimiser state");
        assertSameTensors(a.ema(), b.ema(), "weight average");
        assertEquals(a.state().progress().globalStep(), b.state().progress().globalStep());
        // the per-epoch numbers (not the timings) agree too
        List<String> ma = Files.readAllLines(straight.resolve("metrics.csv"));
        List<String> mb = Files.readAllLines(resumed.resolve("metrics.csv"));
        assertEquals(ma.size(), mb.size());
        for (int i = 0; i < ma.size(); i++) {
            String[] x = ma.get(i).split(",");
            String[] y = mb.get(i).split(",");
            for (int c = 0; c < 8; c++) {
                assertEquals(x[c], y[c], "metrics.csv line " + i + " column " + c);
            }
        }
    }

    @Test
    void oneEpochThenResumeEqualsTwoEpochs() throws Exception {
        ModelFactory model = TinyModels.cnnFactory(4, 8);
        int stepsPerEpoch = (96 / 8 + 1) / 2;

        TrainSummary first =
                TrainingRun.start(
                                config(tmp, "resumed", Map.of("max_steps", stepsPerEpoch)),
                                model,
                                DATA)
                        .run();
        assertEquals("stopped", first.status());
        assertEquals(1, first.epochsCompleted());
        assertEquals(1, last(tmp.resolve("resumed")).state().progress().epochsCompleted());

        TrainSummary rest =
                TrainingRun.resume(tmp.resolve("resumed"), model, Map.of("max_steps", "0"), DATA)
                        .run();
        assertEquals("completed", rest.status());
        assertSameRun(straightRun(), tmp.resolve("resumed"));
    }

    @Test
    void stopInTheMiddleOfAnEpochThenResumeEqualsUninterrupted() throws Exception {
        ModelFactory model = TinyModels.cnnFactory(4, 8);
        // 6 steps per epoch: stop after 9 steps, in the middle of epoch 2
        TrainSummary first =
                TrainingRun.start(config(tmp, "mid", Map.of("max_steps", 9)), model, DATA).run();
        assertEquals("stopped", first.status());
        RunProgress s = last(tmp.resolve("mid")).state().progress();
        assertEquals(1, s.epochsCompleted());
        assertEquals(3, s.stepInEpoch());
        assertTrue(first.trainImagesPerSecond() > 0, "throughput of a run stopped mid-epoch");
        assertTrue(s.epochSeen() > 0, "the epoch's running metrics are in the checkpoint");
        assertFalse(
                Files.exists(tmp.resolve("mid/summary.json"))
                        && Files.readString(tmp.resolve("mid/summary.json"))
                                .contains("\"completed\""));

        TrainingRun.resume(tmp.resolve("mid"), model, Map.of("max_steps", "0"), DATA).run();
        assertSameRun(straightRun(), tmp.resolve("mid"));
    }
}
