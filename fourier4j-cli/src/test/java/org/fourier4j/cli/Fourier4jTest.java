package org.fourier4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Fourier4jTest {

    @Test
    void helpListsTheCommands() {
        CliRunner r = CliRunner.run("--help");
        assertEquals(0, r.exitCode);
        assertTrue(r.out.contains("Usage: fourier4j"), r.out);
        assertTrue(r.out.contains("bench"), r.out);
        for (String c : new String[] {"train", "eval", "predict", "models"}) {
            assertTrue(r.out.contains("  " + c + " "), c + " in " + r.out);
        }
        assertTrue(r.out.contains("Exit codes:"), r.out);
        assertTrue(r.out.contains("3   training stopped on a non-finite loss"), r.out);
    }

    @Test
    void theTrainingCommandsExplainTheirOptions() {
        CliRunner train = CliRunner.run("train", "--help");
        assertEquals(0, train.exitCode);
        for (String o :
                new String[] {
                    "--model",
                    "--config",
                    "--data",
                    "--epochs",
                    "--batch-size",
                    "--lr",
                    "--out",
                    "--resume",
                    "--seed",
                    "--override"
                }) {
            assertTrue(train.out.contains(o), o + " in " + train.out);
        }
        CliRunner eval = CliRunner.run("eval", "--help");
        assertTrue(eval.out.contains("The bundled sample has no test set"), eval.out);
        CliRunner predict = CliRunner.run("predict", "--help");
        assertTrue(predict.out.contains("--top-k"), predict.out);
    }

    @Test
    void versionNamesTheProjectAndDjl() {
        CliRunner r = CliRunner.run("--version");
        assertEquals(0, r.exitCode);
        assertTrue(r.out.startsWith("fourier4j "), r.out);
        assertTrue(r.out.contains("DJL"), r.out);
    }

    @Test
    void unknownCommandIsAUsageError() {
        CliRunner r = CliRunner.run("frobnicate");
        assertEquals(2, r.exitCode);
        assertTrue(r.err.contains("frobnicate"), r.err);
    }
}
