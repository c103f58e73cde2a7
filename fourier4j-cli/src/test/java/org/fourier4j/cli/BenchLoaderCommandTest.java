package org.fourier4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class BenchLoaderCommandTest {

    @Test
    void timesTheConfiguredPipelinePerWorkerCount() throws Exception {
        CliRunner r =
                CliRunner.run(
                        "bench",
                        "loader",
                        "--workers",
                        "0,2",
                        "--batches",
                        "3",
                        "-o",
                        "batch_size=32",
                        "-o",
                        "randaugment_ops=0",
                        "--format",
                        "json");
        assertEquals(0, r.exitCode, r.err);
        JsonNode rows = new ObjectMapper().readTree(r.out);
        assertEquals(2, rows.size(), r.out);
        assertEquals(0, rows.get(0).get("workers").asInt());
        assertEquals(2, rows.get(1).get("workers").asInt());
        for (JsonNode row : rows) {
            assertEquals(32, row.get("batch_size").asInt(), row.toString());
            assertEquals(3, row.get("batches").asInt(), row.toString());
            assertTrue(row.get("images_per_s").asDouble() > 0, row.toString());
            String aug = row.get("augmentation").asText();
            assertTrue(!aug.contains("RandAugment"), "randaugment_ops=0 must reach it: " + aug);
        }
        assertTrue(r.err.contains("4000 images"), "the bundled sample by default: " + r.err);
    }

    @Test
    void badOptionsNameTheOptionAndValue() throws Exception {
        CliRunner workers = CliRunner.run("bench", "loader", "--workers", "1,-1");
        assertEquals(2, workers.exitCode);
        assertTrue(workers.err.contains("--workers must not be negative, got -1"), workers.err);

        CliRunner batches = CliRunner.run("bench", "loader", "--batches", "0");
        assertEquals(2, batches.exitCode);
        assertTrue(batches.err.contains("--batches must be at least 1, got 0"), batches.err);

        CliRunner key = CliRunner.run("bench", "loader", "-o", "no_such_key=1");
        assertEquals(2, key.exitCode);
        assertTrue(key.err.contains("no_such_key"), key.err);

        CliRunner data = CliRunner.run("bench", "loader", "--data", "/no/such/dir");
        assertEquals(2, data.exitCode);
        assertTrue(data.err.contains("/no/such/dir"), data.err);
    }
}
