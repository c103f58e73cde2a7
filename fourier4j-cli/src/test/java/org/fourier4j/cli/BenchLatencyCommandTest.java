package org.fourier4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.fourier4j.bench.LatencyBenchmark;
import org.junit.jupiter.api.Test;

class BenchLatencyCommandTest {

    @Test
    void measuresInAChildProcess() throws Exception {
        CliRunner r =
                CliRunner.run(
                        "bench",
                        "latency",
                        "--models",
                        "convnext-t",
                        "--sizes",
                        "32",
                        "--warmup",
                        "0",
                        "--repeats",
                        "2",
                        "--format",
                        "json");
        assertEquals(0, r.exitCode, r.err);
        JsonNode row = new ObjectMapper().readTree(r.out).get(0);
        assertEquals("ok", row.get("status").asText(), row.toString());
        assertEquals(28.59, row.get("params_m").asDouble(), 0.01);
        assertTrue(row.get("median_ms").asDouble() > 0);
        assertTrue(row.get("p90_ms").asDouble() >= row.get("median_ms").asDouble());
        assertTrue(row.get("rss_peak_mb").asDouble() > 0);
        assertTrue(row.get("images_per_s").asDouble() > 0);
    }

    @Test
    void limitsGiveDnfWithTheReasonInsteadOfACrash() throws Exception {
        CliRunner r =
                CliRunner.run(
                        "bench",
                        "latency",
                        "--models",
                        "convnext-t",
                        "--sizes",
                        "32",
                        "--max-memory",
                        "60m",
                        "--format",
                        "json");
        assertEquals(0, r.exitCode, r.err);
        JsonNode row = new ObjectMapper().readTree(r.out).get(0);
        assertEquals("DNF", row.get("status").asText());
        assertTrue(row.get("reason").asText().contains("out of memory budget"), row.toString());

        CliRunner slow =
                CliRunner.run(
                        "bench",
                        "latency",
                        "--models",
                        "convnext-t",
                        "--sizes",
                        "32",
                        "--timeout-s",
                        "0.3",
                        "--format",
                        "json");
        JsonNode timeout = new ObjectMapper().readTree(slow.out).get(0);
        assertEquals("DNF", timeout.get("status").asText());
        assertTrue(timeout.get("reason").asText().startsWith("timeout"), timeout.toString());
    }

    @Test
    void badArgumentsAreNamed() {
        CliRunner unknown = CliRunner.run("bench", "latency", "--models", "convnext-tt");
        assertEquals(2, unknown.exitCode);
        assertTrue(
                unknown.err.contains("unknown model 'convnext-tt'; closest: convnext-t"),
                unknown.err);
        CliRunner memory =
                CliRunner.run("bench", "latency", "--models", "convnext-t", "--max-memory", "lots");
        assertEquals(2, memory.exitCode);
        assertTrue(memory.err.contains("--max-memory must be a positive size"), memory.err);
        assertEquals(16L << 30, LatencyBenchmark.parseBytes("16g"));
        assertEquals(512L << 20, LatencyBenchmark.parseBytes("512M"));
    }
}
