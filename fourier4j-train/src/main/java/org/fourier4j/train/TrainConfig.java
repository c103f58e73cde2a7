package org.fourier4j.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.fourier4j.models.ModelInfo;
import org.fourier4j.models.ModelOptions;
import org.fourier4j.models.ModelZoo;

/**
 * The configuration of a training run, in typed sections: defaults, overlaid by a JSON or YAML
 * file, overlaid by command-line values; immutable. The user-facing format is flat: each component
 * of a section record is a key in snake case, documented and bounded by its {@link Setting}, bound
 * by Jackson ({@code @JsonAlias} for other spellings). An unknown key, a wrong type or an
 * out-of-range value is a {@link ConfigException} naming the key, the value and where it came from;
 * rules that tie keys together are checked by {@link #validate()}.
 *
 * <p>The seed project's {@code config.json} is accepted as it is: its keys {@code embed_dim,
 * dim_feedforward, patch_size, img_size, in_chans, num_layers, dropout_rate, epochs, lr,
 * num_workers, num_classes, batch_size, dataset_path, save_dir} are keys here, and its misspelt
 * {@code drouput_rate} is read as {@code dropout_rate}. Besides the keys of the sections, any
 * override key of a zoo model ({@code depths}, {@code dims}, ...) may be given; it goes to the zoo
 * unchanged ({@link #modelOverrides()}), and the zoo refuses one the chosen model does not take.
 *
 * @param model the model keys
 * @param data the data keys
 * @param augmentation the augmentation keys
 * @param optimisation the optimiser and schedule keys
 * @param run length, seed, output and progress keys
 * @param modelOverrides other override keys of the model, as given (strings from the command line)
 */
