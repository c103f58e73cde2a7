package org.fourier4j.train;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The configuration of a training run: defaults, overlaid by a JSON or YAML file, overlaid by
 * command-line overrides; immutable. Every key is declared in {@link #KEYS} with its type, default
 * and range; an unknown key, a wrong type or an out-of-range value is a {@link ConfigException}
 * naming the key, the value and where it came from.
 *
 * <p>The seed project's {@code config.json} is accepted as it is: its keys {@code embed_dim,
 * dim_feedforward, patch_size, img_size, in_chans, num_layers, dropout_rate, epochs, lr,
 * num_workers, num_classes, batch_size, dataset_path, save_dir} are keys here, and its misspelt
 * {@code drouput_rate} is read as {@code dropout_rate}. Model keys (embed_dim and the like) are
 * passed to the model's builder; the engine itself only checks {@code num_classes} and {@code
 * in_chans} against the data.
 */
public final class TrainConfig {

    /** Value types. */
    public enum Type {
        /** A 32-bit integer. */
        INT,
        /** A 64-bit integer. */
        LONG,
        /** A number. */
        DOUBLE,
        /** true or false. */
        BOOL,
        /** Text. */
        STRING,
        /** One integer (square) or two {@code [height, width]}. */
        INT_PAIR,
        /** A list of numbers. */
        DOUBLE_LIST,
        /** A list of strings. */
        STRING_LIST
    }

    /**
     * One configuration key.
     *
     * @param name the key
     * @param type its type
     * @param defaultValue the default, or null for "not set / automatic"
     * @param group documentation group
     * @param doc what it means
     * @param check returns an error text for a bad value, or null
     */
    public record Key(
            String name,
            Type type,
            Object defaultValue,
            String group,
            String doc,
            Function<Object, String> check) {}

    /** Keys whose value may change when a run is resumed; any other change is refused. */
    public static final Set<String> RESUMABLE_CHANGES =
            Set.of(
                    "num_workers",
                    "prefetch",
                    "progress",
                    "checkpoint_every_steps",
                    "max_steps",
                    "dataset_path",
                    "val_path",
                    "save_dir");

    /** Every key, in documentation order. */
    public static final Map<String, Key> KEYS = new LinkedHashMap<>();

    private static final Map<String, String> ALIASES = Map.of("drouput_rate", "dropout_rate");

    private static void key(
            String name,
            Type type,
            Object def,
            String group,
            String doc,
            Function<Object, String> check) {
        KEYS.put(name, new Key(name, type, def, group, doc, check));
    }

    private static Function<Object, String> atLeast(double min) {
        return v -> ((Number) v).doubleValue() >= min ? null : "must be at least " + fmt(min);
    }

    private static Function<Object, String> positive() {
        return v -> ((Number) v).doubleValue() > 0 ? null : "must be positive";
    }

    private static Function<Object, String> unitInterval(boolean includeOne) {
        return v -> {
            double d = ((Number) v).doubleValue();
            boolean ok = d >= 0 && (includeOne ? d <= 1 : d < 1);
            return ok ? null : "must be in [0, 1" + (includeOne ? "]" : ")");
        };
    }

    private static Function<Object, String> oneOf(String... options) {
        return v ->
                List.of(options).contains(v)
                        ? null
                        : "must be one of " + String.join(", ", options);
    }

