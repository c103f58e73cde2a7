package org.fourier4j.models;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A naming scheme of a family's weights (the official code's {@code state_dict} keys, timm's), as
 * an ordered list of rules between their names and fourier4j's ({@link
 * org.fourier4j.nn.ParameterNames}), readable beside the paper's code:
 *
 * <pre>
 *   rule("downsample_layers.0.", "stem.")
 *   rule("downsample_layers.{i}.", "stages.{i}.downsample.")
 *   rule("stages.{s}.{b}.", "stages.{s}.blocks.{b}.")
 * </pre>
 *
 * A template ending in {@code .} matches a prefix and keeps the rest of the name; otherwise it
 * matches the whole name. {@code {x}} stands for a number, {@code {x+1}} for one more than the
 * other side's {@code {x}}, {@code {2x}} and {@code {2x-1}} for twice it and one less (for official
 * lists that interleave two kinds of module, CAS-ViT's {@code network.{2s}} stages and {@code
 * network.{2s-1}} downsamplings); a number that is not of that form does not match. The first rule
 * that matches wins, in either direction; a name no rule matches is the same in both schemes. Leaf
 * names listed with {@link Builder#skip} (e.g. {@code num_batches_tracked}) have no fourier4j
 * parameter: they are dropped when importing and written as zeros when exporting.
 */
public final class NameMap {

    private static final Pattern VAR = Pattern.compile("\\{(\\d+)?([a-z]+)([+-]\\d+)?}");

    private final String scheme;
    private final List<Rule> rules;
    private final Set<String> skipped;

    private NameMap(String scheme, List<Rule> rules, Set<String> skipped) {
        this.scheme = scheme;
        this.rules = List.copyOf(rules);
        this.skipped = Set.copyOf(skipped);
    }

    /**
     * Starts a map.
     *
     * @param scheme its name ({@code official}, {@code timm})
     * @return a builder
     */
    public static Builder builder(String scheme) {
        return new Builder(scheme);
    }

    /**
     * The official names of code laid out as ConvNeXt's ({@code facebookresearch/ConvNeXt}, {@code
     * models/convnext.py}), which the MetaFormer baselines and DFFormer keep: {@code
     * downsample_layers.0} is the stem, {@code downsample_layers.<i>} stage i's downsampling,
     * {@code stages.<s>.<b>} its blocks, {@code norm} the head's norm and {@code head} its linear
     * layer.
     *
     * @return the {@code official} map
     */
    public static NameMap convNextLayout() {
        return builder("official")
                .rule("downsample_layers.0.", "stem.")
                .rule("downsample_layers.{i}.", "stages.{i}.downsample.")
                .rule("stages.{s}.{b}.", "stages.{s}.blocks.{b}.")
                .rule("norm.", "head.norm.")
                .rule("head.", "head.fc.")
                .build();
    }

    /**
     * @return the scheme's name
     */
    public String scheme() {
        return scheme;
    }

    /**
     * @return the leaf names that have no fourier4j parameter
     */
    public Set<String> skipped() {
        return skipped;
    }

    /**
     * Whether a name of the scheme has no fourier4j parameter (it is dropped on import).
     *
     * @param theirs a name in the scheme
     * @return whether its leaf is skipped
     */
    public boolean isSkipped(String theirs) {
        return skipped.contains(theirs.substring(theirs.lastIndexOf('.') + 1));
    }

    /**
     * Translates a name of the scheme into fourier4j's.
     *
     * @param theirs a name in the scheme
     * @return the fourier4j name
     */
    public String toFourier4j(String theirs) {
        for (Rule r : rules) {
            String out = r.apply(r.theirs, r.ours, theirs);
            if (out != null) {
                return out;
            }
        }
        return theirs;
    }

    /**
     * Translates a fourier4j name into the scheme's.
     *
     * @param ours a fourier4j name
     * @return the name in the scheme
     */
    public String fromFourier4j(String ours) {
        for (Rule r : rules) {
            String out = r.apply(r.ours, r.theirs, ours);
            if (out != null) {
                return out;
            }
        }
        return ours;
    }

    /**
     * @return the rules as {@code theirs -> ours} lines, for documentation and error messages
     */
    public List<String> describe() {
        List<String> out = new ArrayList<>();
        for (Rule r : rules) {
            out.add(r.theirs + " -> " + r.ours);
        }
        return out;
    }

    private static final class Rule {
        final String theirs;
        final String ours;
        final Map<String, Pattern> compiled = new LinkedHashMap<>();

        Rule(String theirs, String ours) {
            this.theirs = theirs;
            this.ours = ours;
            Set<String> a = vars(theirs);
            Set<String> b = vars(ours);
            if (!a.equals(b)) {
                throw new IllegalArgumentException(
                        "name rule '" + theirs + "' -> '" + ours + "' uses different placeholders");
            }
            for (String t : List.of(theirs, ours)) {
                Matcher m = VAR.matcher(t);
                while (m.find()) {
                    if (factor(m) < 1) {
                        throw new IllegalArgumentException(
                                "name rule '" + t + "': a placeholder's factor must be positive");
                    }
                }
            }
            if (theirs.endsWith(".") != ours.endsWith(".")) {
                throw new IllegalArgumentException(
                        "name rule '"
                                + theirs
                                + "' -> '"
                                + ours
                                + "': both sides must be prefixes (ending in '.') or whole names");
            }
        }

        private static Set<String> vars(String template) {
            Set<String> out = new java.util.TreeSet<>();
            Matcher m = VAR.matcher(template);
            while (m.find()) {
                out.add(m.group(2));
            }
            return out;
        }

        private Pattern pattern(String template) {
            return compiled.computeIfAbsent(
                    template,
                    t -> {
                        StringBuilder re = new StringBuilder("^");
                        Matcher m = VAR.matcher(t);
                        int last = 0;
                        while (m.find()) {
                            re.append(Pattern.quote(t.substring(last, m.start())));
                            re.append("(?<").append(m.group(2)).append(">\\d+)");
                            last = m.end();
                        }
                        re.append(Pattern.quote(t.substring(last)));
                        re.append(t.endsWith(".") ? "(?<rest>.*)$" : "$");
                        return Pattern.compile(re.toString());
                    });
        }

        private static long factor(Matcher placeholder) {
            return placeholder.group(1) == null ? 1 : Long.parseLong(placeholder.group(1));
        }

        private static long offset(Matcher placeholder) {
            return placeholder.group(3) == null ? 0 : Long.parseLong(placeholder.group(3));
        }

        /** Matches {@code name} against {@code from} and fills {@code to}, or null. */
        String apply(String from, String to, String name) {
            Matcher m = pattern(from).matcher(name);
            if (!m.matches()) {
                return null;
            }
            Map<String, Long> values = new LinkedHashMap<>();
            Matcher v = VAR.matcher(from);
            while (v.find()) {
                long factor = factor(v);
                long n = Long.parseLong(m.group(v.group(2))) - offset(v);
                if (n % factor != 0) {
                    return null;
                }
                values.put(v.group(2), n / factor);
            }
            StringBuilder out = new StringBuilder();
            Matcher w = VAR.matcher(to);
            int last = 0;
            while (w.find()) {
                out.append(to, last, w.start());
                long value = factor(w) * values.get(w.group(2)) + offset(w);
                if (value < 0) {
                    return null;
                }
                out.append(value);
                last = w.end();
            }
            out.append(to.substring(last));
            if (to.endsWith(".")) {
                out.append(m.group("rest"));
            }
            return out.toString();
        }
    }

    /** Builds a {@link NameMap}. */
    public static final class Builder {
        private final String scheme;
        private final List<Rule> rules = new ArrayList<>();
        private final Set<String> skipped = new java.util.LinkedHashSet<>();

        private Builder(String scheme) {
            this.scheme = scheme;
        }

        /**
         * Adds a rule.
         *
         * @param theirs the scheme's template
         * @param ours fourier4j's template
         * @return this builder
         */
        public Builder rule(String theirs, String ours) {
            rules.add(new Rule(theirs, ours));
            return this;
        }

        /**
         * Declares a leaf name that has no fourier4j parameter.
         *
         * @param leaf e.g. {@code num_batches_tracked}
         * @return this builder
         */
        public Builder skip(String leaf) {
            skipped.add(leaf);
            return this;
        }

        /**
         * @return the map
         */
        public NameMap build() {
            return new NameMap(scheme, rules, skipped);
        }
    }
}