public record TrainConfig(
        ModelSection model,
        DataSection data,
        AugmentationSection augmentation,
        OptimisationSection optimisation,
        RunSection run,
        Map<String, Object> modelOverrides) {

    /** The largest configuration file read (a configuration is a few hundred bytes). */
    public static final long MAX_FILE_BYTES = ConfigFiles.MAX_FILE_BYTES;

    /** The last key of the model section: the other model overrides follow it in config.json. */
    private static final String LAST_MODEL_KEY =
            ConfigKeys.KEYS.values().stream()
                    .filter(k -> k.section() == ModelSection.class)
                    .reduce((a, b) -> b)
                    .orElseThrow()
                    .name();

    private static final TrainConfig DEFAULTS =
            new TrainConfig(
                    ModelSection.DEFAULTS,
                    DataSection.DEFAULTS,
                    AugmentationSection.DEFAULTS,
                    OptimisationSection.DEFAULTS,
                    RunSection.DEFAULTS,
                    Map.of());

    /**
     * Checks every value against the bounds of its {@link Setting}.
     *
     * @throws ConfigException naming the key and the value
     */
    public TrainConfig {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(augmentation, "augmentation");
        Objects.requireNonNull(optimisation, "optimisation");
        Objects.requireNonNull(run, "run");
        for (Record section : List.of(model, data, augmentation, optimisation, run)) {
            ConfigKeys.checkBounds(section);
        }
        modelOverrides = Collections.unmodifiableMap(new LinkedHashMap<>(modelOverrides));
    }

    /**
     * @return the defaults
     */
    public static TrainConfig defaults() {
        return DEFAULTS;
    }

    /**
     * Defaults overlaid by a file.
     *
     * @param file {@code .json}, {@code .yaml} or {@code .yml}
     * @return the configuration
     * @throws ConfigException if the file is missing, malformed or has bad keys or values
     */
    public static TrainConfig load(Path file) {
        return defaults().with(readFile(file), "in " + file);
    }

    /**
     * A new run's configuration: the defaults, then the chosen zoo model's training recipe ({@link
     * ModelInfo#trainingRecipe()}: the settings measured best for it, e.g. fit-tiny's learning
     * rate), then the file's values, then the command line's, each overriding the ones before.
     *
     * @param file a {@code .json}, {@code .yaml} or {@code .yml} file, or null
     * @param flags command-line values by key, as text ({@link #override})
     * @return the configuration (not yet {@link #validate() validated})
     * @throws ConfigException on an unknown key or a bad value, naming where it came from
     */
    public static TrainConfig resolve(Path file, Map<String, String> flags) {
        Map<String, Object> fromFile = file == null ? Map.of() : readFile(file);
        Object model = flags.containsKey("model") ? flags.get("model") : fromFile.get("model");
        TrainConfig c = defaults();
        if (model instanceof String name && ModelZoo.names().contains(name)) {
            Map<String, Object> recipe = ModelZoo.info(name).trainingRecipe();
            if (!recipe.isEmpty()) {
                c = c.with(recipe, "in the training recipe of " + name);
            }
        }
        if (file != null) {
            c = c.with(fromFile, "in " + file);
        }
        for (Map.Entry<String, String> e : flags.entrySet()) {
            c = c.override(e.getKey(), e.getValue());
        }
        return c;
    }

    /**
     * Reads a configuration file into a map (no validation). Files over {@link #MAX_FILE_BYTES},
     * YAML with more than 20 aliases to collections or nesting deeper than 20 are refused.
     *
     * @param file {@code .json}, {@code .yaml} or {@code .yml}
     * @return the top-level mapping
     * @throws ConfigException naming the file
     */
    public static Map<String, Object> readFile(Path file) {
        return ConfigFiles.read(file);
    }

    /**
     * @return every key of the sections, in documentation order
     */
    public static List<String> keys() {
        return List.copyOf(ConfigKeys.KEYS.keySet());
    }

    /**
     * The key a spelling stands for.
     *
     * @param key a key or one of its aliases ({@code drouput_rate})
     * @return the key
     */
    public static String canonical(String key) {
        return ConfigKeys.ALIASES.getOrDefault(key, key);
    }

    /**
     * @return the keys whose value may change when a run is resumed; any other change is refused
     */
    public static Set<String> resumableKeys() {
        Set<String> out = new TreeSet<>();
        for (ConfigKeys.Key k : ConfigKeys.KEYS.values()) {
            if (k.setting().resumable()) {
                out.add(k.name());
            }
        }
        return out;
    }

    /**
     * This configuration overlaid with values (from a file or a saved run). A null value restores
     * the key's default.
     *
     * @param values key to value (JSON/YAML types: numbers, strings, booleans, lists)
     * @param origin where they came from, for messages ("in config.yaml")
     * @return the new configuration
     * @throws ConfigException on an unknown key or a bad value
     */
    public TrainConfig with(Map<String, ?> values, String origin) {
        return ConfigOverlay.apply(this, values, origin, false);
    }

    /**
     * This configuration with one value given as text (a command-line flag): numbers, {@code
     * true/false}, lists as {@code a,b} or {@code [a, b]}, {@code null} for the default.
     *
     * @param key the key
     * @param text the value
     * @return the new configuration
     * @throws ConfigException on an unknown key or a bad value
     */
    public TrainConfig override(String key, String text) {
        Map<String, String> m = new HashMap<>();
        m.put(key, text);
        return ConfigOverlay.apply(this, m, "on the command line", true);
    }

    /**
     * Checks the rules that tie keys together, and for a zoo model that it takes every model key
     * that is set. Call it once the configuration is complete.
     *
     * @return this configuration
     * @throws ConfigException naming the keys and values that do not go together
     */
    public TrainConfig validate() {
        List<Double> mean = data.normalizeMean();
        List<Double> std = data.normalizeStd();
        if ((mean == null) != (std == null)) {
            throw new ConfigException(
                    "normalize_mean and normalize_std must be set together, got "
                            + show(mean)
                            + " and "
                            + show(std));
        }
        if (mean != null && (mean.size() != model.inChans() || std.size() != model.inChans())) {
            throw new ConfigException(
                    "normalize_mean and normalize_std need "
                            + model.inChans()
                            + " values (in_chans, one per channel), got "
                            + show(mean)
                            + " and "
                            + show(std));
        }
        if (optimisation.schedule() == OptimisationSection.Schedule.COSINE
                && optimisation.warmupEpochs() >= run.epochs()) {
            throw new ConfigException(
                    "warmup_epochs "
                            + optimisation.warmupEpochs()
                            + " must be shorter than the run (epochs "
                            + run.epochs()
                            + ")");
        }
        if (model.isZooModel()) {
            model.zooOverrides(modelOverrides);
        } else if (!modelOverrides.isEmpty()) {
            throw new ConfigException(
                    "model override keys "
                            + modelOverrides.keySet()
                            + " need a zoo model, but the model is "
                            + show(model.model()));
        }
        return this;
    }

    /**
     * @return the configured model name, or null
     */
    public String modelName() {
        return model.model();
    }

    /**
     * What the zoo is asked to build ({@link ModelSection#zooOptions}).
     *
     * @return the model's options with every override
     * @throws ConfigException as {@link ModelSection#zooOptions} does
     */
    public ModelOptions modelOptions() {
        return model.zooOptions(modelOverrides);
    }

    /**
     * The model keys that are set, for display.
     *
     * @return key to value
     */
    public Map<String, Object> modelKeysSet() {
        Map<String, Object> out = new LinkedHashMap<>();
        toMap().forEach(
                        (k, v) -> {
                            ConfigKeys.Key key = ConfigKeys.KEYS.get(k);
                            boolean modelKey = key == null || key.section() == ModelSection.class;
                            if (modelKey && v != null) {
                                out.put(k, v);
                            }
                        });
        return out;
    }

    /**
     * The resolved configuration as plain JSON values: every key of the sections in documentation
     * order (unset ones as null), the other model overrides after the model keys.
     *
     * @return key to value
     */
    public Map<String, Object> toMap() {
        Map<String, Object> typed = ConfigOverlay.typedValues(this);
        Map<String, Object> out = new LinkedHashMap<>();
        for (ConfigKeys.Key k : ConfigKeys.KEYS.values()) {
            out.put(k.name(), typed.get(k.name()));
            if (k.name().equals(LAST_MODEL_KEY)) {
                out.putAll(modelOverrides);
            }
        }
        return out;
    }

    /**
     * @return the resolved configuration as indented JSON
     */
    public String toJson() {
        return ConfigOverlay.json(toMap());
    }

    /**
     * The keys whose values differ from another configuration.
     *
     * @param other another configuration
     * @return differing keys in {@link #toMap()} order
     */
    public List<String> differences(TrainConfig other) {
        Map<String, Object> mine = toMap();
        Map<String, Object> theirs = other.toMap();
        Set<String> all = new java.util.LinkedHashSet<>(mine.keySet());
        all.addAll(theirs.keySet());
        List<String> diff = new ArrayList<>();
        for (String k : all) {
            if (!Objects.equals(mine.get(k), theirs.get(k))) {
                diff.add(k);
            }
        }
        return diff;
    }

    /**
     * A Markdown table of every key of the sections (for {@code docs/configuration.md}).
     *
     * @return the table
     */
    public static String markdownTable() {
        Map<String, Object> defaults = DEFAULTS.toMap();
        StringBuilder sb = new StringBuilder("| key | default | meaning |\n| --- | --- | --- |\n");
        for (ConfigKeys.Key k : ConfigKeys.KEYS.values()) {
            Object def = defaults.get(k.name());
            sb.append("| `")
                    .append(k.name())
                    .append("` | ")
                    .append(def == null ? "(unset)" : "`" + show(def) + "`")
                    .append(" | ")
                    .append(k.setting().value())
                    .append(" |\n");
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return toJson();
    }

    /** How a value is shown in messages: text quoted, lists and numbers as they read. */
    static String show(Object v) {
        if (v instanceof String s) {
            return "'" + s + "'";
        }
        if (v instanceof Enum<?> e) {
            return "'" + e.name().toLowerCase(Locale.ROOT) + "'";
        }
        if (v instanceof HeightWidth hw) {
            return hw.toList().toString();
        }
        if (v instanceof ValSplit s) {
            return "'" + s + "'";
        }
        return String.valueOf(v);
    }
}
