package org.fourier4j.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Small text helpers shared by the training commands' reports. */
final class Text {

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Text() {}

    /**
     * Aligned {@code name value} lines.
     *
     * @param rows name to value (null values are skipped)
     * @return the lines, each ending with a newline
     */
    static String pairs(Map<String, ?> rows) {
        int w = 0;
        for (String k : rows.keySet()) {
            w = Math.max(w, k.length());
        }
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, ?> e : rows.entrySet()) {
            if (e.getValue() != null) {
                sb.append(
                        String.format(Locale.ROOT, "%-" + w + "s  %s%n", e.getKey(), e.getValue()));
            }
        }
        return sb.toString();
    }

    /**
     * Columns padded to their widest cell, two spaces apart; columns of numbers right-aligned,
     * others left-aligned.
     *
     * @param rows the cells, the first row being the header
     * @return the table
     */
    static String table(List<List<String>> rows) {
        int cols = 0;
        for (List<String> r : rows) {
            cols = Math.max(cols, r.size());
        }
        int[] w = new int[cols];
        for (List<String> r : rows) {
            for (int i = 0; i < r.size(); i++) {
                w[i] = Math.max(w[i], r.get(i).length());
            }
        }
        boolean[] numeric = new boolean[cols];
        for (int i = 0; i < cols; i++) {
            numeric[i] = rows.size() > 1;
            for (List<String> r : rows.subList(1, rows.size())) {
                if (i < r.size() && !r.get(i).matches("-?[0-9][0-9.eE+-]*|n/a|-")) {
                    numeric[i] = false;
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        for (List<String> r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.size(); i++) {
                if (i > 0) {
                    line.append("  ");
                }
                String f = numeric[i] ? "%" + w[i] + "s" : "%-" + w[i] + "s";
                line.append(String.format(Locale.ROOT, f, r.get(i)));
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    /**
     * @param v a number
     * @return it with 4 decimals, or "n/a" for NaN
     */
    static String num(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
    }

    /**
     * @param v a value tree of maps, lists, numbers and strings
     * @return indented JSON with a final newline
     */
    static String json(Object v) {
        try {
            return JSON.writeValueAsString(v) + System.lineSeparator();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
