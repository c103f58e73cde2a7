package org.fourier4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.fourier4j.data.Augmentation;
import org.fourier4j.data.BatchLoader;
import org.fourier4j.data.ChannelStats;
import org.fourier4j.inference.LoadedModel;
import org.fourier4j.inference.ModelDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run written with checkpoint format version 1 (the test resource {@code v1-run}, see its
 * README): it still evaluates to what training measured, and still resumes.
 */
class LegacyCheckpointTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;

    /** A copy of the v1 run (tests must not change the resource). */
    static Path v1Run(Path into) throws IOException {
        Path dir = Files.createDirectories(into.resolve("v1-run"));
        for (String f :
                List.of(
                        "best.ckpt",
                        "last.ckpt",
                        "config.json",
                        "metrics.csv",
                        "metrics.jsonl",
                        "summary.json")) {
            try (InputStream in = LegacyCheckpointTest.class.getResourceAsStream("v1-run/" + f)) {
                Files.copy(in, dir.resolve(f));
            }
        }
        return dir;
    }

    @Test
    void aVersion1RunEvaluatesToWhatTrainingMeasured() throws Exception {
        Path run = v1Run(tmp);
        JsonNode epoch1 = JSON.readTree(Files.readAllLines(run.resolve("metrics.jsonl")).get(0));
        try (LoadedModel m = ModelDirectory.open(run)) {
            assertEquals("fit-tiny", m.card().model());
            assertEquals("ema", m.weightsNote(), "the weight average, as training evaluated");
            assertEquals(1, m.card().source().get("epochs_completed"));
            TrainConfig c = TrainConfig.load(run.resolve("config.json"));
            TrainData d = TrainData.load(c, c.model().inputShape());
            ChannelStats stats =
                    new ChannelStats(
                            m.card().preprocessing().mean(), m.card().preprocessing().std());
            EvalResult r;
            try (BatchLoader loader =
                    new BatchLoader(
                            d.val(),
                            stats,
                            Augmentation.none(),
                            new BatchLoader.Options(250, false, false, 1, 2, 0))) {
                r =
                        Evaluator.evaluate(
                                m.model(),
                                new ParameterStore(m.manager(), false),
                                loader,
                                m.manager());
            }
            assertEquals(epoch1.get("val_top1").asDouble(), r.top1(), 1e-12);
            assertEquals(epoch1.get("val_loss").asDouble(), r.loss(), 1e-5);
        }
    }

    @Test
    void aVersion1RunResumes() throws Exception {
        Path run = v1Run(tmp);
        TrainConfig saved = TrainConfig.load(run.resolve("config.json"));
        TrainSummary s =
                TrainingRun.resume(
                                run,
                                ModelFactory.zoo(saved),
                                Map.of("max_steps", "12", "save_dir", tmp.toString()),
                                null)
                        .run();
        assertEquals(12, s.globalSteps(), "two more steps from step 10");
        assertTrue(Files.isRegularFile(run.resolve("last.ckpt")));
        assertEquals(12, Checkpoint.read(run.resolve("last.ckpt")).state().progress().globalStep());
    }

    @Test
    void aVersion1CheckpointThatDoesNotLineUpIsRefusedByPosition() throws Exception {
        Path run = v1Run(tmp);
        TrainConfig wider =
                TrainConfig.load(run.resolve("config.json")).override("embed_dim", "16");
        ModelFactory f = ModelFactory.zoo(wider);
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
            ai.djl.nn.Block b = f.newBlock();
            b.initialize(
                    m,
                    ai.djl.ndarray.types.DataType.FLOAT32,
                    new ai.djl.ndarray.types.Shape(1, 3, 32, 32));
            CheckpointException e =
                    org.junit.jupiter.api.Assertions.assertThrows(
                            CheckpointException.class,
                            () ->
                                    Checkpoint.loadWeights(
                                            run.resolve("best.ckpt"), b, "fit-tiny", true));
            assertTrue(
                    e.getMessage()
                            .contains(
                                    "parameters saved by an older fourier4j do not line up with"
                                            + " this model at position 0"),
                    e.getMessage());
        }
    }
}
