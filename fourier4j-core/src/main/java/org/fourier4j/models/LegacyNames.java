package org.fourier4j.models;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fourier4j.nn.ParameterNames;

/**
 * Reads parameters saved before fourier4j 0.2 restructured the zoo onto the {@link MetaFormer}
 * skeleton. Those files name parameters by DJL's internal paths ({@code
 * 02stage0_01ConvNextBlock_01conv_dw_weight}); the restructured families create their parameters in
 * the same order with the same shapes, so an old file maps onto a new model position by position,
 * and every shape is checked: a file that does not line up is refused, never loaded half-way.
 */
public final class LegacyNames {

    private LegacyNames() {}

    /**
     * Maps old parameter names onto a model's fourier4j names.
     *
     * @param model the (initialised) model the parameters are for
     * @param oldNames the old names, in the file's (DJL's) order
     * @param oldShapes their shapes
     * @return old name to fourier4j name, in order
     * @throws IllegalArgumentException naming the first position where count or shape differ
     */
    public static Map<String, String> migrate(
            Block model, List<String> oldNames, List<Shape> oldShapes) {
        List<Pair<String, Parameter>> current = new ArrayList<>();
        model.getParameters().forEach(current::add);
        Map<String, String> names = ParameterNames.byDjlPath(model);
        if (current.size() != oldNames.size()) {
            throw new IllegalArgumentException(
                    "parameters saved by an older fourier4j do not line up with this model: "
                            + oldNames.size()
                            + " saved, "
                            + current.size()
                            + " in the model");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < current.size(); i++) {
            Parameter p = current.get(i).getValue();
            Shape have = p.getArray().getShape();
            if (!have.equals(oldShapes.get(i))) {
                throw new IllegalArgumentException(
                        "parameters saved by an older fourier4j do not line up with this model at"
                                + " position "
                                + i
                                + ": saved "
                                + oldNames.get(i)
                                + " "
                                + oldShapes.get(i)
                                + ", model "
                                + names.get(current.get(i).getKey())
                                + " "
                                + have);
            }
            out.put(oldNames.get(i), names.get(current.get(i).getKey()));
        }
        return out;
    }

    /**
     * Whether names come from before the restructuring: DJL paths start with a two-digit ordering
     * prefix, fourier4j names never do.
     *
     * @param names parameter names of a file
     * @return whether they are old DJL paths
     */
    public static boolean isLegacy(List<String> names) {
        return !names.isEmpty() && names.stream().allMatch(n -> n.matches("^\\d\\d[A-Za-z].*"));
    }
}
