package org.fourier4j.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Binds {@code key=value} overrides onto a typed configuration record with Jackson: keys are the
 * record's components in snake case ({@code large_kernels} for {@code largeKernels}), a list may be
 * written {@code 1,2,3}, enums in any case. An unknown key is refused with the closest known ones;
 * a value of the wrong type names the key and the value; the record's own constructor validates the
 * result.
 */
public final class ConfigBinder {

    private static final ObjectMapper JSON =
            JsonMapper.builder()
                    .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                    .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
                    .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
                    .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                    .build();

    private static final Pattern LIST =
            Pattern.compile("\\s*[^,\\[\\]]+(\\s*,\\s*[^,\\[\\]]+)+\\s*");

    private ConfigBinder() {}

    /**
     * The override keys a configuration record takes.
     *
     * @param type the record class
     * @return its components' names in snake case
     */
    public static List<String> keys(Class<? extends Record> type) {
        List<String> out = new ArrayList<>();
        for (RecordComponent c : type.getRecordComponents()) {
            out.add(snake(c.getName()));
        }
        return out;
    }

    /**
     * Returns {@code defaults} with the overrides applied.
     *
     * @param <C> the record type
     * @param owner who is being configured, for messages (e.g. {@code model convnext-t})
     * @param defaults the configuration before the overrides
     * @param overrides key to value (strings, numbers, booleans, lists)
     * @return the new configuration
     * @throws IllegalArgumentException for an unknown key, a bad value, or a configuration the
     *     record's constructor refuses
     */
    public static <C extends Record> C bind(String owner, C defaults, Map<String, ?> overrides) {
        @SuppressWarnings("unchecked")
        Class<C> type = (Class<C>) defaults.getClass();
        List<String> keys = keys(type);
        ObjectNode tree = JSON.valueToTree(defaults);
        for (Map.Entry<String, ?> e : overrides.entrySet()) {
            String key = e.getKey();
            if (!keys.contains(key)) {
                throw new IllegalArgumentException(
                        owner
                                + ": unknown override '"
                                + key
                                + "'; closest: "
                                + String.join(", ", Names.closest(key, keys, 3))
                                + " (all: "
                                + String.join(", ", keys)
                                + ")");
            }
            tree.set(key, valueNode(e.getValue(), tree.get(key)));
        }
        try {
            return JSON.treeToValue(tree, type);
        } catch (MismatchedInputException ex) {
            String key = ex.getPath().isEmpty() ? "?" : ex.getPath().get(0).getFieldName();
            throw new IllegalArgumentException(
                    owner
                            + ": override '"
                            + key
                            + "' has a bad value '"
                            + overrides.get(key)
                            + "' (expected "
                            + describe(tree.get(key))
                            + ")",
                    ex);
        } catch (com.fasterxml.jackson.databind.JsonMappingException ex) {
            Throwable cause = ex.getCause();
            if (cause instanceof IllegalArgumentException) {
                throw new IllegalArgumentException(owner + ": " + cause.getMessage(), cause);
            }
            throw new IllegalArgumentException(owner + ": " + ex.getOriginalMessage(), ex);
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new IllegalArgumentException(owner + ": " + ex.getOriginalMessage(), ex);
        }
    }

    /**
     * A record as a key to value map (snake-case keys), e.g. to save a resolved configuration.
     *
     * @param config the record
     * @return its values
     */
    public static Map<String, Object> toMap(Record config) {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = JSON.convertValue(config, LinkedHashMap.class);
        return m;
    }

    private static JsonNode valueNode(Object value, JsonNode current) {
        if (value instanceof String) {
            String s = ((String) value).trim();
            boolean wantsList = current != null && current.isArray();
            if (wantsList || LIST.matcher(s).matches()) {
                String inner =
                        s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
                List<String> items = new ArrayList<>();
                for (String part : inner.split(",")) {
                    if (!part.isBlank()) {
                        items.add(part.trim());
                    }
                }
                return JSON.valueToTree(items);
            }
        }
        if (value instanceof int[]) {
            return JSON.valueToTree(Arrays.stream((int[]) value).boxed().toArray());
        }
        return JSON.valueToTree(value);
    }

    private static String describe(JsonNode current) {
        if (current == null || current.isNull()) {
            return "a value";
        }
        if (current.isArray()) {
            return "a list like " + current.toString().replace("[", "").replace("]", "");
        }
        if (current.isBoolean()) {
            return "true or false";
        }
        if (current.isIntegralNumber()) {
            return "an integer";
        }
        if (current.isNumber()) {
            return "a number";
        }
        return "a value like " + current.asText();
    }

    private static String snake(String camel) {
        return ((PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE)
                .translate(camel);
    }
}
