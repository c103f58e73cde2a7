package org.fourier4j.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import org.fourier4j.models.ModelInfo;
import org.fourier4j.models.ModelOptions;
import org.fourier4j.models.ModelZoo;

/**
 * A zoo model name with zoo overrides, written {@code name:key=value:key=value} (e.g. {@code
 * vit-tiny-p4:num_layers=6} or {@code replknet-31b:large_kernel_algorithm=direct}): one benchmark
 * row per spec, so variants of one model are timed side by side in one run.
 *
 * @param text the spec as written (the row's label)
 * @param name the zoo name
 * @param overrides zoo override values as text, in the order written
 */
public record ModelSpec(String text, String name, Map<String, String> overrides) {

    /**
     * Checks every spec given to a command-line option before anything is measured.
     *
     * @param option the option, for messages (e.g. {@code --models})
     * @param specs the specs
     * @throws IllegalArgumentException naming the option and the bad spec
     */
    public static void checkAll(String option, java.util.List<String> specs) {
        for (String spec : specs) {
            try {
                parse(spec); // unknown names fail here, listing the closest ones
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Parses and checks a spec: the name must be in the zoo and every key among the overrides the
     * model takes.
     *
     * @param text {@code name[:key=value]...}
     * @return the spec
     * @throws IllegalArgumentException naming the spec and the bad part (an unknown name lists the
     *     closest names)
     */
    public static ModelSpec parse(String text) {
        String[] parts = text.trim().split(":");
        String name = parts[0];
        ModelInfo info = ModelZoo.info(name); // unknown names fail here, listing the closest ones
        Map<String, String> overrides = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq <= 0 || eq == parts[i].length() - 1) {
                throw new IllegalArgumentException(
                        "model '"
                                + text
                                + "': '"
                                + parts[i]
                                + "' is not key=value (write name:key=value:key=value)");
            }
            String key = parts[i].substring(0, eq).trim();
            if (!info.overrideKeys().contains(key)) {
                throw new IllegalArgumentException(
                        "model '"
                                + text
                                + "': "
                                + name
                                + " takes no override '"
                                + key
                                + "' (it takes: "
                                + String.join(", ", new TreeSet<>(info.overrideKeys()))
                                + ")");
            }
            overrides.put(key, parts[i].substring(eq + 1).trim());
        }
        return new ModelSpec(text.trim(), name, Collections.unmodifiableMap(overrides));
    }

    /**
     * Adds this spec's overrides to model options.
     *
     * @param options the builder
     * @return the same builder
     */
    public ModelOptions.Builder applyTo(ModelOptions.Builder options) {
        overrides.forEach(options::override);
        return options;
    }
}
