package org.fourier4j.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** Closest-name suggestions for misspelt model names, override keys and configuration keys. */
public final class Names {

    private Names() {}

    /**
     * The candidates closest to a misspelt name, by edit distance (ties alphabetically).
     *
     * @param name the unknown name
     * @param candidates the known names
     * @param count how many to return at most
     * @return the closest candidates, best first
     */
    public static List<String> closest(String name, Collection<String> candidates, int count) {
        String key = name == null ? "" : name.toLowerCase(Locale.ROOT);
        List<String> all = new ArrayList<>(candidates);
        all.sort(
                Comparator.comparingInt((String n) -> distance(key, n.toLowerCase(Locale.ROOT)))
                        .thenComparing(n -> n));
        return all.subList(0, Math.min(count, all.size()));
    }

    /**
     * Levenshtein distance: insertions, deletions and substitutions, each costing one.
     *
     * @param a one string
     * @param b another
     * @return the number of edits from a to b
     */
    public static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
