package org.fourier4j.inference;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.fourier4j.models.ModelFamily;
import org.fourier4j.models.NameMap;

/**
 * The naming schemes a family's weights can come in: {@code fourier4j} (our own names, always), and
 * the family's published ones ({@code official}, {@code timm}).
 */
public final class NameSchemes {

    /** fourier4j's own names: no rules. */
    public static final NameMap FOURIER4J = NameMap.builder("fourier4j").build();

    private NameSchemes() {}

    /**
     * Every scheme of a family.
     *
     * @param family the family
     * @return scheme name to map, fourier4j first
     */
    public static Map<String, NameMap> of(ModelFamily family) {
        Map<String, NameMap> out = new LinkedHashMap<>();
        out.put("fourier4j", FOURIER4J);
        out.putAll(new java.util.TreeMap<>(family.nameMaps()));
        return out;
    }

    /**
     * A named scheme of a family.
     *
     * @param family the family
     * @param scheme fourier4j, official, timm
     * @return its map
     * @throws IllegalArgumentException naming the schemes the family has
     */
    public static NameMap get(ModelFamily family, String scheme) {
        Map<String, NameMap> all = of(family);
        NameMap m = all.get(scheme.toLowerCase(Locale.ROOT));
        if (m == null) {
            throw new IllegalArgumentException(
                    "--names "
                            + scheme
                            + ": "
                            + family.name()
                            + " weights come as "
                            + String.join(", ", all.keySet()));
        }
        return m;
    }

    /**
     * The scheme under which the most of a file's names are parameters of the model.
     *
     * @param family the family
     * @param keys the file's tensor names
     * @param parameters the model's fourier4j names
     * @return the best scheme (on a tie fourier4j's own, then official, then the others)
     */
    public static NameMap detect(ModelFamily family, Set<String> keys, Set<String> parameters) {
        List<NameMap> order = new ArrayList<>();
        order.add(FOURIER4J);
        NameMap official = family.nameMaps().get("official");
        if (official != null) {
            order.add(official);
        }
        new java.util.TreeMap<>(family.nameMaps())
                .values()
                .forEach(
                        m -> {
                            if (m != official) {
                                order.add(m);
                            }
                        });
        NameMap best = FOURIER4J;
        long bestScore = -1;
        for (NameMap m : order) {
            long score =
                    keys.stream()
                            .filter(k -> !m.isSkipped(k))
                            .filter(k -> parameters.contains(m.toFourier4j(k)))
                            .count();
            if (score > bestScore) {
                best = m;
                bestScore = score;
            }
        }
        return best;
    }
}
