package org.fourier4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AutotuneCommandTest {

    private static final String SHAPE =
            "conv2d n1 cin128 cout128 g128 in56x56 k31x31 s1x1 d1x1 pl15x15 pr15x15 zeros bias"
                    + " float32";

    @TempDir Path home;

    private String previousHome;

    @BeforeEach
    void useTemporaryHome() {
        previousHome = System.getProperty("fourier4j.home");
        System.setProperty("fourier4j.home", home.toString());
    }

    @AfterEach
    void restoreHome() {
        if (previousHome == null) {
            System.clearProperty("fourier4j.home");
        } else {
            System.setProperty("fourier4j.home", previousHome);
        }
    }

    private Path file() {
        return home.resolve("conv-autotune.properties");
    }

    /** Writes a cache with a current decision, a calibration, a point and a stale decision. */
    private void writeCache() throws Exception {
        CliRunner empty = CliRunner.run("autotune", "--format", "json");
        assertEquals(0, empty.exitCode, empty.err);
        JsonNode p = new ObjectMapper().readTree(empty.out).get("this_process");
        String stamp =
                ";fourier4j="
                        + p.get("fourier4j").asText()
                        + ";engine="
                        + p.get("engine").asText()
                        + ";cpu="
                        + p.get("cpu").asText()
                        + ";host=box;taken=2026-01-02T03:04:05Z";
        List<String> lines = new ArrayList<>();
        lines.add("format=fourier4j-conv-autotune/2");
        lines.add(
                ("decision." + SHAPE + " t2 infer").replace(" ", "\\ ")
                        + "=choice=FFT;source=MEASURED;direct_ms=193.1;fft_ms=3.74;pred_direct_ms=20"
                        + ";pred_fft_ms=4;ref_ms=3.74;rounds=9;sessions=1;contradicted=false;verified=false;redecisions=1;reason=first"
                        + " call"
                        + stamp);
        lines.add(
                "decision.old\\ shape\\ t2\\ infer=choice=DIRECT;source=MODEL;fourier4j=0.0.1"
                        + ";engine=PyTorch 1.0;cpu=old x1;host=x;taken=2020-01-01T00:00:00Z");
        lines.add("model.float32\\ t2=rates=1e+07|6e+07|1e+06|2e+06|0.05" + stamp);
        lines.add(
                ("point." + SHAPE + " t2 infer").replace(" ", "\\ ")
                        + "=model=float32 t2;family=conv2d depthwise infer;extent=31"
                        + ";direct_ratio=9.6;fft_ratio=0.9"
                        + stamp);
        Files.write(file(), lines, StandardCharsets.ISO_8859_1);
    }

    @Test
    void showListsDecisionsWithTheirTimingsAndVersions() throws Exception {
        writeCache();
        CliRunner table = CliRunner.run("autotune", "--show");
        assertEquals(0, table.exitCode, table.err);
        assertTrue(table.out.contains("decisions: 1"), table.out);
        String row =
                table.out.lines().filter(l -> l.startsWith(SHAPE)).findFirst().orElse("missing");
        for (String cell : new String[] {"infer", "fft", "measured", "193.100", "3.740", "box"}) {
            assertTrue(row.contains(cell), cell + " not in " + row);
        }
        assertTrue(table.out.contains("calibrations"), table.out);
        assertTrue(table.out.contains("validation points (where the model may decide alone): 1"));
        assertTrue(table.out.contains("entries of other versions or processors (ignored): 1"));
        assertTrue(table.out.contains("0.0.1"), table.out);

        CliRunner json = CliRunner.run("autotune", "--show", "--format", "json");
        assertEquals(0, json.exitCode, json.err);
        JsonNode doc = new ObjectMapper().readTree(json.out);
        JsonNode d = doc.get("decisions");
        assertEquals(2, d.size());
        JsonNode current = d.get(0);
        assertEquals(SHAPE, current.get("shape").asText());
        assertEquals("2", current.get("threads").asText());
        assertEquals("infer", current.get("mode").asText());
        assertEquals("FFT", current.get("choice").asText());
        assertEquals("193.1", current.get("direct_ms").asText());
        assertEquals("1", current.get("redecisions").asText());
        assertTrue(current.get("current").asBoolean());
        assertFalse(d.get(1).get("current").asBoolean());
        assertEquals(1, doc.get("calibrations").size());
        assertEquals(1, doc.get("validation_points").size());
    }

    @Test
    void clearForgetsDecisionsAndClearCalibrationTheModel() throws Exception {
        writeCache();
        CliRunner clear = CliRunner.run("autotune", "--clear");
        assertEquals(0, clear.exitCode, clear.err);
        assertTrue(clear.err.contains("forgot 2 decision entries"), clear.err);
        JsonNode doc =
                new ObjectMapper().readTree(CliRunner.run("autotune", "--format", "json").out);
        assertEquals(0, doc.get("decisions").size(), "the stale one is dropped too");
        assertEquals(0, doc.get("validation_points").size());
        assertEquals(1, doc.get("calibrations").size());

        CliRunner both = CliRunner.run("autotune", "--clear-calibration", "--show");
        assertEquals(0, both.exitCode, both.err);
        assertTrue(both.out.contains("decisions: 0"), both.out);
        assertTrue(
                new String(Files.readAllBytes(file()), StandardCharsets.ISO_8859_1)
                        .contains("format=fourier4j-conv-autotune/2"));
    }

    @Test
    void aCorruptFileIsReportedAndClearRebuildsIt() throws Exception {
        Files.writeString(file(), "x=\\u12", StandardCharsets.ISO_8859_1);
        CliRunner show = CliRunner.run("autotune");
        assertEquals(0, show.exitCode, show.err);
        assertTrue(show.out.contains("ignored (rebuilt at the next write): unreadable"), show.out);
        assertEquals(0, CliRunner.run("autotune", "--clear").exitCode);
        assertFalse(CliRunner.run("autotune").out.contains("ignored"));
    }

    @Test
    void badOptionsExitWithTwo() {
        CliRunner r = CliRunner.run("autotune", "--format", "csv");
        assertEquals(2, r.exitCode);
        assertTrue(r.err.contains("unknown format 'csv': use table or json"), r.err);
        assertEquals(2, CliRunner.run("autotune", "--frobnicate").exitCode);
    }

    @Test
    void loadGeneratorOptionsAreChecked() {
        CliRunner conv = CliRunner.run("bench", "conv", "--background-load", "300");
        assertEquals(2, conv.exitCode);
        assertTrue(
                conv.err.contains(
                        "--background-load must be BUSY_MS,IDLE_MS with BUSY_MS > 0 and IDLE_MS"
                                + " >= 0, got '300'"),
                conv.err);
        assertEquals(2, CliRunner.run("bench", "conv", "--background-load", "0,200").exitCode);
        assertEquals(2, CliRunner.run("bench", "conv", "--background-load", "a,b").exitCode);
        CliRunner load = CliRunner.run("bench", "load", "--idle-ms", "-1");
        assertEquals(2, load.exitCode);
        assertTrue(load.err.contains("--idle-ms must be non-negative, got -1.0"), load.err);
        CliRunner quick =
                CliRunner.run(
                        "bench", "load", "--busy-ms", "5", "--idle-ms", "5", "--seconds", "0.1");
        assertEquals(0, quick.exitCode, quick.err);
    }
}
