package org.fourier4j.train;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads a configuration file (JSON, or YAML with the safe constructor) into a map of keys to plain
 * values. Hostile files stay bounded: files over {@link #MAX_FILE_BYTES}, YAML with more than
 * {@link #MAX_YAML_ALIASES} aliases to collections ("billion laughs") or recursive keys, and
 * nesting deeper than {@link #MAX_NESTING} are refused; every failure is a {@link ConfigException}
 * naming the file.
 */
final class ConfigFiles {

    /** The largest configuration file read (a configuration is a few hundred bytes). */
    static final long MAX_FILE_BYTES = 1 << 20;

    /** YAML aliases to collections allowed in one file. */
    static final int MAX_YAML_ALIASES = 20;

    /** The deepest nesting of lists and mappings in a configuration file. */
    static final int MAX_NESTING = 20;

    private static final ObjectMapper JSON =
            new ObjectMapper(
                            JsonFactory.builder()
                                    .streamReadConstraints(
                                            StreamReadConstraints.builder()
                                                    .maxNestingDepth(MAX_NESTING)
                                                    .build())
                                    .build())
                    .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private ConfigFiles() {}

    static Map<String, Object> read(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean json = name.endsWith(".json");
        if (!json && !name.endsWith(".yaml") && !name.endsWith(".yml")) {
            throw new ConfigException(
                    "config file " + file + ": unknown format (use .json, .yaml or .yml)");
        }
        String text = text(file);
        Object root = json ? json(file, text) : yaml(file, text);
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

    private static String text(Path file) {
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
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file not found: " + file);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
    }

    private static Object json(Path file, String text) {
        try {
            return JSON.readValue(text, new TypeReference<Object>() {});
        } catch (JsonProcessingException e) {
            String at =
                    e.getLocation() == null
                            ? ""
                            : " (line "
                                    + e.getLocation().getLineNr()
                                    + ", column "
                                    + e.getLocation().getColumnNr()
                                    + ")";
            throw new ConfigException(
                    "config file " + file + " is not valid JSON: " + e.getOriginalMessage() + at,
                    e);
        }
    }

    private static Object yaml(Path file, String text) {
        LoaderOptions lo = new LoaderOptions();
        lo.setAllowDuplicateKeys(false);
        lo.setMaxAliasesForCollections(MAX_YAML_ALIASES);
        lo.setNestingDepthLimit(MAX_NESTING);
        lo.setAllowRecursiveKeys(false);
        lo.setCodePointLimit((int) MAX_FILE_BYTES);
        try (Reader rd = new StringReader(text)) {
            return new Yaml(new SafeConstructor(lo)).load(rd);
        } catch (IOException | RuntimeException e) {
            // YAMLException, and what SnakeYAML lets through on hostile input (a fuzzer found
            // "l: ._": a float by its resolver, NumberFormatException in its constructor)
            String m = e.getMessage() == null ? "" : e.getMessage();
            throw new ConfigException(
                    "config file "
                            + file
                            + " is not valid YAML: "
                            + m.replaceAll("\\s*\\n\\s*", " ").strip(),
                    e);
        }
    }
}
