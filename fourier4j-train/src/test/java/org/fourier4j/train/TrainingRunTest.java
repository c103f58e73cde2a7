package org.fourier4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingRunTest {

    @TempDir Path tmp;

    private static final TrainData DATA = TestData.bandsData(96, 32, 4, 8);
    private static final ObjectMapper JSON = new ObjectMapper();

    private TrainConfig config(String name, Map<String, Object> extra) {
        Map<String, Object> m = new HashMap<>();
        m.put("save_dir", tmp.toString());
        m.put("run_name", name);
        m.put("epochs", 2);
        m.put("batch_size", 8);
        m.put("lr", 0.01);
        m.put("progress", false);
        m.put("num_workers", 1);
        m.putAll(extra);
        return TrainConfig.defaults().with(m, "in the test");
    }

    @Test
    void writesTheRunDirectory() throws Exception {
        TrainSummary s =
                TrainingRun.start(
                                config("a", Map.of("ema_decay", 0.9)),
                                TinyModels.cnnFactory(4, 8),
                                DATA)
                        .run();
        Path dir = tmp.resolve("a");
        assertEquals("completed", s.status());
        assertEquals(2, s.epochsCompleted());
        assertEquals(24, s.globalSteps());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(
                    List.of(
                            "best.ckpt",
                            "config.json",
                            "confusion_matrix.csv",
                            "last.ckpt",
                            "metrics.csv",
                            "metrics.jsonl",
                            "summary.json",
                            "train.lock"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        // the resolved configuration: every key, the generated model name included
        TrainConfig saved = TrainConfig.load(dir.resolve("config.json"));
        assertEquals("tiny-cnn", saved.modelName());
        assertEquals(0.9, saved.optimisation().emaDecay());
        assertEquals(
                TrainConfig.keys().size(),
                JSON.readTree(dir.resolve("config.json").toFile()).size());

        List<String> csv = Files.readAllLines(dir.resolve("metrics.csv"));
        assertEquals(EpochMetrics.CSV_HEADER, csv.get(0));
        assertEquals(3, csv.size());
        for (String row : csv.subList(1, 3)) {
            String[] c = row.split(",");
            assertEquals(10, c.length, row);
            for (String v : c) {
                assertFalse(v.isEmpty(), row);
            }
        }
        List<String> jsonl = Files.readAllLines(dir.resolve("metrics.jsonl"));
        assertEquals(2, jsonl.size());
        JsonNode e2 = JSON.readTree(jsonl.get(1));
        assertEquals(2, e2.get("epoch").asInt());
        assertEquals(24, e2.get("global_step").asInt());
        for (String k :
                List.of(
                        "lr",
                        "train_loss",
                        "train_acc",
                        "val_loss",
                        "val_top1",
                        "val_top5",
                        "images_per_s",
                        "seconds")) {
            assertTrue(e2.get(k).isNumber(), k);
        }

        JsonNode summary = JSON.readTree(dir.resolve("summary.json").toFile());
        assertEquals("completed", summary.get("status").asText());
        assertEquals(24, summary.get("global_steps").asInt());
        assertEquals("ema", summary.get("last_eval").get("weights").asText());
        assertEquals(4, summary.get("last_eval").get("confusion_matrix").size());
        assertEquals(
                e2.get("val_top1").asDouble(),
                summary.get("last_eval").get("val_top1").asDouble(),
                1e-12);
        assertTrue(summary.get("best_epoch").asInt() >= 1);
        Checkpoint.Loaded best = Checkpoint.read(dir.resolve("best.ckpt"));
        assertEquals(summary.get("best_epoch").asInt(), best.state().progress().epochsCompleted());
        assertEquals(
                summary.get("best_val_top1").asDouble(), best.state().progress().bestValTop1(), 0);
        assertFalse(best.ema().isEmpty(), "EMA weights are saved with the run");
        // what evaluation and prediction need besides the weights
        assertEquals(DATA.train().classes(), best.state().classes());
        assertArrayEquals(DATA.stats().mean(), best.state().normalizeMean(), 0);
        assertArrayEquals(DATA.stats().std(), best.state().normalizeStd(), 0);
    }

    @Test
    void learnsTheSyntheticTask() throws Exception {
        TrainSummary s =
                TrainingRun.start(
                                config(
                                        "learn",
                                        Map.of(
                                                "epochs",
                                                4,
                                                "lr",
                                                0.05,
                                                "randaugment_ops",
                                                0,
                                                "random_crop_padding",
                                                0,
                                                "label_smoothing",
                                                0.0)),
                                TinyModels.mlpFactory(32, 4, 8),
                                DATA)
                        .run();
        assertTrue(s.lastEval().top1() > 0.9, "val top-1 " + s.lastEval().top1());
        List<String> csv = Files.readAllLines(tmp.resolve("learn/metrics.csv"));
        double first = Double.parseDouble(csv.get(1).split(",")[3]);
        double last = Double.parseDouble(csv.get(4).split(",")[3]);
        assertTrue(last < first / 2, "train loss " + first + " -> " + last);
    }

    /** Turns its input into NaN on the given training forward pass (1-based). */
    private static final class Poison extends AbstractBlock {
        private final int call;
        private final AtomicInteger calls;

        Poison(int call, AtomicInteger calls) {
            this.call = call;
            this.calls = calls;
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList in, boolean training, PairList<String, Object> p) {
            if (training && calls.incrementAndGet() == call) {
                return new NDList(in.head().mul(Float.NaN));
            }
            return in;
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return inputShapes;
        }
    }

    /** The tiny CNN, poisoned on the given training forward pass. */
    private static ModelFactory nanAt(int call, AtomicInteger calls) {
        return ModelFactory.of(
                "tiny-cnn",
                new Shape(3, 8, 8),
                () ->
                        new SequentialBlock()
                                .add(TinyModels.cnn(4, 0.2f))
                                .add(new Poison(call, calls)));
    }

    @Test
    void nonFiniteLossStopsNamingTheStepAndKeepsTheLastGoodCheckpoint() throws Exception {
        // epoch 1 has 12 training forward passes: pass 16 is step 4 of epoch 2
        AtomicInteger calls = new AtomicInteger();
        TrainingRun run =
                TrainingRun.start(config("nan", Map.of("epochs", 3)), nanAt(16, calls), DATA);
        Path dir = tmp.resolve("nan");
        NonFiniteLossException e = assertThrows(NonFiniteLossException.class, run::run);
        assertEquals(
                "non-finite loss (NaN) at epoch 2, step 4 of 12 (global step 16): training stopped."
                        + " The last good checkpoint, left untouched, is "
                        + dir.resolve("last.ckpt")
                        + " (epoch 1, global step 12).",
                e.getMessage());
        assertEquals(16, e.globalStep());
        RunProgress last = Checkpoint.read(dir.resolve("last.ckpt")).state().progress();
        assertEquals(1, last.epochsCompleted());
        assertEquals(12, last.globalStep());
        assertEquals(2, Files.readAllLines(dir.resolve("metrics.csv")).size(), "one epoch logged");
        JsonNode summary = JSON.readTree(dir.resolve("summary.json").toFile());
        assertEquals("failed", summary.get("status").asText());
        assertEquals(e.getMessage(), summary.get("message").asText());
        try (Stream<Path> s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")));
        }
        // the last good checkpoint resumes (and, without the poison, completes)
        TrainSummary resumed =
                TrainingRun.resume(dir, nanAt(-1, new AtomicInteger()), Map.of(), DATA).run();
        assertEquals("completed", resumed.status());
        assertEquals(36, resumed.globalSteps());
    }

    @Test
    void nonFiniteBeforeAnyCheckpointSaysSo() {
        AtomicInteger calls = new AtomicInteger();
        TrainingRun run = TrainingRun.start(config("nan0", Map.of()), nanAt(2, calls), DATA);
        NonFiniteLossException e = assertThrows(NonFiniteLossException.class, run::run);
        assertEquals(
                "non-finite loss (NaN) at epoch 1, step 2 of 12 (global step 2): training stopped."
                        + " No checkpoint had been written yet.",
                e.getMessage());
        assertFalse(Files.exists(tmp.resolve("nan0/last.ckpt")));
        CheckpointException resume =
                assertThrows(
                        CheckpointException.class,
                        () ->
                                TrainingRun.resume(
                                        tmp.resolve("nan0"), nanAt(-1, calls), Map.of(), DATA));
        assertEquals(
                "run "
                        + tmp.resolve("nan0")
                        + " has no checkpoint to resume from ("
                        + tmp.resolve("nan0/last.ckpt")
                        + " is missing)",
                resume.getMessage());
    }

    @Test
    void resumeRefusesChangesThatWouldMakeAnotherRun() throws Exception {
        ModelFactory model = TinyModels.cnnFactory(4, 8);
        TrainingRun.start(config("r", Map.of("max_steps", 3)), model, DATA).run();
        Path dir = tmp.resolve("r");
        ConfigException e =
                assertThrows(
                        ConfigException.class,
                        () -> TrainingRun.resume(dir, model, Map.of("lr", "0.1"), DATA));
        assertEquals(
                "cannot change lr when resuming "
                        + dir
                        + " (saved 0.01, given 0.1): start a new"
                        + " run instead",
                e.getMessage());
        ConfigException unknown =
                assertThrows(
                        ConfigException.class,
                        () -> TrainingRun.resume(dir, model, Map.of("learning_rate", "0.1"), DATA));
        assertTrue(unknown.getMessage().startsWith("unknown config key 'learning_rate'"));
    }

    @Test
    void resumeWithAnotherModelNamesTheParametersAndWritesNothing() throws Exception {
        TrainingRun.start(config("m", Map.of("max_steps", 3)), TinyModels.mlpFactory(8, 4, 8), DATA)
                .run();
        Path dir = tmp.resolve("m");
        byte[] before = Files.readAllBytes(dir.resolve("last.ckpt"));
        CheckpointException e =
                assertThrows(
                        CheckpointException.class,
                        () ->
                                TrainingRun.resume(
                                                dir,
                                                TinyModels.mlpFactory(16, 4, 8),
                                                Map.of("max_steps", "0"),
                                                DATA)
                                        .run());
        assertEquals(
                "checkpoint "
                        + dir.resolve("last.ckpt")
                        + " does not fit model 'tiny-mlp': 3"
                        + " parameter(s) differ: shape differs for 1.weight (checkpoint (8,"
                        + " 192), model (16, 192)), 1.bias (checkpoint (8), model (16)),"
                        + " 3.weight (checkpoint (4, 8), model (4, 16))",
                e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(dir.resolve("last.ckpt")));
        ConfigException other =
                assertThrows(
                        ConfigException.class,
                        () -> TrainingRun.resume(dir, TinyModels.cnnFactory(4, 8), Map.of(), DATA));
        assertEquals(
                "model 'tiny-mlp' is configured, but the run was given model 'tiny-cnn'",
                other.getMessage());
        assertArrayEquals(before, Files.readAllBytes(dir.resolve("last.ckpt")));
    }

    @Test
    void resumeWithOtherDataIsRefused() throws Exception {
        ModelFactory model = TinyModels.mlpFactory(8, 4, 8);
        TrainingRun.start(config("d", Map.of("max_steps", 3)), model, DATA).run();
        TrainData other = TestData.bandsData(80, 32, 4, 8);
        CheckpointException e =
                assertThrows(
                        CheckpointException.class,
                        () -> TrainingRun.resume(tmp.resolve("d"), model, Map.of(), other).run());
        assertTrue(e.getMessage().endsWith("differ from the checkpoint's"), e.getMessage());
    }

    @Test
    void anExistingRunIsNeverOverwritten() throws Exception {
        ModelFactory model = TinyModels.mlpFactory(8, 4, 8);
        TrainingRun.start(config("x", Map.of("max_steps", 2)), model, DATA).run();
        byte[] before = Files.readAllBytes(tmp.resolve("x/last.ckpt"));
        ConfigException e =
                assertThrows(
                        ConfigException.class,
                        () -> TrainingRun.start(config("x", Map.of()), model, DATA));
        assertEquals(
                "run directory "
                        + tmp.resolve("x")
                        + " already exists and is not empty: resume it"
                        + " or choose another run_name",
                e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(tmp.resolve("x/last.ckpt")));
        assertEquals(
                "run directory not found: " + tmp.resolve("nothing"),
                assertThrows(
                                ConfigException.class,
                                () ->
                                        TrainingRun.resume(
                                                tmp.resolve("nothing"), model, Map.of(), DATA))
                        .getMessage());
    }

    @Test
    void dataThatDoesNotFitTheModel() {
        ConfigException classes =
                assertThrows(
                        ConfigException.class,
                        () ->
                                TrainingRun.start(
                                                config("c", Map.of("num_classes", 10)),
                                                TinyModels.mlpFactory(8, 4, 8),
                                                DATA)
                                        .run());
        assertEquals(
                "num_classes is 10 but the data set bands(96, seed 1) has 4 classes",
                classes.getMessage());
        assertFalse(Files.exists(tmp.resolve("c")), "a refused run writes nothing");
        ConfigException outputs =
                assertThrows(
                        ConfigException.class,
                        () ->
                                TrainingRun.start(
                                                config("o", Map.of()),
                                                TinyModels.mlpFactory(8, 10, 8),
                                                DATA)
                                        .run());
        assertEquals(
                "model 'tiny-mlp' outputs (1, 10) for a batch (1, 3, 8, 8), expected (1, 4) for"
                        + " the data set's 4 classes (num_classes)",
                outputs.getMessage());
        assertFalse(Files.exists(tmp.resolve("o")), "a refused run writes nothing");
        ConfigException size =
                assertThrows(
                        ConfigException.class,
                        () ->
                                TrainingRun.start(
                                                config("s", Map.of()),
                                                TinyModels.mlpFactory(8, 4, 32),
                                                DATA)
                                        .run());
        assertEquals(
                "model 'tiny-mlp' takes images 3x32x32 but the data set bands(96, seed 1) has"
                        + " 3x8x8 (in_chans/img_size must match the data)",
                size.getMessage());
        ConfigException name =
                assertThrows(
                        ConfigException.class,
                        () ->
                                TrainingRun.start(
                                        config("n", Map.of("model", "fit-tiny")),
                                        TinyModels.mlpFactory(8, 4, 8),
                                        DATA));
        assertEquals(
                "model 'fit-tiny' is configured, but the run was given model 'tiny-mlp'",
                name.getMessage());
    }

    @Test
    void withoutValidationTheLastEpochIsTheBest() throws Exception {
        TrainData noVal = new TrainData(DATA.train(), null, DATA.stats(), "no validation");
        TrainSummary s =
                TrainingRun.start(config("nv", Map.of()), TinyModels.mlpFactory(8, 4, 8), noVal)
                        .run();
        assertNull(s.lastEval());
        String row = Files.readAllLines(tmp.resolve("nv/metrics.csv")).get(2);
        assertTrue(row.matches("2,24,[^,]+,[^,]+,[^,]+,,,,[^,]+,[^,]+"), row);
        assertEquals(
                2,
                Checkpoint.read(tmp.resolve("nv/best.ckpt")).state().progress().epochsCompleted());
    }
}
