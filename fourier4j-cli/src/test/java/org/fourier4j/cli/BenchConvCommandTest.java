package org.fourier4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchConvCommandTest {

    private static final List<String> KEYS =
            List.of(
                    "layer",
                    "shape",
                    "kernel",
                    "batch",
                    "direct_ms",
                    "fft_ms",
                    "auto_ms",
                    "auto_choice",
                    "speedup");

    @TempDir Path dir;

    @Test
    void sweepAsJsonHasExactlyTheDocumentedKeys() throws Exception {
        Path out = dir.resolve("conv.json");
        CliRunner r =
                CliRunner.run(
                        "bench",
                        "conv",
                        "--preset",
                        "sweep",
                        "--channels",
                        "4",
                        "--size",
                        "12",
                        "--kernels",
                        "3,9",
                        "--warmup",
                        "0",
                        "--repeats",
                        "1",
                        "--format",
                        "json",
                        "--out",
                        out.toString());
        assertEquals(0, r.exitCode, r.err);
        JsonNode rows = new ObjectMapper().readTree(r.out);
        assertEquals(2, rows.size());
        for (JsonNode row : rows) {
            List<String> keys = new ArrayList<>();
            row.fieldNames().forEachRemaining(keys::add);
            assertEquals(KEYS, keys);
            assertTrue(row.get("direct_ms").asDouble() > 0);
            assertTrue(row.get("fft_ms").asDouble() > 0);
            assertTrue(List.of("direct", "fft").contains(row.get("auto_choice").asText()));
            assertEquals(1, row.get("batch").asInt());
        }
        assertEquals(9, rows.get(1).get("kernel").asInt());
        assertEquals(r.out, Files.readString(out));
    }

    @Test
    void baselineAddsItsColumnsAndCsvHasAHeader() {
        CliRunner r =
                CliRunner.run(
                        "bench",
                        "conv",
                        "--preset",
                        "sweep",
                        "--channels",
                        "2",
                        "--size",
                        "9",
                        "--kernels",
                        "5",
                        "--warmup",
                        "0",
                        "--repeats",
                        "1",
                        "--baseline",
                        "--auto-vs-best",
                        "--mode",
                        "training",
                        "--format",
                        "csv");
        assertEquals(0, r.exitCode, r.err);
        String[] lines = r.out.trim().split("\n");
        assertEquals(2, lines.length);
        assertEquals(
                String.join(",", KEYS) + ",auto_vs_best,baseline_ms,baseline_speedup", lines[0]);
        double autoVsBest = Double.parseDouble(lines[1].split(",")[KEYS.size()]);
        assertTrue(autoVsBest > 0, lines[1]);
    }

    @Test
    void badOptionsAreNamed() {
        CliRunner batch = CliRunner.run("bench", "conv", "--batch", "0");
        assertEquals(2, batch.exitCode);
        assertTrue(batch.err.contains("--batch must be at least 1, got 0"), batch.err);

        CliRunner preset = CliRunner.run("bench", "conv", "--preset", "resnet");
        assertEquals(2, preset.exitCode);
        assertTrue(preset.err.contains("unknown preset 'resnet'"), preset.err);

        CliRunner format = CliRunner.run("bench", "conv", "--format", "xml");
        assertEquals(2, format.exitCode);
        assertTrue(format.err.contains("unknown format 'xml'"), format.err);

        for (String command : new String[] {"conv", "mixers"}) {
            CliRunner threads = CliRunner.run("bench", command, "--threads", "0");
            assertEquals(2, threads.exitCode, command);
            assertTrue(threads.err.contains("--threads must be at least 1, got 0"), threads.err);
        }
    }
}
