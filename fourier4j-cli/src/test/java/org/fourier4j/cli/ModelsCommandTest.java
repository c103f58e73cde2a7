package org.fourier4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ModelsCommandTest {

    @Test
    void listsAFamilyWithCountsBesideThePapers() throws Exception {
        CliRunner r =
                CliRunner.run(
                        "models", "--family", "ConvNeXt", "--image-size", "64", "--format", "json");
        assertEquals(0, r.exitCode, r.err);
        JsonNode rows = new ObjectMapper().readTree(r.out);
        // convnext-t, -s, -b and convnext-t-sgconv
        assertEquals(4, rows.size());
        assertEquals("convnext-t-sgconv", rows.get(3).get("model").asText());
        JsonNode tiny = rows.get(0);
        assertEquals("convnext-t", tiny.get("model").asText());
        assertEquals(28.59, tiny.get("params_m").asDouble(), 0.01);
        assertTrue(tiny.get("gflops").asDouble() > 0);
        assertEquals(28.59, tiny.get("paper_params_m").asDouble(), 0);
    }

    @Test
    void sizesAModelCannotTakeAreExplainedInTheRow() throws Exception {
        CliRunner r =
                CliRunner.run(
                        "models", "--family", "RepLKNet", "--image-size", "16", "--format", "json");
        assertEquals(0, r.exitCode, r.err);
        for (JsonNode row : new ObjectMapper().readTree(r.out)) {
            assertTrue(row.get("note").asText().contains("sizes from 32 up work"), row.toString());
        }
        CliRunner bad = CliRunner.run("models", "--family", "Nope");
        assertEquals(2, bad.exitCode);
        assertTrue(bad.err.contains("no model of family 'Nope'"), bad.err);
    }
}
