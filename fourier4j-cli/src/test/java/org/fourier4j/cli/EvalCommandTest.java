package org.fourier4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.fourier4j.data.BundledSample;
import org.fourier4j.data.CifarReader;
import org.fourier4j.data.ImageSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final List<String> CIFAR10 =
            List.of(
                    "airplane",
                    "automobile",
                    "bird",
                    "cat",
                    "deer",
                    "dog",
                    "frog",
                    "horse",
                    "ship",
                    "truck");

    @TempDir Path tmp;

    private static JsonNode evalJson(String... args) throws IOException {
        List<String> a = new ArrayList<>(List.of("eval", "--format", "json"));
        a.addAll(List.of(args));
        CliRunner r = CliRunner.run(a.toArray(new String[0]));
        assertEquals(0, r.exitCode, r.err);
        return JSON.readTree(r.out);
    }

    @Test
    void theTableShowsTheMetricsPerClassAccuracyAndTheConfusionMatrix() {
        SampleRun run = SampleRun.get();
        CliRunner r = CliRunner.run("eval", "--checkpoint", run.dir.toString());
        assertEquals(0, r.exitCode, r.err);
        for (String s :
                List.of(
                        "model       fit-tiny (raw weights)",
                        "checkpoint  " + run.dir.resolve("best.ckpt"),
                        "split       val: the bundled sample's validation part",
                        "images      1000",
                        "loss  ",
                        "top-1  ",
                        "top-5  ",
                        "class         images  correct  accuracy",
                        "confusion matrix (rows: true class, columns: predicted class)",
                        "true\\pred ")) {
            assertTrue(r.out.contains(s), s + " in\n" + r.out);
        }
        for (int i = 0; i < CIFAR10.size(); i++) {
            assertTrue(r.out.contains(i + " " + CIFAR10.get(i)), r.out);
        }
    }

    @Test
    void theJsonMatchesTheRunsOwnEvaluationOfTheSameCheckpoint() throws Exception {
        SampleRun run = SampleRun.get();
        Path out = tmp.resolve("reports/eval.json");
        CliRunner r =
                CliRunner.run(
                        "eval",
                        "--checkpoint",
                        run.dir.toString(),
                        "--format",
                        "json",
                        "--out",
                        out.toString());
        assertEquals(0, r.exitCode, r.err);
        assertEquals(r.out, Files.readString(out));
        JsonNode e = JSON.readTree(r.out);
        assertEquals("fit-tiny", e.get("model").asText());
        assertEquals("raw", e.get("weights").asText());
        assertEquals("val", e.get("split").asText());
        assertEquals(1000, e.get("images").asInt());
        List<String> classes = new ArrayList<>();
        e.get("classes").forEach(c -> classes.add(c.asText()));
        assertEquals(CIFAR10, classes);
        JsonNode cm = e.get("confusion_matrix");
        assertEquals(10, cm.size());
        long diagonal = 0;
        for (int i = 0; i < 10; i++) {
            assertEquals(10, cm.get(i).size());
            long row = 0;
            for (JsonNode v : cm.get(i)) {
                row += v.asLong();
            }
            assertEquals(100, row, "the sample has 100 validation images per class");
            diagonal += cm.get(i).get(i).asLong();
            assertEquals(
                    cm.get(i).get(i).asDouble() / 100,
                    e.get("per_class_accuracy").get(CIFAR10.get(i)).asDouble(),
                    1e-12);
        }
        double top1 = e.get("top1").asDouble();
        assertEquals(diagonal / 1000.0, top1, 1e-12);
        assertTrue(e.get("top5").asDouble() >= top1);
        // best.ckpt is the end of the best epoch: its evaluation during training must come back
        int epoch = e.get("epochs_completed").asInt();
        JsonNode row =
                JSON.readTree(Files.readAllLines(run.dir.resolve("metrics.jsonl")).get(epoch - 1));
        assertEquals(row.get("val_top1").asDouble(), top1, 1e-12);
        assertEquals(row.get("val_top5").asDouble(), e.get("top5").asDouble(), 1e-12);
        assertEquals(row.get("val_loss").asDouble(), e.get("loss").asDouble(), 1e-6);
    }

    @Test
    void lastWeightsAndOlderCheckpointsWithoutClassNames() throws Exception {
        SampleRun run = SampleRun.get();
        JsonNode last = evalJson("--checkpoint", run.dir.toString(), "--weights", "last");
        assertEquals(SampleRun.EPOCHS, last.get("epochs_completed").asInt());
        assertEquals(40, last.get("global_step").asInt());
        JsonNode row = JSON.readTree(Files.readAllLines(run.dir.resolve("metrics.jsonl")).get(1));
        assertEquals(row.get("val_top1").asDouble(), last.get("top1").asDouble(), 1e-12);

        // a checkpoint written before class names and normalisation were recorded
        Path old = tmp.resolve("old.ckpt");
        stripClassesAndNormalisation(run.dir.resolve("last.ckpt"), old);
        CliRunner r = CliRunner.run("eval", "--checkpoint", old.toString(), "--format", "json");
        assertEquals(0, r.exitCode, r.err);
        assertTrue(r.err.contains("does not record its class names and normalisation"), r.err);
        JsonNode e = JSON.readTree(r.out);
        assertEquals(last.get("top1"), e.get("top1"));
        assertEquals(last.get("loss"), e.get("loss"));
        assertEquals(last.get("confusion_matrix"), e.get("confusion_matrix"));
    }

    @Test
    void theWeightAverageIsUsedWhenTheCheckpointHasOneUnlessRawWeightsAreAsked() throws Exception {
        Path ema = tmp.resolve("ema");
        CliRunner t =
                CliRunner.run(
                        SampleRun.args(
                                "train",
                                "--batch-size",
                                "200",
                                "--lr",
                                "0.01",
                                "-o",
                                "ema_decay=0.5",
                                "-o",
                                "max_steps=3",
                                "--out",
                                ema.toString()));
        assertEquals(0, t.exitCode, t.err);
        // stopped inside epoch 1: no best.ckpt yet, so last.ckpt stands in
        CliRunner avg = CliRunner.run("eval", "--checkpoint", ema.toString(), "--format", "json");
        assertEquals(0, avg.exitCode, avg.err);
        assertTrue(avg.err.contains("has no best.ckpt (no epoch finished yet); using last.ckpt"));
        JsonNode a = JSON.readTree(avg.out);
        assertEquals("ema", a.get("weights").asText());
        assertEquals(3, a.get("global_step").asInt());
        JsonNode raw =
                evalJson("--checkpoint", ema.resolve("last.ckpt").toString(), "--raw-weights");
        assertEquals("raw", raw.get("weights").asText());
        assertTrue(
                a.get("loss").asDouble() != raw.get("loss").asDouble(),
                "the average and the trained weights differ: " + a.get("loss"));
    }

    static void stripClassesAndNormalisation(Path from, Path to) throws IOException {
        try (ZipFile in = new ZipFile(from.toFile());
                ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(to))) {
            for (ZipEntry e : Collections.list(in.entries())) {
                byte[] data = in.getInputStream(e).readAllBytes();
                if (e.getName().equals("checkpoint.json")) {
                    ObjectNode n = (ObjectNode) JSON.readTree(data);
                    assertTrue(n.has("classes"));
                    n.remove(List.of("classes", "normalizeMean", "normalizeStd"));
                    data = JSON.writeValueAsBytes(n);
                }
                out.putNextEntry(new ZipEntry(e.getName()));
                out.write(data);
                out.closeEntry();
            }
        }
    }

    private static void write(Path file, ImageSet set) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            CifarReader.writeCifar10(out, set);
        }
    }

    @Test
    void splitTestReadsTheOfficialTestBatchAndTheBundledSampleHasNone() throws Exception {
        SampleRun run = SampleRun.get();
        CliRunner bundled =
                CliRunner.run("eval", "--checkpoint", run.dir.toString(), "--split", "test");
        assertEquals(2, bundled.exitCode);
        assertTrue(
                bundled.err.contains(
                        "fourier4j eval: data error: --split test: the bundled sample has no test"
                                + " set"),
                bundled.err);

        // a CIFAR-10 directory whose test_batch.bin holds the sample's validation images: the
        // same images in the same order must give exactly the --split val results
        Path cifar = Files.createDirectories(tmp.resolve("cifar"));
        ImageSet train = BundledSample.load().train();
        write(cifar.resolve("data_batch_1.bin"), train.range(0, 100, "first 100"));
        write(cifar.resolve("test_batch.bin"), BundledSample.load().test());
        JsonNode val = evalJson("--checkpoint", run.dir.toString());
        JsonNode test =
                evalJson(
                        "--checkpoint",
                        run.dir.toString(),
                        "--data",
                        cifar.toString(),
                        "--split",
                        "test");
        assertEquals("test", test.get("split").asText());
        assertTrue(
                test.get("split_rule").asText().contains("test_batch.bin"),
                test.get("split_rule").asText());
        assertEquals(val.get("top1"), test.get("top1"));
        assertEquals(val.get("top5"), test.get("top5"));
        assertEquals(val.get("confusion_matrix"), test.get("confusion_matrix"));

        Files.delete(cifar.resolve("test_batch.bin"));
        CliRunner missing =
                CliRunner.run(
                        "eval",
                        "--checkpoint",
                        run.dir.toString(),
                        "--data",
                        cifar.toString(),
                        "--split",
                        "test");
        assertEquals(2, missing.exitCode);
        assertTrue(
                missing.err.contains(
                        "--split test: "
                                + cifar
                                + " has no test batch (test_batch.bin for CIFAR-10, test.bin for"
                                + " CIFAR-100)"),
                missing.err);

        CliRunner split = CliRunner.run("eval", "--checkpoint", run.dir.toString(), "--split", "x");
        assertEquals(2, split.exitCode);
        assertTrue(split.err.contains("--split must be val or test, got 'x'"), split.err);
    }

    @Test
    void dataOfOtherClassesOrSizesIsRefused() throws Exception {
        SampleRun run = SampleRun.get();
        Path c100 = Files.createDirectories(tmp.resolve("c100"));
        ImageSet some = BundledSample.load().test().range(0, 20, "twenty");
        try (OutputStream out = Files.newOutputStream(c100.resolve("test.bin"))) {
            CifarReader.writeCifar100(out, some, new int[20]);
        }
        CliRunner r =
                CliRunner.run(
                        "eval",
                        "--checkpoint",
                        run.dir.toString(),
                        "--data",
                        c100.toString(),
                        "--split",
                        "test");
        assertEquals(2, r.exitCode);
        assertTrue(r.err.contains(c100.resolve("test.bin") + " has the classes ["), r.err);
        assertTrue(r.err.contains("was trained on [airplane, automobile"), r.err);
    }

    @Test
    void missingOrCorruptCheckpointsAreNamed() throws Exception {
        Path missing = tmp.resolve("none");
        CliRunner a = CliRunner.run("eval", "--checkpoint", missing.toString());
        assertEquals(2, a.exitCode);
        assertTrue(
                a.err.contains(
                        "fourier4j eval: checkpoint error: checkpoint not found: "
                                + missing
                                + " does not exist"),
                a.err);

        Path empty = Files.createDirectories(tmp.resolve("empty-run"));
        CliRunner b = CliRunner.run("eval", "--checkpoint", empty.toString());
        assertEquals(2, b.exitCode);
        assertTrue(
                b.err.contains(
                        empty
                                + " is not a model directory (no model.json) nor a training run"
                                + " (no best.ckpt or last.ckpt)"),
                b.err);
        // a run directory without checkpoints
        Files.writeString(empty.resolve("config.json"), "{}");
        CliRunner b2 = CliRunner.run("eval", "--checkpoint", empty.toString());
        assertEquals(2, b2.exitCode);
        assertTrue(
                b2.err.contains(
                        "no checkpoint in " + empty + " (best.ckpt and last.ckpt are missing)"),
                b2.err);

        SampleRun run = SampleRun.get();
        byte[] good = Files.readAllBytes(run.dir.resolve("last.ckpt"));
        Path cut = Files.write(tmp.resolve("cut.ckpt"), java.util.Arrays.copyOf(good, 1000));
        CliRunner c = CliRunner.run("eval", "--checkpoint", cut.toString());
        assertEquals(2, c.exitCode);
        assertTrue(c.err.contains(cut + " is not a fourier4j checkpoint or is corrupt"), c.err);
        assertEquals(1, c.err.strip().split("\\R").length, "one line: " + c.err);
    }

    @Test
    void aModelThatWasNotTrainedHereNeedsDataAndEvaluatesAllOfIt() throws Exception {
        // the sample run's best weights as a model directory without a run (as import writes)
        SampleRun run = SampleRun.get();
        Path dir = tmp.resolve("imported");
        try (org.fourier4j.inference.LoadedModel m =
                org.fourier4j.inference.ModelDirectory.open(run.dir)) {
            org.fourier4j.inference.ModelCard c = m.card();
            org.fourier4j.inference.ModelDirectory.write(
                    dir,
                    org.fourier4j.inference.ModelCard.of(
                            c.model(),
                            c.options(),
                            c.form(),
                            c.preprocessing(),
                            c.classes(),
                            java.util.Map.of()),
                    m.model());
        }
        CliRunner none = CliRunner.run("eval", "--checkpoint", dir.toString());
        assertEquals(2, none.exitCode);
        assertTrue(none.err.contains("has no data of its own: give --data"), none.err);

        // the sample's validation images as a CIFAR batch: all 1000 evaluated, as the run did
        Path cifar = Files.createDirectories(tmp.resolve("cifar"));
        write(cifar.resolve("data_batch_1.bin"), BundledSample.load().test());
        JsonNode e = evalJson("--checkpoint", dir.toString(), "--data", cifar.toString());
        JsonNode own = evalJson("--checkpoint", run.dir.toString());
        assertEquals(1000, e.get("images").asInt());
        assertEquals("every image of " + cifar, e.get("split_rule").asText());
        assertEquals(own.get("top1"), e.get("top1"));
        assertEquals(own.get("confusion_matrix"), e.get("confusion_matrix"));
        assertEquals(own.get("loss").asDouble(), e.get("loss").asDouble(), 1e-6);
    }
}
