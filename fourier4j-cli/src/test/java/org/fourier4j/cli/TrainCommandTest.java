package org.fourier4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;

    @Test
    void aRunStoppedByMaxStepsWritesItsRunDirectory() throws Exception {
        SampleRun r = SampleRun.get();
        assertEquals(
                List.of(
                        "best.ckpt",
                        "config.json",
                        "confusion_matrix.csv",
                        "last.ckpt",
                        "metrics.csv",
                        "metrics.jsonl",
                        "model.json",
                        "model.safetensors",
                        "serving.properties",
                        "summary.json",
                        "train.lock"),
                r.filesAfterFirst);
        JsonNode s = JSON.readTree(r.summaryAfterFirst);
        assertEquals("stopped", s.get("status").asText());
        assertEquals(1, s.get("epochs_completed").asInt());
        assertEquals(SampleRun.STOP_AT, s.get("global_steps").asInt());
        assertEquals(2, r.metricsAfterFirst.size(), "header and epoch 1");
        // the table: one row per epoch, then the outcome
        assertTrue(r.first.out.startsWith("epoch  step"), r.first.out);
        assertTrue(r.first.out.contains("status            stopped"), r.first.out);
        assertTrue(r.first.out.contains("run directory     " + r.dir), r.first.out);
        assertTrue(r.first.err.contains("train: fit-tiny"), r.first.err);
    }

    @Test
    void resumeContinuesFromTheLastCheckpointToTheEnd() throws Exception {
        SampleRun r = SampleRun.get();
        // --format json prints summary.json
        JsonNode s = JSON.readTree(r.resumed.out);
        assertEquals(JSON.readTree(r.dir.resolve("summary.json").toFile()), s);
        assertEquals("completed", s.get("status").asText());
        assertEquals(SampleRun.EPOCHS, s.get("epochs_completed").asInt());
        assertEquals(20 * SampleRun.EPOCHS, s.get("global_steps").asInt());
        List<String> csv = Files.readAllLines(r.dir.resolve("metrics.csv"));
        assertEquals(3, csv.size());
        assertEquals(r.metricsAfterFirst, csv.subList(0, 2), "epoch 1's row is kept as it was");
        assertTrue(csv.get(2).startsWith("2,40,"), csv.get(2));
        List<String> jsonl = Files.readAllLines(r.dir.resolve("metrics.jsonl"));
        assertEquals(2, jsonl.size());
        assertEquals(40, JSON.readTree(jsonl.get(1)).get("global_step").asInt());
        assertFalse(
                java.util.Arrays.equals(
                        r.lastAfterFirst, Files.readAllBytes(r.dir.resolve("last.ckpt"))),
                "last.ckpt moved on");
    }

    @Test
    void theLossDecreases() throws Exception {
        SampleRun r = SampleRun.get();
        List<String> jsonl = Files.readAllLines(r.dir.resolve("metrics.jsonl"));
        JsonNode e1 = JSON.readTree(jsonl.get(0));
        JsonNode e2 = JSON.readTree(jsonl.get(1));
        double t1 = e1.get("train_loss").asDouble();
        double t2 = e2.get("train_loss").asDouble();
        double v1 = e1.get("val_loss").asDouble();
        double v2 = e2.get("val_loss").asDouble();
        assertTrue(t2 < t1, "train loss " + t1 + " -> " + t2);
        assertTrue(v2 < v1, "val loss " + v1 + " -> " + v2);
        assertTrue(v2 < Math.log(10), "val loss " + v2 + " below chance, ln 10");
    }

    @Test
    void flagsOverrideTheConfigFileWhichOverridesDefaultsAndTheModelIsResolved() throws Exception {
        SampleRun r = SampleRun.get();
        JsonNode c = JSON.readTree(r.dir.resolve("config.json").toFile());
        assertEquals(SampleRun.EPOCHS, c.get("epochs").asInt(), "--epochs over the file's 5");
        assertEquals(200, c.get("batch_size").asInt(), "--batch-size over the file's 50");
        assertEquals(0.01, c.get("lr").asDouble(), "--lr over the file's 0.5");
        assertEquals(0.0, c.get("label_smoothing").asDouble(), "the file over the default 0.1");
        assertEquals(0.05, c.get("weight_decay").asDouble(), "the default");
        assertEquals(0, c.get("max_steps").asInt(), "the resume's override is saved");
        assertEquals("fit-tiny", c.get("model").asText());
        assertEquals(16, c.get("embed_dim").asInt());
        assertEquals(10, c.get("num_classes").asInt(), "resolved from the data");
        assertEquals(
                List.of(32, 32),
                List.of(c.get("img_size").get(0).asInt(), c.get("img_size").get(1).asInt()),
                "32 for CIFAR data");
        assertEquals("bundled:cifar10-sample", c.get("dataset_path").asText());
        assertEquals(r.dir.getFileName().toString(), c.get("run_name").asText());
    }

    @Test
    void aNonFiniteLossExitsWith3AndLeavesTheLastCheckpointByteIdentical() throws Exception {
        Path run = tmp.resolve("nan");
        // an absurd learning rate: step 1 is finite, step 2 overflows
        CliRunner first =
                CliRunner.run(
                        SampleRun.args(
                                "train",
                                "--batch-size",
                                "200",
                                "--lr",
                                "1e30",
                                "-o",
                                "schedule=constant",
                                "-o",
                                "max_steps=1",
                                "--out",
                                run.toString()));
        assertEquals(0, first.exitCode, first.err);
        byte[] good = Files.readAllBytes(run.resolve("last.ckpt"));
        CliRunner nan = CliRunner.run("train", "--resume", run.toString(), "-o", "max_steps=0");
        assertEquals(3, nan.exitCode, nan.err);
        String line = lastLine(nan.err);
        assertTrue(
                line.startsWith(
                        "fourier4j train: training diverged: non-finite loss (NaN) at epoch 1,"
                                + " step 2 of 20 (global step 2)"),
                nan.err);
        assertTrue(line.contains(run.resolve("last.ckpt").toString()), line);
        assertArrayEquals(good, Files.readAllBytes(run.resolve("last.ckpt")));
        JsonNode summary = JSON.readTree(run.resolve("summary.json").toFile());
        assertEquals("failed", summary.get("status").asText());
        assertEquals(2, summary.get("failed_at_global_step").asInt());
    }

    @Test
    void aFailedResumeLeavesTheLastCheckpointByteIdentical() throws Exception {
        SampleRun r = SampleRun.get();
        Path copy = r.copyTo(tmp.resolve("copy"));
        byte[] before = Files.readAllBytes(copy.resolve("last.ckpt"));
        String config = Files.readString(copy.resolve("config.json"));

        CliRunner lr = CliRunner.run("train", "--resume", copy.toString(), "--lr", "0.5");
        assertEquals(2, lr.exitCode, lr.err);
        assertTrue(
                lr.err.contains(
                        "cannot change lr when resuming " + copy + " (saved 0.01, given 0.5)"),
                lr.err);

        Path bad = Files.createDirectories(tmp.resolve("bad-data"));
        Files.write(bad.resolve("data_batch_1.bin"), new byte[3073 * 2 + 7]);
        CliRunner data =
                CliRunner.run("train", "--resume", copy.toString(), "--data", bad.toString());
        assertEquals(2, data.exitCode, data.err);
        assertTrue(data.err.contains(bad.resolve("data_batch_1.bin").toString()), data.err);

        CliRunner withConfig =
                CliRunner.run(
                        "train", "--resume", copy.toString(), "--config", r.configFile.toString());
        assertEquals(2, withConfig.exitCode);
        assertTrue(withConfig.err.contains("--config cannot be used with --resume"));

        assertArrayEquals(before, Files.readAllBytes(copy.resolve("last.ckpt")));
        assertEquals(config, Files.readString(copy.resolve("config.json")));
        assertEquals(SampleRun.list(r.dir), SampleRun.list(copy), "no file added");
    }

    @Test
    void resumeNeedsARunDirectory() {
        CliRunner none = CliRunner.run("train", "--resume");
        assertEquals(2, none.exitCode);
        assertTrue(
                none.err.contains("--resume needs the run directory: --resume DIR or --out DIR"),
                none.err);
        Path missing = tmp.resolve("nowhere");
        CliRunner gone = CliRunner.run("train", "--resume", missing.toString());
        assertEquals(2, gone.exitCode);
        assertTrue(gone.err.contains("run directory not found: " + missing), gone.err);
        CliRunner both =
                CliRunner.run(
                        "train",
                        "--resume",
                        missing.toString(),
                        "--out",
                        tmp.resolve("x").toString());
        assertEquals(2, both.exitCode);
        assertTrue(both.err.contains("name different runs"), both.err);
    }

    @Test
    void aNewRunRefusesAUsedDirectoryAndConflictingFlags() throws Exception {
        SampleRun r = SampleRun.get();
        CliRunner used = CliRunner.run(SampleRun.args("train", "--out", r.dir.toString()));
        assertEquals(2, used.exitCode);
        assertTrue(
                used.err.contains("run directory " + r.dir + " already exists and is not empty"),
                used.err);
        CliRunner twice = CliRunner.run(SampleRun.args("train", "--epochs", "3", "-o", "epochs=4"));
        assertEquals(2, twice.exitCode);
        assertTrue(
                twice.err.contains(
                        "epochs is given twice on the command line with different values: --epochs"
                                + " (3) and --override epochs=4 (4)"),
                twice.err);
        CliRunner malformed = CliRunner.run(SampleRun.args("train", "-o", "epochs"));
        assertEquals(2, malformed.exitCode);
        assertTrue(malformed.err.contains("--override needs KEY=VALUE, got 'epochs'"));
        CliRunner noModel = CliRunner.run("train", "--epochs", "1");
        assertEquals(2, noModel.exitCode);
        assertTrue(noModel.err.contains("no model given: use --model NAME"), noModel.err);
    }

    /** Two classes of 12 coloured images of various sizes. */
    private static Path colours(Path root) throws Exception {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(5);
        for (String cls : List.of("blue", "red")) {
            Path d = Files.createDirectories(root.resolve(cls));
            for (int i = 0; i < 12; i++) {
                int w = 20 + rng.nextInt(40);
                int h = 20 + rng.nextInt(40);
                java.awt.image.BufferedImage im =
                        new java.awt.image.BufferedImage(
                                w, h, java.awt.image.BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        int v = 100 + rng.nextInt(100);
                        im.setRGB(x, y, cls.equals("red") ? v << 16 : v);
                    }
                }
                javax.imageio.ImageIO.write(im, "png", d.resolve(i + ".png").toFile());
            }
        }
        return root;
    }

    @Test
    void anImageFolderTrainsAtTheModelsResolutionAndPredictNamesItsClasses() throws Exception {
        Path root = colours(tmp.resolve("colours"));
        Path run = tmp.resolve("run");
        CliRunner t =
                CliRunner.run(
                        SampleRun.args(
                                "train",
                                "--data",
                                root.toString(),
                                "-o",
                                "val_split=fraction:0.25",
                                "--epochs",
                                "1",
                                "--batch-size",
                                "6",
                                "--out",
                                run.toString()));
        assertEquals(0, t.exitCode, t.err);
        JsonNode c = JSON.readTree(run.resolve("config.json").toFile());
        assertEquals(32, c.get("img_size").get(0).asInt(), "fit-tiny's design resolution");
        assertEquals(2, c.get("num_classes").asInt());
        assertEquals(root.toString(), c.get("dataset_path").asText());
        JsonNode s = JSON.readTree(run.resolve("summary.json").toFile());
        assertEquals(6, s.get("last_eval").get("images").asInt());

        CliRunner p =
                CliRunner.run(
                        "predict",
                        "--checkpoint",
                        run.toString(),
                        "--format",
                        "json",
                        root.resolve("red/0.png").toString());
        assertEquals(0, p.exitCode, p.err);
        JsonNode top = JSON.readTree(p.out).get(0).get("predictions");
        assertEquals(2, top.size(), "all of the two classes");
        java.util.Set<String> labels = new java.util.TreeSet<>();
        top.forEach(e -> labels.add(e.get("label").asText()));
        assertEquals(java.util.Set.of("blue", "red"), labels);
    }

    @Test
    void initFromStartsFromAModelDirectoryWithAFreshClassifierForOtherClasses() throws Exception {
        SampleRun sample = SampleRun.get(); // 10 classes: its run directory is a model directory
        Path root = colours(tmp.resolve("colours"));
        Path run = tmp.resolve("tuned");
        CliRunner t =
                CliRunner.run(
                        SampleRun.args(
                                "train",
                                "--data",
                                root.toString(),
                                "--init-from",
                                sample.dir.toString(),
                                "-o",
                                "val_split=fraction:0.25",
                                "--epochs",
                                "1",
                                "--batch-size",
                                "6",
                                "--out",
                                run.toString()));
        assertEquals(0, t.exitCode, t.err);
        assertTrue(t.err.contains("initial weights from " + sample.dir), t.err);
        assertTrue(t.err.contains("a fresh classifier for the new number of classes"), t.err);
        JsonNode c = JSON.readTree(run.resolve("config.json").toFile());
        assertEquals(sample.dir.toString(), c.get("init_from").asText());

        // another architecture is refused by name before anything is written
        CliRunner wider =
                CliRunner.run(
                        SampleRun.args(
                                "fit-tiny",
                                24,
                                "train",
                                "--data",
                                root.toString(),
                                "--init-from",
                                sample.dir.toString(),
                                "-o",
                                "val_split=fraction:0.25",
                                "--batch-size",
                                "6",
                                "--out",
                                tmp.resolve("wider").toString()));
        assertEquals(2, wider.exitCode, wider.err);
        assertTrue(wider.err.contains("do not fit this model"), wider.err);
        assertFalse(Files.exists(tmp.resolve("wider")), "nothing written");
    }

    static String lastLine(String s) {
        String[] lines = s.strip().split("\\R");
        return lines[lines.length - 1];
    }
}
