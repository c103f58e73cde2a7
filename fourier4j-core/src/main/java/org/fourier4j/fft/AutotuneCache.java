package org.fourier4j.fft;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The AUTO tuner's disk cache as a user sees it ({@code fourier4j autotune}): its records with the
 * timings and versions behind them, and ways to forget them. Clearing holds the cache's lock and
 * merges, so a process deciding at the same time keeps its own new entries.
 */
public final class AutotuneCache {

    /** A stored entry. */
    public static final class Record {
        private final String kind;
        private final String key;
        private final Map<String, String> fields;
        private final boolean current;

        Record(String kind, String key, Map<String, String> fields, boolean current) {
            this.kind = kind;
            this.key = key;
            this.fields = Collections.unmodifiableMap(fields);
            this.current = current;
        }

        /**
         * @return "decision", "model" (a calibration) or "point" (a validation point)
         */
        public String kind() {
            return kind;
        }

        /**
         * @return the key: a call shape with its thread count and mode, or a data type and thread
         *     count for a calibration
         */
        public String key() {
            return key;
        }

        /**
         * @return the record's fields in stored order (timings in ms, versions, host, time)
         */
        public Map<String, String> fields() {
            return fields;
        }

        /**
         * @return whether it was taken with this fourier4j version, engine and processor (only
         *     those are used)
         */
        public boolean current() {
            return current;
        }
    }

    private final AutotuneStore store;

    private AutotuneCache(AutotuneStore store) {
        this.store = store;
    }

    /**
     * Opens the default cache ({@code ~/.fourier4j/conv-autotune.properties}, or under {@code
     * -Dfourier4j.home} / {@code FOURIER4J_HOME}); starts the engine to read its version.
     *
     * @return the cache
     */
    public static AutotuneCache openDefault() {
        return open(AutotuneStore.defaultFile());
    }

    /**
     * Opens a cache file.
     *
     * @param file the file (need not exist)
     * @return the cache
     */
    public static AutotuneCache open(Path file) {
        return new AutotuneCache(new AutotuneStore(file, AutotuneStamp.current()));
    }

    /**
     * @return the file
     */
    public Path file() {
        return store.file();
    }

    /**
     * @return the running process's versions and processor, which entries must match
     */
    public String stamp() {
        return store.stamp().toString();
    }

    /**
     * @return the running process's stamp as the fields an entry must carry to be used ({@code
     *     fourier4j}, {@code engine}, {@code cpu})
     */
    public Map<String, String> stampFields() {
        Map<String, String> f = new java.util.LinkedHashMap<>();
        f.put(AutotuneStamp.FOURIER4J, store.stamp().fourier4j);
        f.put(AutotuneStamp.ENGINE, store.stamp().engine);
        f.put(AutotuneStamp.CPU, store.stamp().cpu);
        return f;
    }

    /**
     * @return why the whole file is ignored (unreadable, foreign, another format), or null
     */
    public String problem() {
        return store.read().problem;
    }

    /**
     * Lists the entries, current ones and those of other versions.
     *
     * @return the records, decisions first
     */
    public List<Record> records() {
        AutotuneStore.Contents c = store.read();
        List<Record> out = new ArrayList<>();
        for (String kind : new String[] {"decision", "model", "point"}) {
            add(out, kind, c.current, true);
            add(out, kind, c.stale, false);
        }
        return out;
    }

    private static void add(
            List<Record> out, String kind, Map<String, String> entries, boolean current) {
        String prefix = kind + ".";
        for (Map.Entry<String, String> e : entries.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                Map<String, String> f = AutotuneStore.fields(e.getValue());
                out.add(new Record(kind, e.getKey().substring(prefix.length()), f, current));
            }
        }
    }

    /**
     * Forgets every decision and the validation points measured with them; entries of other
     * versions and a foreign or corrupt file go too.
     *
     * @return the number of current entries removed
     * @throws IllegalStateException if the file could not be written
     */
    public int clearDecisions() {
        return clear(ConvAutoTuner.DECISION, ConvAutoTuner.POINT);
    }

    /**
     * Forgets the cost model's calibrations and its validation points (the next process calibrates
     * again).
     *
     * @return the number of current entries removed
     * @throws IllegalStateException if the file could not be written
     */
    public int clearCalibration() {
        return clear(ConvAutoTuner.MODEL, ConvAutoTuner.POINT);
    }

    private int clear(String... prefixes) {
        int[] removed = {0};
        boolean written =
                store.update(
                        m ->
                                m.keySet()
                                        .removeIf(
                                                k -> {
                                                    for (String p : prefixes) {
                                                        if (k.startsWith(p)) {
                                                            removed[0]++;
                                                            return true;
                                                        }
                                                    }
                                                    return false;
                                                }));
        if (!written) {
            throw new IllegalStateException(
                    "could not write "
                            + store.file()
                            + (store.warnings().isEmpty() ? "" : ": " + store.warnings()));
        }
        return removed[0];
    }
}
