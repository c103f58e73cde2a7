package org.fourier4j.models;

import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reading a {@link MetaFormer}'s configuration back from the shapes of its weights (fourier4j
 * names), for {@link ModelFamily#inferFromWeights}.
 */
public final class WeightShapes {

    private WeightShapes() {}

    /**
     * Starts the answer of {@link ModelFamily#inferFromWeights} with {@code num_classes}, the rows
     * of {@code head.fc.weight}, when that is there.
     *
     * @param shapes fourier4j name to shape
     * @return a mutable map, in insertion order
     */
    public static Map<String, Object> classes(Map<String, Shape> shapes) {
        Map<String, Object> out = new LinkedHashMap<>();
        Shape fc = shapes.get("head.fc.weight");
        if (fc != null) {
            out.put("num_classes", (int) fc.get(0));
        }
        return out;
    }

    /**
     * The number of blocks of each stage: stage s has blocks 0 ... n-1 while {@code
     * stages.<s>.blocks.<j>.<leaf>} exists; stages are counted while their block 0 has it.
     *
     * @param shapes fourier4j name to shape
     * @param leaf a parameter every block has, e.g. {@code norm1.weight}
     * @return the depths (empty if stage 0 has no such block)
     */
    public static int[] depths(Map<String, Shape> shapes, String leaf) {
        List<Integer> out = new ArrayList<>();
        for (int s = 0; shapes.containsKey(name(s, 0, leaf)); s++) {
            int depth = 0;
            while (shapes.containsKey(name(s, depth, leaf))) {
                depth++;
            }
            out.add(depth);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * The first dimension of {@code stages.<s>.blocks.0.<leaf>} for each stage that has it (a
     * norm's weight: the stage's width).
     *
     * @param shapes fourier4j name to shape
     * @param leaf the parameter of block 0
     * @return the widths, one per stage counted as {@link #depths} does
     */
    public static int[] widths(Map<String, Shape> shapes, String leaf) {
        List<Integer> out = new ArrayList<>();
        for (int s = 0; shapes.containsKey(name(s, 0, leaf)); s++) {
            out.add((int) shapes.get(name(s, 0, leaf)).get(0));
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static String name(int stage, int block, String leaf) {
        return "stages." + stage + ".blocks." + block + "." + leaf;
    }
}
