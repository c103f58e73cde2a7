package org.fourier4j.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.cfg.EnumFeature;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fourier4j.config.Names;

/**
 * Overlays flat key-value pairs on a {@link TrainConfig}: the current values as one flat JSON tree,
 * the new values set on it (aliases resolved, unknown keys refused with the closest name, one key
 * given twice under two spellings refused unless both agree), then each section record bound from
 * the tree by Jackson. Binding errors become {@link ConfigException}s naming the key, the value and
 * its origin.
 */
final class ConfigOverlay {

    private ConfigOverlay() {}

    /** Binds file values: types as JSON/YAML give them, no text read as a number. */
    private static final ObjectMapper FILE_VALUES = mapper(true);

    /** Binds command-line values: text read as the key's type. */
    private static final ObjectMapper TEXT_VALUES = mapper(false);

    private static ObjectMapper mapper(boolean strict) {
        JsonMapper.Builder b =
                JsonMapper.builder()
                        .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                        .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
                        .configure(EnumFeature.WRITE_ENUMS_TO_LOWERCASE, true)
                        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                        .enable(SerializationFeature.INDENT_OUTPUT);
        if (strict) {
            b.withCoercionConfigDefaults(
                    c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail));
        }
        return b.build();
    }

    static ObjectNode typedTree(TrainConfig c) {
        ObjectNode tree = FILE_VALUES.createObjectNode();
        for (Record section :
                List.of(c.model(), c.data(), c.augmentation(), c.optimisation(), c.run())) {
            tree.setAll((ObjectNode) FILE_VALUES.valueToTree(section));
        }
        return tree;
    }

    static Map<String, Object> typedValues(TrainConfig c) {
        JsonNode tree = typedTree(c);
        @SuppressWarnings("unchecked")
        Map<String, Object> m = FILE_VALUES.convertValue(tree, LinkedHashMap.class);
        return m;
    }

    static TrainConfig apply(TrainConfig base, Map<String, ?> values, String origin, boolean text) {
        ObjectNode tree = typedTree(base);
        ObjectNode defaults = typedTree(TrainConfig.defaults());
        Map<String, Object> overrides = new LinkedHashMap<>(base.modelOverrides());
        Map<String, String> setBy = new HashMap<>();
        Map<String, Object> given = new HashMap<>();
        for (Map.Entry<String, ?> e : values.entrySet()) {
            String key = e.getKey();
            Object value = e.getValue();
            boolean unset = value == null || (text && value.toString().strip().equals("null"));
            String name = ConfigKeys.ALIASES.getOrDefault(key, key);
            ConfigKeys.Key k = ConfigKeys.KEYS.get(name);
            if (k == null) {
                if (!ModelSection.zooOverrideKeys().contains(key)) {
                    throw unknown(key, origin);
                }
                if (unset) {
                    overrides.remove(key);
                } else {
                    overrides.put(key, text ? value.toString().strip() : value);
                }
                continue;
            }
            JsonNode node = unset ? defaults.get(name) : node(k, value, text);
            if (setBy.containsKey(name) && !node.equals(tree.get(name))) {
                throw new ConfigException(
                        "'"
                                + key
                                + "' and '"
                                + setBy.get(name)
                                + "' "
                                + origin
                                + " set "
                                + name
                                + " to different values: "
                                + TrainConfig.show(value)
                                + " and "
                                + TrainConfig.show(given.get(name)));
            }
            setBy.put(name, key);
            given.put(name, value);
            tree.set(name, node);
        }
        ObjectMapper mapper = text ? TEXT_VALUES : FILE_VALUES;
        List<Record> sections = new ArrayList<>();
        for (Class<? extends Record> type : ConfigKeys.SECTIONS) {
            try {
                sections.add(mapper.treeToValue(tree, type));
            } catch (JsonProcessingException | IllegalArgumentException ex) {
                throw bindingError(ex, given, origin);
            }
        }
        try {
            return new TrainConfig(
                    (ModelSection) sections.get(0),
                    (DataSection) sections.get(1),
                    (AugmentationSection) sections.get(2),
                    (OptimisationSection) sections.get(3),
                    (RunSection) sections.get(4),
                    overrides);
        } catch (ConfigException ex) {
            throw new ConfigException(ex.getMessage() + " " + origin, ex);
        }
    }

    /** A value as a JSON node for its key: text split into a list where the key takes one. */
    private static JsonNode node(ConfigKeys.Key k, Object value, boolean text) {
        if (text) {
            String t = value.toString().strip();
            boolean bracketed = t.startsWith("[") && t.endsWith("]");
            if (k.takesList() && (bracketed || t.contains(",") || k.type() != HeightWidth.class)) {
                ArrayNode a = TEXT_VALUES.createArrayNode();
                String inner = bracketed ? t.substring(1, t.length() - 1) : t;
                for (String part : inner.split(",")) {
                    if (!part.isBlank()) {
                        a.add(part.strip());
                    }
                }
                return a;
            }
            return TextNode.valueOf(t);
        }
        JsonNode n;
        try {
            n = FILE_VALUES.valueToTree(value);
        } catch (IllegalArgumentException e) {
            n = TextNode.valueOf(String.valueOf(value)); // refused with its type below
        }
        if (k.integral() && n.isFloatingPointNumber()) {
            double d = n.doubleValue();
            if (d == Math.rint(d) && Math.abs(d) < 0x1p53) {
                n = LongNode.valueOf((long) d); // 10.0 is the integer 10
            }
        }
        return n;
    }

    private static ConfigException bindingError(
            Exception e, Map<String, Object> given, String origin) {
        String name = null;
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            name = m.getPath().get(0).getFieldName();
        }
        ConfigKeys.Key k = name == null ? null : ConfigKeys.KEYS.get(name);
        if (k == null) {
            String msg = e instanceof JsonProcessingException j ? j.getOriginalMessage() : null;
            return new ConfigException(
                    "bad configuration "
                            + origin
                            + ": "
                            + String.valueOf(msg != null ? msg : e.getMessage())
                                    .replaceAll("\\s*\\n\\s*", " "),
                    e);
        }
        String rule = "must be " + k.typeName();
        if (e instanceof ValueInstantiationException
                && e.getCause() instanceof IllegalArgumentException iae
                && iae.getMessage() != null) {
            rule = iae.getMessage(); // the value type's own rule ("must be auto, none, ...")
        }
        return new ConfigException(
                k.name()
                        + " "
                        + rule
                        + ", got "
                        + TrainConfig.show(given.get(k.name()))
                        + " "
                        + origin,
                e);
    }

    private static ConfigException unknown(String key, String origin) {
        List<String> known = new ArrayList<>(ConfigKeys.KEYS.keySet());
        known.addAll(ConfigKeys.ALIASES.keySet());
        known.addAll(ModelSection.zooOverrideKeys());
        List<String> best = Names.closest(key, known, 1);
        String hint = null;
        if (!best.isEmpty()) {
            String b = ConfigKeys.ALIASES.getOrDefault(best.get(0), best.get(0));
            int d = Names.distance(key.toLowerCase(Locale.ROOT), best.get(0));
            hint = d <= Math.max(2, key.length() / 4) ? b : null;
        }
        return new ConfigException(
                "unknown config key '"
                        + key
                        + "' "
                        + origin
                        + (hint == null ? "" : " (did you mean '" + hint + "'?)"));
    }

    static String json(Map<String, Object> values) {
        try {
            return FILE_VALUES.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