    private static Function<Object, String> pairPositive() {
        return v -> {
            int[] p = (int[]) v;
            return p[0] > 0 && p[1] > 0 ? null : "must be positive";
        };
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    static {
        String m = "model";
        key(
                "model",
                Type.STRING,
                null,
                m,
                "model name (the model zoo's name, e.g. fit-tiny)",
                null);
        key(
                "embed_dim",
                Type.INT,
                null,
                m,
                "token/channel width (model default if unset)",
                positive());
        key("dim_feedforward", Type.INT, null, m, "MLP hidden width", positive());
        key("num_layers", Type.INT, null, m, "number of blocks", positive());
        key("num_heads", Type.INT, null, m, "attention heads (attention models)", positive());
        key("patch_size", Type.INT_PAIR, null, m, "patch size, n or [h, w]", pairPositive());
        key("img_size", Type.INT_PAIR, null, m, "model input size, n or [h, w]", pairPositive());
        key("in_chans", Type.INT, 3, m, "input channels", positive());
        key(
                "num_classes",
                Type.INT,
                null,
                m,
                "classes; must match the data set if set",
                positive());
        key(
                "dropout_rate",
                Type.DOUBLE,
                null,
                m,
                "dropout probability (alias drouput_rate)",
                unitInterval(false));
        key("drop_path_rate", Type.DOUBLE, null, m, "stochastic depth rate", unitInterval(false));
        key(
                "head_tanh",
                Type.BOOL,
                null,
                m,
                "FiT: squash the logits with tanh as the seed code does (model default true)",
                null);
        key(
                "fourier_norm",
                Type.STRING,
                null,
                m,
                "FiT/FNet: scaling of the Fourier mixer, backward (unnormalised, the papers';"
                        + " model default) or ortho (unitary DFT)",
                oneOf("backward", "ortho"));

        String d = "data";
        key(
                "dataset_path",
                Type.STRING,
                "bundled:cifar10-sample",
                d,
                "CIFAR directory, batch file or .tar.gz; image folder; or bundled:cifar10-sample",
                null);
        key(
                "val_split",
                Type.STRING,
                "auto",
                d,
                "auto, none, test (CIFAR test batch), tail:N (last N training images) or fraction:F"
                        + " (stratified)",
                v -> validSplit((String) v));
        key("val_path", Type.STRING, null, d, "separate validation image folder", null);
        key(
                "cifar100_labels",
                Type.STRING,
                "fine",
                d,
                "CIFAR-100 labels: fine or coarse",
                oneOf("fine", "coarse"));
        key(
                "num_workers",
                Type.INT,
                2,
                d,
                "data loader worker threads (0: the training thread)",
                atLeast(0));
        key("prefetch", Type.INT, 4, d, "batches prepared ahead", atLeast(1));
        key(
                "batch_size",
                Type.INT,
                128,
                d,
                "images per batch (per micro-batch with accum_steps)",
                atLeast(1));
        key(
                "eval_batch_size",
                Type.INT,
                null,
                d,
                "images per evaluation batch (default batch_size)",
                atLeast(1));
        key(
                "normalize_mean",
                Type.DOUBLE_LIST,
                null,
                d,
                "per-channel mean in [0, 1] (default: of the training split)",
                null);
        key(
                "normalize_std",
                Type.DOUBLE_LIST,
                null,
                d,
                "per-channel std (default: of the training split)",
                null);

        String a = "augmentation";
        key(
                "random_crop_padding",
                Type.INT,
                4,
                a,
                "zero padding of the random crop (0: off)",
                atLeast(0));
        key("hflip", Type.BOOL, true, a, "random horizontal flip", null);
        key(
                "randaugment_ops",
                Type.INT,
                2,
                a,
                "RandAugment operations per image (0: off)",
                atLeast(0));
        key(
                "randaugment_magnitude",
                Type.INT,
                5,
                a,
                "RandAugment magnitude index (the seed used 5)",
                atLeast(0));
        key(
                "randaugment_bins",
                Type.INT,
                31,
                a,
                "RandAugment magnitude levels (torchvision: 31)",
                atLeast(2));
        key("mixup_alpha", Type.DOUBLE, 0.0, a, "mixup Beta(alpha, alpha) (0: off)", atLeast(0));
        key("cutmix_alpha", Type.DOUBLE, 0.0, a, "cutmix Beta(alpha, alpha) (0: off)", atLeast(0));
        key(
                "mix_prob",
                Type.DOUBLE,
                1.0,
                a,
                "probability that a batch is mixed",
                unitInterval(true));
        key(
                "mix_switch_prob",
                Type.DOUBLE,
                0.5,
                a,
                "with both on: probability of cutmix",
                unitInterval(true));
        key("label_smoothing", Type.DOUBLE, 0.1, a, "label smoothing epsilon", unitInterval(false));

        String o = "optimisation";
        key(
                "optimizer",
                Type.STRING,
                "adamw",
                o,
                "adamw or sgd (Nesterov momentum)",
                oneOf("adamw", "sgd"));
        key("lr", Type.DOUBLE, 1e-3, o, "peak learning rate", positive());
        key(
                "weight_decay",
                Type.DOUBLE,
                0.05,
                o,
                "weight decay (decoupled for adamw, L2 for sgd)",
                atLeast(0));
        key(
                "betas",
                Type.DOUBLE_LIST,
                List.of(0.9, 0.999),
                o,
                "AdamW beta1, beta2",
                v -> {
                    double[] b = (double[]) v;
                    return b.length == 2 && b[0] >= 0 && b[0] < 1 && b[1] >= 0 && b[1] < 1
                            ? null
                            : "must be two values in [0, 1)";
                });
        key("eps", Type.DOUBLE, 1e-8, o, "AdamW epsilon", positive());
        key("momentum", Type.DOUBLE, 0.9, o, "SGD momentum", unitInterval(false));
        key("nesterov", Type.BOOL, true, o, "SGD Nesterov momentum", null);
        key(
                "no_decay_keywords",
                Type.STRING_LIST,
                List.of("pos_embed", "position", "cls_token", "dist_token"),
                o,
                "parameters whose name contains one of these get no weight decay",
                null);
        key(
                "schedule",
                Type.STRING,
                "onecycle",
                o,
                "onecycle, cosine (linear warm-up + cosine) or constant",
                oneOf("onecycle", "cosine", "constant"));
        key(
                "warmup_epochs",
                Type.DOUBLE,
                1.0,
                o,
                "cosine: linear warm-up length in epochs",
                atLeast(0));
        key("min_lr", Type.DOUBLE, 0.0, o, "cosine: final learning rate", atLeast(0));
        key(
                "onecycle_pct_start",
                Type.DOUBLE,
                0.3,
                o,
                "one-cycle: share of steps rising",
                unitInterval(true));
        key(
                "onecycle_div_factor",
                Type.DOUBLE,
                25.0,
                o,
                "one-cycle: initial lr = lr / div_factor",
                positive());
        key(
                "onecycle_final_div_factor",
                Type.DOUBLE,
                1e4,
                o,
                "one-cycle: final lr = initial lr / this",
                positive());
        key(
                "cycle_momentum",
                Type.BOOL,
                true,
                o,
                "one-cycle: cycle beta1/momentum inversely to the lr",
                null);
        key(
                "base_momentum",
                Type.DOUBLE,
                0.85,
                o,
                "one-cycle: momentum at the lr peak",
                unitInterval(false));
        key(
                "max_momentum",
                Type.DOUBLE,
                0.95,
                o,
                "one-cycle: momentum at the ends",
                unitInterval(false));
        key(
                "clip_grad_norm",
                Type.DOUBLE,
                0.0,
                o,
                "clip the global gradient norm to this (0: off)",
                atLeast(0));
        key("accum_steps", Type.INT, 1, o, "micro-batches per optimiser step", atLeast(1));
        key(
                "ema_decay",
                Type.DOUBLE,
                0.0,
                o,
                "EMA of weights for evaluation (0: off, e.g. 0.999)",
                unitInterval(false));
        key("epochs", Type.INT, 10, o, "training epochs", atLeast(1));
        key("seed", Type.LONG, 42L, o, "seed of every random choice", null);
        key(
                "max_steps",
                Type.INT,
                0,
                o,
                "stop after this many optimiser steps (0: no limit)",
                atLeast(0));
        key(
                "time_budget_minutes",
                Type.DOUBLE,
                0.0,
                o,
                "finish the run (validation included) within this wall time; the schedule follows"
                        + " the clock and epochs is an upper bound (0: off)",
                atLeast(0));

        String r = "run";
        key("save_dir", Type.STRING, "runs", r, "directory of run directories", null);
        key("run_name", Type.STRING, null, r, "run directory name (default <model>-<time>)", null);
        key(
                "checkpoint_every_steps",
                Type.INT,
                0,
                r,
                "also checkpoint every n steps within an epoch",
                atLeast(0));
        key(
                "progress",
                Type.BOOL,
                true,
                r,
                "progress on stderr: a bar on a terminal, else lines",
                null);
    }

    private static String validSplit(String v) {
        if (v.equals("auto") || v.equals("none") || v.equals("test")) {
            return null;
        }
        try {
            if (v.startsWith("tail:")) {
                return Integer.parseInt(v.substring(5)) > 0 ? null : "tail:N needs N > 0";
            }
            if (v.startsWith("fraction:")) {
                double f = Double.parseDouble(v.substring(9));
                return f > 0 && f < 1 ? null : "fraction:F needs 0 < F < 1";
            }
        } catch (NumberFormatException e) {
            return "has a malformed number";
        }
        return "must be auto, none, test, tail:N or fraction:F";
    }

    private final Map<String, Object> values;

    private TrainConfig(Map<String, Object> values) {
        this.values = values;
    }

    /**
     * @return the defaults
     */
    public static TrainConfig defaults() {
        Map<String, Object> v = new LinkedHashMap<>();
        for (Key k : KEYS.values()) {
            v.put(
                    k.name(),
                    k.defaultValue() == null ? null : convert(k, k.defaultValue(), "default"));
        }
        return new TrainConfig(v);
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

    /** The largest configuration file read (a configuration is a few hundred bytes). */
    public static final long MAX_FILE_BYTES = 1 << 20;

    /** YAML aliases to collections allowed in one file. */
    static final int MAX_YAML_ALIASES = 20;

    /** The deepest nesting of lists and mappings in a configuration file. */
    static final int MAX_NESTING = 20;

    /**
     * Reads a configuration file into a map (no validation). Files over {@link #MAX_FILE_BYTES},
     * YAML with more than 20 aliases to collections or nesting deeper than 20 are refused.
     *
     * @param file {@code .json}, {@code .yaml} or {@code .yml}
     * @return the top-level mapping
     */
    public static Map<String, Object> readFile(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        String text;
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new ConfigException(
                        "config file "
                                + file
                                + " has "
                                + size
                                + " bytes; a configuration is at most "
                                + MAX_FILE_BYTES);
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file not found: " + file);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
        Object root;
        if (name.endsWith(".json")) {
            try {
                ObjectMapper om =
                        new ObjectMapper(
                                JsonFactory.builder()
                                        .streamReadConstraints(
                                                StreamReadConstraints.builder()
                                                        .maxNestingDepth(MAX_NESTING)
                                                        .build())
                                        .build());
                om.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
                root = om.readValue(text, new TypeReference<Object>() {});
            } catch (JsonProcessingException e) {
                throw new ConfigException(
                        "config file "
                                + file
                                + " is not valid JSON: "
                                + e.getOriginalMessage()
                                + location(e),
                        e);
            }
        } else if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            LoaderOptions lo = new LoaderOptions();
            lo.setAllowDuplicateKeys(false);
            // hostile input stays bounded: no alias bombs ("billion laughs"), no deep nesting, no
            // recursive keys, no document larger than the file limit
            lo.setMaxAliasesForCollections(MAX_YAML_ALIASES);
            lo.setNestingDepthLimit(MAX_NESTING);
            lo.setAllowRecursiveKeys(false);
            lo.setCodePointLimit((int) MAX_FILE_BYTES);
            try (Reader rd = new java.io.StringReader(text)) {
                root = new Yaml(new SafeConstructor(lo)).load(rd);
            } catch (IOException | RuntimeException e) {
                // YAMLException, and what SnakeYAML lets through on hostile input (the fuzzer
                // found "l: ._": a float by its resolver, NumberFormatException in its constructor)
                throw new ConfigException(
                        "config file " + file + " is not valid YAML: " + oneLine(e.getMessage()),
                        e);
            }
        } else {
            throw new ConfigException(
                    "config file " + file + ": unknown format (use .json, .yaml or .yml)");
        }
        if (root == null) {
            return Map.of();
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw new ConfigException(
                    "config file "
                            + file
                            + " must hold a mapping of keys to values, got a "
                            + root.getClass().getSimpleName());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            out.put(String.valueOf(e.getKey()), e.getValue());
        }
        return out;
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null
                ? ""
                : " (line "
                        + e.getLocation().getLineNr()
                        + ", column "
                        + e.getLocation().getColumnNr()
                        + ")";
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\n\\s*", " ").strip();
    }

    /**
     * This configuration overlaid with values (from a file or a saved run).
     *
     * @param overrides key to value (JSON/YAML types: numbers, strings, booleans, lists)
     * @param origin where they came from, for messages ("in config.yaml")
     * @return the new configuration
     * @throws ConfigException on an unknown key or a bad value
     */
    public TrainConfig with(Map<String, ?> overrides, String origin) {
        Map<String, Object> v = new LinkedHashMap<>(values);
        Map<String, String> setBy = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : overrides.entrySet()) {
            String name = canonical(e.getKey(), origin);
            Key k = KEYS.get(name);
            if (setBy.containsKey(name)) {
                Object prev = v.get(name);
                Object now = e.getValue() == null ? null : convert(k, e.getValue(), origin);
                if (!Objects.deepEquals(prev, now)) {
                    throw new ConfigException(
                            "'"
                                    + e.getKey()
                                    + "' and '"
                                    + setBy.get(name)
                                    + "' "
                                    + origin
                                    + " set "
                                    + name
                                    + " to different values: "
                                    + show(now)
                                    + " and "
                                    + show(prev));
                }
            }
            setBy.put(name, e.getKey());
            v.put(name, e.getValue() == null ? null : convert(k, e.getValue(), origin));
        }
        return new TrainConfig(v);
    }

