package org.fourier4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log: with stderr going to a file or a pipe (as in this test), {@code train} prints
 * plain progress lines and no carriage returns.
 */
class TrainProgressCommandTest {

    @TempDir Path tmp;

    @Test
    void progressInALogIsPlainLines() {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "train",
                                "--model",
                                "fit-tiny",
                                "-o",
                                "embed_dim=16",
                                "--batch-size",
                                "200",
                                "--epochs",
                                "1",
                                "-o",
                                "max_steps=2",
                                "--out",
                                tmp.resolve("run").toString()));
        for (int i = 0; i < SampleRun.TINY.size(); i += 2) {
            if (!SampleRun.TINY.get(i + 1).startsWith("progress=")) {
                args.addAll(SampleRun.TINY.subList(i, i + 2));
            }
        }
        CliRunner r = CliRunner.run(args.toArray(new String[0]));
        assertEquals(0, r.exitCode, r.err);
        assertFalse(r.err.contains("\r"), r.err);
        assertTrue(r.err.contains("\nepoch 1/1: 2/20 steps, "), r.err);
    }
}
