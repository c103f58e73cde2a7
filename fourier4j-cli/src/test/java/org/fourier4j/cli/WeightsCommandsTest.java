package org.fourier4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import org.fourier4j.io.StateDict;
import org.fourier4j.io.WeightFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code import}, {@code export} and {@code forward} from the command line, on the official
 * ConvNeXt fixture: the official logits through {@code forward}, the official tensors back through
 * {@code export}, and every kind of bad input as one line, exit code 2 and nothing written.
 */
class WeightsCommandsTest {

    static final Path FIXTURES =
            Paths.get("..", "..", "shared", "fixtures", "official").toAbsolutePath().normalize();

    @TempDir static Path tmp;
    static Path model;

    static Path fixture(String name) {
        Path p = FIXTURES.resolve(name);
        assumeTrue(Files.isRegularFile(p), "no official fixture " + p);
        return p;
    }

    /** The model directory imported from the official fixture; skips without the fixture. */
    static Path importedModel() {
        assumeTrue(model != null, "no official fixture " + FIXTURES.resolve("convnext-small.pth"));
        return model;
    }

    static String[] importArgs(Path weights, Path out, String... extra) {
        String[] base = {
            "import",
            "--model",
            "convnext-t",
            "-o",
            "depths=1,1,2,1",
            "-o",
            "dims=24,48,96,192",
            "--image-size",
            "64",
            "--weights",
            weights.toString(),
            "--out",
            out.toString()
        };
        String[] all = Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return all;
    }

    @BeforeAll
    static void importTheFixture() {
        Path weights = FIXTURES.resolve("convnext-small.pth");
        if (!Files.isRegularFile(weights)) {
            return;
        }
        model = tmp.resolve("convnext");
        CliRunner r = CliRunner.run(importArgs(weights, model));
        assertEquals(0, r.exitCode, r.err);
        assertTrue(r.out.contains("official names"), r.out);
    }

    @Test
    void forwardGivesTheOfficialLogitsAndFeatures() throws IOException {
        Path io = fixture("convnext-small.io.safetensors");
        Path out = tmp.resolve("out.safetensors");
        CliRunner r =
                CliRunner.run(
                        "forward",
                        "--checkpoint",
                        importedModel().toString(),
                        "--input",
                        io.toString(),
                        "--output",
                        out.toString());
        assertEquals(0, r.exitCode, r.err);
        try (StateDict ref = WeightFiles.read(io);
                StateDict got = WeightFiles.read(out)) {
            for (String name : new String[] {"logits", "features"}) {
                float[] a = ref.get(name).toFloats();
                float[] b = got.get(name).toFloats();
                double max = 1;
                double diff = 0;
                for (int i = 0; i < a.length; i++) {
                    max = Math.max(max, Math.abs(a[i]));
                    diff = Math.max(diff, Math.abs(a[i] - b[i]));
                }
                assertTrue(diff <= 1e-4 * max, name + ": max |diff| " + diff);
            }
        }
    }

    @Test
    void exportWritesTheOfficialTensorsBack() throws IOException {
        Path out = tmp.resolve("back.pth");
        CliRunner r =
                CliRunner.run(
                        "export",
                        "--checkpoint",
                        importedModel().toString(),
                        "--format",
                        "pth",
                        "--out",
                        out.toString());
        assertEquals(0, r.exitCode, r.err);
        try (StateDict ref = WeightFiles.read(fixture("convnext-small.pth"));
                StateDict got = WeightFiles.read(out)) {
            assertEquals(ref.names(), got.names());
            for (String n : ref.names()) {
                assertEquals(ref.get(n).contiguousBytes(), got.get(n).contiguousBytes(), n);
            }
        }
    }

    @Test
    void compareRunsTwoAlgorithmsOnTheSameWeightsAndReportsTheirDifference() {
        CliRunner r =
                CliRunner.run(
                        "compare",
                        "--checkpoint",
                        importedModel().toString(),
                        "--a",
                        "conv_algorithm=direct",
                        "--b",
                        "conv_algorithm=fft",
                        "--repeats",
                        "2",
                        "--warmup",
                        "1");
        assertEquals(0, r.exitCode, r.err);
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("largest \\|logit a - logit b\\| (\\S+)")
                        .matcher(r.out);
        assertTrue(m.find(), r.out);
        assertTrue(Double.parseDouble(m.group(1)) < 1e-4, r.out);
        CliRunner bad =
                CliRunner.run(
                        "compare",
                        "--checkpoint",
                        importedModel().toString(),
                        "--a",
                        "conv_algorithm=direct",
                        "--b",
                        "conv_algorithm=fft",
                        "--batch",
                        "0");
        assertEquals(2, bad.exitCode, bad.err);
        assertTrue(bad.err.contains("--batch"), bad.err);
    }

    static void assertBadInput(CliRunner r, Path out, String... expected) {
        assertEquals(2, r.exitCode, r.err);
        assertEquals(1, r.err.strip().lines().count(), "one line: " + r.err);
        for (String e : expected) {
            assertTrue(r.err.contains(e), "'" + e + "' in: " + r.err);
        }
        assertFalse(Files.exists(out), "nothing written at " + out);
    }

    @Test
    void badWeightFilesAreOneLineExitTwoAndNothingWritten() throws IOException {
        Path good = fixture("convnext-small.pth");
        Path truncated = tmp.resolve("truncated.pth");
        byte[] bytes = Files.readAllBytes(good);
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
        assertBadInput(
                CliRunner.run(importArgs(truncated, tmp.resolve("a"))),
                tmp.resolve("a"),
                "truncated.pth");

        Path header = tmp.resolve("lying.safetensors");
        byte[] st = Files.readAllBytes(fixture("convnext-small.safetensors"));
        st[0] = (byte) 0xff; // the header claims more bytes than the file has
        st[1] = (byte) 0xff;
        st[2] = (byte) 0xff;
        Files.write(header, st);
        assertBadInput(
                CliRunner.run(importArgs(header, tmp.resolve("b"))),
                tmp.resolve("b"),
                "lying.safetensors");

        Path evil = tmp.resolve("os-system.pth");
        try (InputStream in = getClass().getResourceAsStream("weights/os-system.pth")) {
            Files.copy(in, evil);
        }
        assertBadInput(
                CliRunner.run(importArgs(evil, tmp.resolve("c"))), tmp.resolve("c"), "os.system");

        assertBadInput(
                CliRunner.run(importArgs(fixture("gfnet-small.pth"), tmp.resolve("d"))),
                tmp.resolve("d"),
                "gfnet-small.pth",
                "missing");

        assertBadInput(
                CliRunner.run(importArgs(good, tmp.resolve("e"), "--names", "caffe")),
                tmp.resolve("e"),
                "--names caffe");

        assertBadInput(
                CliRunner.run(
                        "import",
                        "--model",
                        "convnext-t",
                        "--weights",
                        good.toString(),
                        "--out",
                        tmp.resolve("f").toString()),
                tmp.resolve("f"),
                "-o depths=1,1,2,1");
    }

    @Test
    void anExistingOutputIsNotOverwritten() {
        CliRunner r = CliRunner.run(importArgs(fixture("convnext-small.pth"), model));
        assertEquals(2, r.exitCode, r.err);
        assertTrue(r.err.contains("already exists"), r.err);
    }
}