    /**
     * This configuration with one value given as text (a command-line flag): numbers, {@code
     * true/false}, lists as {@code a,b} or {@code [a, b]}, {@code null} to unset.
     *
     * @param key the key
     * @param text the value
     * @return the new configuration
     */
    public TrainConfig override(String key, String text) {
        String name = canonical(key, "on the command line");
        Key k = KEYS.get(name);
        Object value = text.equals("null") ? null : parseText(k, text.strip());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(name, value);
        return with(m, "on the command line");
    }

    private static Object parseText(Key k, String t) {
        String inner = t.startsWith("[") && t.endsWith("]") ? t.substring(1, t.length() - 1) : t;
        try {
            return switch (k.type()) {
                case INT, LONG -> Long.parseLong(t);
                case DOUBLE -> Double.parseDouble(t);
                case BOOL -> {
                    if (!t.equals("true") && !t.equals("false")) {
                        throw new ConfigException(
                                k.name()
                                        + " must be true or false, got '"
                                        + t
                                        + "' on the command line");
                    }
                    yield Boolean.parseBoolean(t);
                }
                case STRING -> t;
                case INT_PAIR -> {
                    List<Object> l = new ArrayList<>();
                    for (String s : inner.split(",")) {
                        l.add(Long.parseLong(s.strip()));
                    }
                    yield l.size() == 1 ? l.get(0) : l;
                }
                case DOUBLE_LIST -> {
                    List<Object> l = new ArrayList<>();
                    for (String s : inner.split(",")) {
                        l.add(Double.parseDouble(s.strip()));
                    }
                    yield l;
                }
                case STRING_LIST -> {
                    List<Object> l = new ArrayList<>();
                    if (!inner.isBlank()) {
                        for (String s : inner.split(",")) {
                            l.add(s.strip());
                        }
                    }
                    yield l;
                }
            };
        } catch (NumberFormatException e) {
            throw new ConfigException(
                    k.name()
                            + " must be "
                            + typeName(k.type())
                            + ", got '"
                            + t
                            + "' on the command line");
        }
    }

