package org.fourier4j.models.official;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fourier4j.models.NameMap;

/**
 * The official {@code state_dict} keys of a family as {@code KEYS-<family>.md} beside the fixtures
 * lists them (every case's table), for checking a name map on every key.
 */
final class OfficialKeyList {

    private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\| \\[([0-9, ]*)] \\|");

    private OfficialKeyList() {}

    /** Key to shape, in the file's order; skips the test when the fixtures are absent. */
    static Map<String, Shape> read(String family) throws IOException {
        Path file = OfficialFixture.DIR.resolve("KEYS-" + family + ".md").toAbsolutePath();
        assumeTrue(Files.isRegularFile(file), "no official key list at " + file);
        Map<String, Shape> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            Matcher m = ROW.matcher(line);
            if (m.find()) {
                String dims = m.group(2).replace(" ", "");
                long[] d =
                        dims.isEmpty()
                                ? new long[0]
                                : java.util.Arrays.stream(dims.split(","))
                                        .mapToLong(Long::parseLong)
                                        .toArray();
                out.put(m.group(1), new Shape(d));
            }
        }
        assertFalse(out.isEmpty(), "no keys in " + file);
        return out;
    }

    /**
     * Asserts that every official key survives the round trip through fourier4j's names, and that
     * no two official keys become the same fourier4j name.
     */
    static void assertRoundTrips(NameMap map, Set<String> keys) {
        Set<String> ours = new LinkedHashSet<>();
        for (String k : keys) {
            String f = map.toFourier4j(k);
            assertEquals(k, map.fromFourier4j(f), "round trip of " + k + " via " + f);
            assertFalse(!ours.add(f), "two official keys map to " + f);
        }
    }

    /** The fourier4j names and shapes of the keys that have a fourier4j parameter. */
    static Map<String, Shape> asFourier4j(NameMap map, Map<String, Shape> keys) {
        Map<String, Shape> out = new LinkedHashMap<>();
        keys.forEach(
                (k, s) -> {
                    if (!map.isSkipped(k)) {
                        out.put(map.toFourier4j(k), s);
                    }
                });
        return out;
    }
}
