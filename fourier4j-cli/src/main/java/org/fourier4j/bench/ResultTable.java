package org.fourier4j.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Rows of named values, printed as an aligned table, JSON (an array of objects with exactly the
 * row's keys, in order) or CSV.
 */
public final class ResultTable {

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final List<Map<String, Object>> rows = new ArrayList<>();

    /**
     * Adds a row; keys keep their insertion order.
     *
     * @param row the values by column
     */
    public void add(Map<String, Object> row) {
        rows.add(new LinkedHashMap<>(row));
    }

    /**
     * @return the rows
     */
    public List<Map<String, Object>> rows() {
        return rows;
    }

    /**
     * Renders the rows.
     *
     * @param format table, json or csv
     * @return the text, ending with a newline
     */
    public String render(OutputFormat format) {
        switch (format) {
            case JSON:
                try {
                    return JSON.writeValueAsString(rows) + System.lineSeparator();
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException("cannot write results as JSON", e);
                }
            case CSV:
                return csv();
            default:
                return table();
        }
    }

    private List<String> columns() {
        List<String> cols = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            for (String k : r.keySet()) {
                if (!cols.contains(k)) {
                    cols.add(k);
                }
            }
        }
        return cols;
    }

    private String csv() {
        List<String> cols = columns();
        StringBuilder sb = new StringBuilder(String.join(",", cols)).append('\n');
        for (Map<String, Object> r : rows) {
            List<String> cells = new ArrayList<>();
            for (String c : cols) {
                String v = text(r.get(c));
                cells.add(
                        v.contains(",") || v.contains("\"")
                                ? '"' + v.replace("\"", "\"\"") + '"'
                                : v);
            }
            sb.append(String.join(",", cells)).append('\n');
        }
        return sb.toString();
    }

    private String table() {
        List<String> cols = columns();
        int[] width = new int[cols.size()];
        for (int i = 0; i < cols.size(); i++) {
            width[i] = cols.get(i).length();
            for (Map<String, Object> r : rows) {
                width[i] = Math.max(width[i], text(r.get(cols.get(i))).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, cols, width);
        List<String> rule = new ArrayList<>();
        for (int w : width) {
            rule.add("-".repeat(w));
        }
        line(sb, rule, width);
        for (Map<String, Object> r : rows) {
            List<String> cells = new ArrayList<>();
            for (String c : cols) {
                cells.add(text(r.get(c)));
            }
            line(sb, cells, width);
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, List<String> cells, int[] width) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                sb.append("  ");
            }
            sb.append(String.format(Locale.ROOT, "%-" + width[i] + "s", cells.get(i)));
        }
        sb.append('\n');
    }

    /**
     * Formats a cell: doubles with 2 decimals (3 below 10), null as empty.
     *
     * @param v the value
     * @return its text
     */
    static String text(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (d != 0 && Math.abs(d) < 1e-3) {
                return String.format(Locale.ROOT, "%.1e", d); // e.g. a difference of 2.4e-07
            }
            return String.format(Locale.ROOT, Math.abs(d) < 10 ? "%.3f" : "%.2f", d);
        }
        return String.valueOf(v);
    }
}