    private static String canonical(String key, String origin) {
        String name = ALIASES.getOrDefault(key, key);
        if (!KEYS.containsKey(name)) {
            String hint = closest(key);
            throw new ConfigException(
                    "unknown config key '"
                            + key
                            + "' "
                            + origin
                            + (hint == null ? "" : " (did you mean '" + hint + "'?)"));
        }
        return name;
    }

    private static String closest(String key) {
        String best = null;
        int bestD = Integer.MAX_VALUE;
        for (String k : KEYS.keySet()) {
            int dist = editDistance(key.toLowerCase(Locale.ROOT), k);
            if (dist < bestD) {
                bestD = dist;
                best = k;
            }
        }
        return bestD <= Math.max(2, key.length() / 4) ? best : null;
    }

    private static int editDistance(String a, String b) {
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

    private static String typeName(Type t) {
        return switch (t) {
            case INT, LONG -> "an integer";
            case DOUBLE -> "a number";
            case BOOL -> "true or false";
            case STRING -> "a string";
            case INT_PAIR -> "an integer or a list of two integers";
            case DOUBLE_LIST -> "a list of numbers";
            case STRING_LIST -> "a list of strings";
        };
    }

    private static String show(Object v) {
        if (v instanceof String s) {
            return "'" + s + "'";
        }
        if (v instanceof int[] a) {
            return java.util.Arrays.toString(a);
        }
        if (v instanceof double[] a) {
            return java.util.Arrays.toString(a);
        }
        return String.valueOf(v);
    }

    private static ConfigException bad(Key k, Object raw, String origin) {
        return new ConfigException(
                k.name() + " must be " + typeName(k.type()) + ", got " + show(raw) + " " + origin);
    }

    private static long integral(Key k, Object raw, String origin) {
        if (raw instanceof Integer || raw instanceof Long || raw instanceof Short) {
            return ((Number) raw).longValue();
        }
        if (raw instanceof java.math.BigInteger bi) {
            if (bi.bitLength() < 64) {
                return bi.longValue();
            }
            throw bad(k, raw, origin);
        }
        if (raw instanceof Number n
                && n.doubleValue() == Math.rint(n.doubleValue())
                && !Double.isInfinite(n.doubleValue())) {
            return (long) n.doubleValue();
        }
        throw bad(k, raw, origin);
    }

    private static Object convert(Key k, Object raw, String origin) {
        Object v =
                switch (k.type()) {
                    case INT -> {
                        long l = integral(k, raw, origin);
                        if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
                            throw new ConfigException(
                                    k.name() + " is out of range, got " + raw + " " + origin);
                        }
                        yield (int) l;
                    }
                    case LONG -> integral(k, raw, origin);
                    case DOUBLE -> {
                        if (!(raw instanceof Number n) || !Double.isFinite(n.doubleValue())) {
                            throw bad(k, raw, origin);
                        }
                        yield n.doubleValue();
                    }
                    case BOOL -> {
                        if (!(raw instanceof Boolean b)) {
                            throw bad(k, raw, origin);
                        }
                        yield b;
                    }
                    case STRING -> {
                        if (raw instanceof String s) {
                            yield s;
                        }
                        if (raw instanceof Number) {
                            yield String.valueOf(raw);
                        }
                        throw bad(k, raw, origin);
                    }
                    case INT_PAIR -> {
                        if (raw instanceof Number) {
                            int n = (int) integral(k, raw, origin);
                            yield new int[] {n, n};
                        }
                        if (raw instanceof int[] a && a.length == 2) {
                            yield a.clone();
                        }
                        if (raw instanceof List<?> l && l.size() == 2) {
                            yield new int[] {
                                (int) integral(k, l.get(0), origin),
                                (int) integral(k, l.get(1), origin)
                            };
                        }
                        throw bad(k, raw, origin);
                    }
                    case DOUBLE_LIST -> {
                        if (raw instanceof double[] a) {
                            yield a.clone();
                        }
                        if (!(raw instanceof List<?> l)) {
                            throw bad(k, raw, origin);
                        }
                        double[] a = new double[l.size()];
                        for (int i = 0; i < a.length; i++) {
                            if (!(l.get(i) instanceof Number n)
                                    || !Double.isFinite(n.doubleValue())) {
                                throw bad(k, raw, origin);
                            }
                            a[i] = n.doubleValue();
                        }
                        yield a;
                    }
                    case STRING_LIST -> {
                        if (!(raw instanceof List<?> l)) {
                            throw bad(k, raw, origin);
                        }
                        List<String> s = new ArrayList<>();
                        for (Object o : l) {
                            if (!(o instanceof String str)) {
                                throw bad(k, raw, origin);
                            }
                            s.add(str);
                        }
                        yield Collections.unmodifiableList(s);
                    }
                };
        if (k.check() != null) {
            String err = k.check().apply(v);
            if (err != null) {
                throw new ConfigException(k.name() + " " + err + ", got " + show(v) + " " + origin);
            }
        }
        return v;
    }

