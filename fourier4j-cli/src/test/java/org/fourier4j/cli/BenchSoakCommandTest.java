package org.fourier4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class BenchSoakCommandTest {

    @Test
    void aShortSoakPrintsTheMemoryCurveOfBothPhases() throws Exception {
        CliRunner r =
                CliRunner.run(
                        "bench",
                        "soak",
                        "--steps",
                        "4",
                        "--inferences",
                        "6",
                        "--samples",
                        "2",
                        "-o",
                        "embed_dim=16",
                        "-o",
                        "num_layers=1",
                        "-o",
                        "randaugment_ops=0",
                        "--max-growth",
                        "1000",
                        "--format",
                        "json");
        assertEquals(0, r.exitCode, r.err);
        JsonNode rows = new ObjectMapper().readTree(r.out);
        // a sample before each phase and every steps/samples after: train 0, 2, 4; infer 0, 3, 6
        assertEquals(6, rows.size(), r.out);
        long[] counts = {0, 2, 4, 0, 3, 6};
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(i < 3 ? "train" : "infer", rows.get(i).get("phase").asText());
            assertEquals(counts[i], rows.get(i).get("count").asLong());
            assertTrue(rows.get(i).get("rss_mb").asDouble() > 50, rows.get(i).toString());
            assertTrue(rows.get(i).get("heap_mb").asDouble() > 0, rows.get(i).toString());
        }
        assertTrue(r.err.contains("bench soak: train: resident memory "), r.err);
        assertTrue(r.err.contains("bench soak: infer: resident memory "), r.err);
    }

    @Test
    void badCountsAreUsageErrors() {
        CliRunner r = CliRunner.run("bench", "soak", "--steps", "0");
        assertEquals(2, r.exitCode);
        assertTrue(r.err.contains("--steps must be at least 1, got 0"), r.err);
    }
}
