package org.fourier4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code fourier4j bench mixers} end to end: JSON rows at tiny sizes, and exit code 2 on bad
 * options.
 */
class BenchMixersCommandTest {

    private static final String[] MIXERS = {
        "FourierMixer",
        "GlobalFilter",
        "DynamicFilter",
        "AdaptiveFrequencyFilter",
        "SpectrumMixer",
        "FfnifiedAttention",
        "AdditiveTokenMixer",
        "SgConvKernel(2d)",
        "S4dKernel(2d)",
        "MultiHeadSelfAttention"
    };

    /** Runs the command, returning {exit code, stdout, stderr}. */
    private static Object[] run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            code = Fourier4j.execute(args);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return new Object[] {
            code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)
        };
    }

    @Test
    void printsOneJsonRowPerMixerAndMode() throws Exception {
        Object[] r =
                run(
                        "bench",
                        "mixers",
                        "--tokens",
                        "16,64",
                        "--dim",
                        "8",
                        "--warmup",
                        "1",
                        "--repeats",
                        "2",
                        "--mode",
                        "both",
                        "--format",
                        "json");
        assertEquals(0, r[0], "exit code; stderr: " + r[2]);
        JsonNode rows = new ObjectMapper().readTree((String) r[1]);
        assertEquals(2 * MIXERS.length, rows.size(), "rows: " + r[1]);
        List<String> seen = new ArrayList<>();
        for (JsonNode row : rows) {
            String mixer = row.get("mixer").asText();
            String mode = row.get("mode").asText();
            seen.add(mixer + "/" + mode);
            assertTrue(mode.equals("inference") || mode.equals("training"), mode);
            for (String key : new String[] {"ms_16", "ms_64"}) {
                assertTrue(
                        row.get(key).isNumber() && row.get(key).asDouble() > 0,
                        mixer + " " + key + ": " + row);
            }
            // no counts between 1024 and 16384: no slope; attention ran at 64 tokens: a speedup
            assertTrue(
                    row.has("slope_1024_16384") && row.get("slope_1024_16384").isNull(),
                    row.toString());
            double speedup = row.get("speedup_vs_attention_64").asDouble();
            assertTrue(speedup > 0, row.toString());
            if (mixer.equals("MultiHeadSelfAttention")) {
                assertEquals(1.0, speedup, 1e-9);
            }
            assertEquals("", row.get("dnf").asText());
        }
        for (String m : MIXERS) {
            assertTrue(
                    seen.contains(m + "/inference") && seen.contains(m + "/training"),
                    m + " missing in " + seen);
        }
        assertTrue(((String) r[2]).contains("16=4x4, 64=8x8"), "grid mapping on stderr: " + r[2]);
    }

    @Test
    void quadraticAttentionIsReportedDnfWhenItWouldNotFit() throws Exception {
        Object[] r =
                run(
                        "bench",
                        "mixers",
                        "--tokens",
                        "16,64",
                        "--dim",
                        "8",
                        "--warmup",
                        "1",
                        "--repeats",
                        "1",
                        "--mixers",
                        "MultiHeadSelfAttention,GlobalFilter",
                        "--max-memory-gb",
                        "0.00001",
                        "--format",
                        "json");
        assertEquals(0, r[0], "exit code; stderr: " + r[2]);
        JsonNode rows = new ObjectMapper().readTree((String) r[1]);
        assertEquals(2, rows.size());
        assertEquals("GlobalFilter", rows.get(0).get("mixer").asText(), "table order");
        JsonNode attention = rows.get(1);
        assertEquals("MultiHeadSelfAttention", attention.get("mixer").asText());
        assertTrue(
                attention.get("ms_16").isNumber(),
                attention.toString()); // 16^2 maps (2 kB) fit in 10 kB, 64^2 (33 kB) do not
        assertEquals("DNF", attention.get("ms_64").asText());
        assertTrue(
                attention.get("dnf").asText().contains("64: attention maps"), attention.toString());
    }

    @Test
    void badOptionsExitWithCode2AndNameTheOption() {
        String[][] cases = {
            {"--tokens", "0"},
            {"--tokens", "64,16"},
            {"--tokens", "31"},
            {"--mode", "fast"},
            {"--dim", "0"},
            {"--mixers", "Nope"},
            {"--timeout-s", "-1"},
            {"--bogus"},
            {"--dim", "abc"}
        };
        for (String[] c : cases) {
            String[] args = new String[c.length + 2];
            args[0] = "bench";
            args[1] = "mixers";
            System.arraycopy(c, 0, args, 2, c.length);
            Object[] r = run(args);
            assertEquals(2, r[0], String.join(" ", c) + " -> stderr: " + r[2]);
            assertTrue(
                    ((String) r[2]).contains(c[0]),
                    String.join(" ", c) + ": message '" + r[2] + "' does not name " + c[0]);
            assertEquals("", r[1], "no results on stdout for " + String.join(" ", c));
        }
    }
}