    // ---- typed access ----

    /**
     * @param key a declared key
     * @return the raw resolved value (null if unset)
     */
    public Object get(String key) {
        if (!KEYS.containsKey(key)) {
            throw new IllegalArgumentException("unknown config key '" + key + "'");
        }
        Object v = values.get(key);
        if (v instanceof int[] a) {
            return a.clone();
        }
        if (v instanceof double[] a) {
            return a.clone();
        }
        return v;
    }

    /**
     * @param key a key
     * @return whether it has a value
     */
    public boolean isSet(String key) {
        return get(key) != null;
    }

    /**
     * @param key an INT key
     * @return its value
     */
    public int getInt(String key) {
        return (Integer) Objects.requireNonNull(get(key), key + " is not set");
    }

    /**
     * @param key a LONG key
     * @return its value
     */
    public long getLong(String key) {
        return (Long) Objects.requireNonNull(get(key), key + " is not set");
    }

    /**
     * @param key a DOUBLE key
     * @return its value
     */
    public double getDouble(String key) {
        return (Double) Objects.requireNonNull(get(key), key + " is not set");
    }

    /**
     * @param key a BOOL key
     * @return its value
     */
    public boolean getBool(String key) {
        return (Boolean) Objects.requireNonNull(get(key), key + " is not set");
    }

