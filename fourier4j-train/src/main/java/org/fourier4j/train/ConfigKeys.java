package org.fourier4j.train;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The keys of the training configuration, read from the section records: each record component is a
 * key (its name in snake case), with its {@link Setting}, its Java type and its {@link JsonAlias}
 * spellings. Also checks a record's values against the bounds its settings declare.
 */
final class ConfigKeys {

    /**
     * One key.
     *
     * @param name the key
     * @param section the record holding it
     * @param component its record component
     * @param setting its documentation and bounds
     * @param aliases other spellings accepted for it
     */
    record Key(
            String name,
            Class<? extends Record> section,
            RecordComponent component,
            Setting setting,
            List<String> aliases) {

        /**
         * @return the component's type (for lists: {@code List<...>})
         */
        Type type() {
            return component.getGenericType();
        }

        /**
         * @return whether values are lists or {@code [height, width]} pairs
         */
        boolean takesList() {
            return List.class.isAssignableFrom(component.getType())
                    || component.getType() == HeightWidth.class;
        }

        /**
         * @return whether values are integers
         */
        boolean integral() {
            Class<?> t = component.getType();
            return t == int.class || t == Integer.class || t == long.class || t == Long.class;
        }

        /**
         * @return what a value must be, for messages ("an integer", "one of adamw, sgd", ...)
         */
        String typeName() {
            Class<?> t = component.getType();
            if (integral()) {
                return "an integer";
            }
            if (t == double.class || t == Double.class) {
                return "a number";
            }
            if (t == boolean.class || t == Boolean.class) {
                return "true or false";
            }
            if (t == HeightWidth.class) {
                return "an integer or a list of two integers";
            }
            if (t.isEnum()) {
                List<String> names = new ArrayList<>();
                for (Object c : t.getEnumConstants()) {
                    names.add(((Enum<?>) c).name().toLowerCase(Locale.ROOT));
                }
                return "one of " + String.join(", ", names);
            }
            if (List.class.isAssignableFrom(t)) {
                Type e = ((ParameterizedType) type()).getActualTypeArguments()[0];
                return e == String.class ? "a list of strings" : "a list of numbers";
            }
            return "a string";
        }

        /**
         * @param record an instance of {@link #section()}
         * @return this key's value in it
         */
        Object valueIn(Record record) {
            try {
                return component.getAccessor().invoke(record);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The sections in documentation order. */
    static final List<Class<? extends Record>> SECTIONS =
            List.of(
                    ModelSection.class,
                    DataSection.class,
                    AugmentationSection.class,
                    OptimisationSection.class,
                    RunSection.class);

    /** Every key, in documentation order. */
    static final Map<String, Key> KEYS;

    /** Alias to key. */
    static final Map<String, String> ALIASES;

    static {
        Map<String, Key> keys = new LinkedHashMap<>();
        Map<String, String> aliases = new LinkedHashMap<>();
        for (Class<? extends Record> section : SECTIONS) {
            for (RecordComponent c : section.getRecordComponents()) {
                String name = snake(c.getName());
                JsonAlias a = c.getAccessor().getAnnotation(JsonAlias.class);
                List<String> spellings = a == null ? List.of() : List.of(a.value());
                Setting s = c.getAnnotation(Setting.class);
                if (s == null || keys.containsKey(name)) {
                    throw new IllegalStateException(
                            section.getSimpleName() + "." + c.getName() + ": no @Setting or twice");
                }
                keys.put(name, new Key(name, section, c, s, spellings));
                for (String alias : spellings) {
                    aliases.put(alias, name);
                }
            }
        }
        KEYS = Collections.unmodifiableMap(keys);
        ALIASES = Collections.unmodifiableMap(aliases);
    }

    private ConfigKeys() {}

    static String snake(String camel) {
        return ((PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE)
                .translate(camel);
    }

    /**
     * Checks every value of a section against its setting's bounds.
     *
     * @param section a section record
     * @throws ConfigException naming the first key out of bounds and its value
     */
    static void checkBounds(Record section) {
        for (Key k : KEYS.values()) {
            if (k.section() != section.getClass()) {
                continue;
            }
            Object v = k.valueIn(section);
            Setting s = k.setting();
            if (v instanceof Double d && !Double.isFinite(d)) {
                throw fail(k, "must be a finite number", v);
            }
            if (v instanceof List<?> list) {
                if (s.length() > 0 && list.size() != s.length()) {
                    throw fail(k, "must have " + s.length() + " values", v);
                }
                for (Object e : list) {
                    if (e == null
                            || (e instanceof Double d
                                    && (!Double.isFinite(d) || !inBounds(d, s)))) {
                        throw fail(k, ("must be a list of values " + bounds(s)).strip(), v);
                    }
                }
            } else if (v instanceof Number n && !inBounds(n.doubleValue(), s)) {
                throw fail(k, "must be " + bounds(s), v);
            }
        }
    }

    private static boolean inBounds(double d, Setting s) {
        boolean low = s.minExclusive() ? d > s.min() : d >= s.min();
        boolean high = s.maxExclusive() ? d < s.max() : d <= s.max();
        return low && high;
    }

    private static String bounds(Setting s) {
        if (s.max() == Double.POSITIVE_INFINITY && s.min() == Double.NEGATIVE_INFINITY) {
            return "";
        }
        if (s.max() == Double.POSITIVE_INFINITY) {
            if (s.min() == 0 && s.minExclusive()) {
                return "positive";
            }
            return (s.minExclusive() ? "above " : "at least ") + plain(s.min());
        }
        return "in "
                + (s.minExclusive() ? "(" : "[")
                + plain(s.min())
                + ", "
                + plain(s.max())
                + (s.maxExclusive() ? ")" : "]");
    }

    private static ConfigException fail(Key k, String rule, Object value) {
        return new ConfigException(k.name() + " " + rule + ", got " + TrainConfig.show(value));
    }

    private static String plain(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
}
