package org.fourier4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.fourier4j.data.BundledSample;
import org.fourier4j.data.CifarReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every bad input of the training issue: a clear one-line error naming the file or key and the
 * value, exit code 2, and no run directory or checkpoint written or changed.
 */
class TrainBadInputTest {

    @TempDir Path tmp;

    /** Runs {@code train} with the tiny model into {@code tmp/out} and expects exit code 2. */
    private CliRunner fails(String... args) {
        return failsWith("fit-tiny", args);
    }

    /** Runs {@code train} with a model of width 16 into {@code tmp/out}, expecting exit code 2. */
    private CliRunner failsWith(String model, String... args) {
        String[] all = SampleRun.args(model, 16, args);
        String[] withOut = java.util.Arrays.copyOf(all, all.length + 2);
        withOut[all.length] = "--out";
        withOut[all.length + 1] = tmp.resolve("out").toString();
        CliRunner r = CliRunner.run(withOut);
        assertEquals(2, r.exitCode, r.err);
        assertFalse(Files.exists(tmp.resolve("out")), "no run directory for a failed start");
        String[] lines = r.err.strip().split("\\R");
        assertEquals(1, lines.length, "one line: " + r.err);
        assertTrue(lines[0].startsWith("fourier4j train: "), r.err);
        return r;
    }

    private static void assertContains(String expected, CliRunner r) {
        assertTrue(r.err.contains(expected), "expected\n  " + expected + "\nin\n  " + r.err);
    }

    @Test
    void missingDataDirectory() {
        Path missing = tmp.resolve("no-such-dir");
        assertContains(
                "data error: dataset_path " + missing + " does not exist",
                fails("train", "--data", missing.toString()));
    }

    @Test
    void truncatedBatchFile() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("cifar"));
        Path batch = Files.write(dir.resolve("data_batch_1.bin"), new byte[3073 * 3 + 5]);
        assertContains(
                batch
                        + ": size 9224 bytes is not a whole number of CIFAR-10 records of 3073"
                        + " bytes (3 records and 5 bytes left over)",
                fails("train", "--data", dir.toString()));
    }

    @Test
    void labelOutOfRange() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("cifar"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CifarReader.writeCifar10(out, BundledSample.load().train().range(0, 3, "three"));
        byte[] bytes = out.toByteArray();
        bytes[2 * 3073] = 12; // record 2's label
        Path batch = Files.write(dir.resolve("data_batch_1.bin"), bytes);
        assertContains(
                batch + ": record 2 (byte offset 6146) has label 12; CIFAR-10 labels are 0..9",
                fails("train", "--data", dir.toString()));
    }

    @Test
    void imageThatCannotBeDecoded() throws Exception {
        Path root = tmp.resolve("images");
        Path cats = Files.createDirectories(root.resolve("cat"));
        Path dogs = Files.createDirectories(root.resolve("dog"));
        ImageIO.write(
                new BufferedImage(20, 30, BufferedImage.TYPE_INT_RGB),
                "png",
                cats.resolve("a.png").toFile());
        Path broken = Files.write(dogs.resolve("b.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, 1});
        assertContains(
                "data error: " + broken + ": cannot be decoded as an image",
                fails("train", "--data", root.toString()));
    }

    @Test
    void unknownModel() {
        assertContains(
                "configuration error: unknown model 'fit-tinny'; closest: fit-tiny",
                failsWith("fit-tinny", "train"));
    }

    @Test
    void unknownConfigKeyInAFileOrOnTheCommandLine() throws Exception {
        Path json = Files.writeString(tmp.resolve("bad.json"), "{\"epochs\": 1, \"lr_max\": 0.1}");
        assertContains(
                "configuration error: unknown config key 'lr_max' in " + json,
                fails("train", "--config", json.toString()));
        Path yaml = Files.writeString(tmp.resolve("bad.yaml"), "epochs: 1\nbatch_size: zero\n");
        assertContains(
                "batch_size must be an integer, got 'zero' in " + yaml,
                fails("train", "--config", yaml.toString()));
        assertContains(
                "configuration error: unknown config key 'embed_dims' on the command line (did you"
                        + " mean 'embed_dim'?)",
                fails("train", "-o", "embed_dims=8"));
    }

    @Test
    void batchSizeZero() {
        assertContains(
                "configuration error: batch_size must be at least 1, got 0 on the command line",
                fails("train", "--batch-size", "0"));
    }

    @Test
    void modelKeysTheModelCannotTakeAndSizesItCannotUse() {
        assertContains(
                "configuration error: config key embed_dim=16 does not apply to model"
                        + " 'convnext-t' (ConvNeXt)",
                failsWith("convnext-t", "train"));
        assertContains(
                "configuration error: model 'fit-tiny' takes images 3x64x64 but the data set"
                        + " bundled:cifar10-sample (train) has 3x32x32",
                fails("train", "-o", "img_size=64"));
    }

    @Test
    void checkpointsOfAnotherShapeOrModelAreRefusedAndLeftAsTheyWere() throws Exception {
        SampleRun run = SampleRun.get();
        // one step of a wider model, and one of another model of the same width
        Path wide = tmp.resolve("wide");
        CliRunner w =
                CliRunner.run(
                        SampleRun.args(
                                "fit-tiny",
                                24,
                                "train",
                                "--batch-size",
                                "200",
                                "-o",
                                "max_steps=1",
                                "--out",
                                wide.toString()));
        assertEquals(0, w.exitCode, w.err);
        Path copy = run.copyTo(tmp.resolve("copy"));
        Files.copy(
                wide.resolve("last.ckpt"),
                copy.resolve("last.ckpt"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        byte[] foreign = Files.readAllBytes(copy.resolve("last.ckpt"));
        CliRunner shape = CliRunner.run("train", "--resume", copy.toString());
        assertEquals(2, shape.exitCode, shape.err);
        assertContains(
                "fourier4j train: checkpoint error: checkpoint "
                        + copy.resolve("last.ckpt")
                        + " does not fit model 'fit-tiny': ",
                shape);
        assertContains("parameter(s) differ: shape differs for ", shape);
        // the head: 10 classes from 24 features in the checkpoint, 16 in the model
        assertContains("head.fc.weight (checkpoint (10, 24), model (10, 16))", shape);
        assertArrayEquals(foreign, Files.readAllBytes(copy.resolve("last.ckpt")));

        Path fnet = tmp.resolve("fnet");
        CliRunner f =
                CliRunner.run(
                        SampleRun.args(
                                "fnet-tiny",
                                16,
                                "train",
                                "--batch-size",
                                "200",
                                "-o",
                                "max_steps=1",
                                "--out",
                                fnet.toString()));
        assertEquals(0, f.exitCode, f.err);
        Files.copy(
                fnet.resolve("last.ckpt"),
                copy.resolve("last.ckpt"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        byte[] other = Files.readAllBytes(copy.resolve("last.ckpt"));
        CliRunner model = CliRunner.run("train", "--resume", copy.toString());
        assertEquals(2, model.exitCode, model.err);
        assertContains(
                "checkpoint "
                        + copy.resolve("last.ckpt")
                        + " was written for model 'fnet-tiny', not 'fit-tiny'",
                model);
        assertArrayEquals(other, Files.readAllBytes(copy.resolve("last.ckpt")));
    }
}
