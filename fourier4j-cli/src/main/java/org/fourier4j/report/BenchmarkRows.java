package org.fourier4j.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The saved JSON of one benchmark ({@code bench conv|mixers|latency --format json}): an array of
 * objects, one per row, with the command's columns as keys. Values are numbers or text ({@code
 * "DNF"}, a reason).
 */
public final class BenchmarkRows {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String source;
    private final String name;
    private final List<Map<String, Object>> rows;

    private BenchmarkRows(String source, String name, List<Map<String, Object>> rows) {
        this.source = source;
        this.name = name;
        this.rows = Collections.unmodifiableList(rows);
    }

    /**
     * Rows measured in this process.
     *
     * @param source where they come from, shown on the page
     * @param name a short name (file names of plots, ids of tables)
     * @param rows the rows
     * @return the rows
     */
    public static BenchmarkRows of(String source, String name, List<Map<String, Object>> rows) {
        List<Map<String, Object>> copy = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            copy.add(new LinkedHashMap<>(r));
        }
        return new BenchmarkRows(source, name, copy);
    }

    /**
     * Reads a saved benchmark, checking that every row has the keys the report uses.
     *
     * @param option the option that named the file, for messages (e.g. {@code --latency})
     * @param file the JSON file
     * @param required keys every row must have
     * @return the rows
     * @throws IllegalArgumentException naming the option, the file and what is wrong
     */
    public static BenchmarkRows read(String option, Path file, List<String> required) {
        String where = option + " " + file;
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(where + ": no such file");
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    where + ": not JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new IllegalArgumentException(where + ": cannot read (" + e.getMessage() + ")");
        }
        if (root == null || !root.isArray() || root.isEmpty()) {
            throw new IllegalArgumentException(
                    where
                            + ": expected a non-empty JSON array of rows, as written by"
                            + " --format json");
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode node = root.get(i);
            if (!node.isObject()) {
                throw new IllegalArgumentException(
                        where + ": row " + (i + 1) + " is not an object");
            }
            for (String key : required) {
                if (!node.has(key)) {
                    throw new IllegalArgumentException(
                            where
                                    + ": row "
                                    + (i + 1)
                                    + " has no '"
                                    + key
                                    + "' (is this the output of the right benchmark?)");
                }
            }
            Map<String, Object> row = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                JsonNode v = f.getValue();
                row.put(
                        f.getKey(),
                        v.isNull() ? null : v.isNumber() ? (Object) v.doubleValue() : v.asText());
            }
            rows.add(row);
        }
        String stem = file.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        return new BenchmarkRows(file.toString(), stem, rows);
    }

    /**
     * @return where the rows come from
     */
    public String source() {
        return source;
    }

    /**
     * @return a short name: the file's name without its extension, or the given one
     */
    public String name() {
        return name;
    }

    /**
     * @return the rows, keys in their saved order
     */
    public List<Map<String, Object>> rows() {
        return rows;
    }

    /**
     * A row's value as a number.
     *
     * @param row a row
     * @param key a column
     * @return the number, or NaN when missing or text (such as DNF)
     */
    public static double number(Map<String, Object> row, String key) {
        Object v = row.get(key);
        return v instanceof Number ? ((Number) v).doubleValue() : Double.NaN;
    }

    /**
     * A row's value as text.
     *
     * @param row a row
     * @param key a column
     * @return the text ("" when missing); whole numbers without a decimal point
     */
    public static String text(Map<String, Object> row, String key) {
        Object v = row.get(key);
        if (v == null) {
            return "";
        }
        if (v instanceof Double
                && (Double) v == Math.rint((Double) v)
                && !((Double) v).isInfinite()) {
            double d = (Double) v;
            if (Math.abs(d) < 1e15) {
                return Long.toString((long) d);
            }
        }
        return v.toString();
    }
}
