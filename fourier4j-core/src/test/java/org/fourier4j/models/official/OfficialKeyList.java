package org.fourier4j.models.official;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The official state_dict keys of each case listed in {@code KEYS-<family>.md}. */
final class OfficialKeyList {

    private static final Pattern SECTION = Pattern.compile("^## `([^`]+)`");
    private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\|");

    private OfficialKeyList() {}

    /** Case name to its keys, in the file's order; skips the test when the fixtures are absent. */
    static Map<String, List<String>> read(String family) throws IOException {
        Path file =
                OfficialFixture.DIR.toAbsolutePath().normalize().resolve("KEYS-" + family + ".md");
        assumeTrue(Files.isRegularFile(file), "no " + file);
        Map<String, List<String>> out = new LinkedHashMap<>();
        List<String> current = null;
        for (String line : Files.readAllLines(file)) {
            Matcher s = SECTION.matcher(line);
            Matcher r = ROW.matcher(line);
            if (s.find()) {
                current = new ArrayList<>();
                out.put(s.group(1), current);
            } else if (current != null && r.find()) {
                current.add(r.group(1));
            }
        }
        return out;
    }
}
