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