    /**
     * @param key a STRING key
     * @return its value or null
     */
    public String getString(String key) {
        return (String) get(key);
    }

    /**
     * @param key an INT_PAIR key
     * @return {@code [height, width]} or null
     */
    public int[] getPair(String key) {
        return (int[]) get(key);
    }

    /**
     * @param key a DOUBLE_LIST key
     * @return the values or null
     */
    public double[] getDoubles(String key) {
        return (double[]) get(key);
    }

    /**
     * @param key a STRING_LIST key
     * @return the values or null
     */
    @SuppressWarnings("unchecked")
    public List<String> getStrings(String key) {
        return (List<String>) get(key);
    }

    /**
     * The resolved configuration as plain JSON values, every key in declaration order (unset keys
     * as null).
     *
     * @return key to value
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String k : KEYS.keySet()) {
            Object v = values.get(k);
            if (v instanceof int[] a) {
                v = List.of(a[0], a[1]);
            } else if (v instanceof double[] a) {
                List<Double> l = new ArrayList<>();
                for (double x : a) {
                    l.add(x);
                }
                v = l;
            }
            m.put(k, v);
        }
        return m;
    }

    /**
     * @return the resolved configuration as indented JSON
     */
    public String toJson() {
        try {
            return new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(toMap());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The keys whose values differ from another configuration.
     *
     * @param other another configuration
     * @return differing keys in declaration order
     */
    public List<String> differences(TrainConfig other) {
        List<String> diff = new ArrayList<>();
        for (String k : KEYS.keySet()) {
            if (!Objects.deepEquals(values.get(k), other.values.get(k))) {
                diff.add(k);
            }
        }
        return diff;
    }

    /**
     * A Markdown table of every key (for the README).
     *
     * @return the table
     */
    public static String markdownTable() {
        StringBuilder sb = new StringBuilder("| key | default | meaning |\n| --- | --- | --- |\n");
        for (Key k : KEYS.values()) {
            Object def = k.defaultValue();
            sb.append("| `")
                    .append(k.name())
                    .append("` | ")
                    .append(def == null ? "(unset)" : "`" + show(def) + "`")
                    .append(" | ")
                    .append(k.doc())
                    .append(" |\n");
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return toJson();
    }
}
