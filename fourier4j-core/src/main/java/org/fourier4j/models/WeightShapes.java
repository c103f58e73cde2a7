package org.fourier4j.models;

import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a family's structure from the shapes of a set of weights named by fourier4j's names ({@code
 * stem}, {@code stages.<i>.downsample}, {@code stages.<i>.blocks.<j>}, {@code head.fc}), for {@link
 * ModelFamily#inferFromWeights}.
 */
public final class WeightShapes {

    private static final Pattern BLOCK = Pattern.compile("^stages\\.(\\d+)\\.blocks\\.(\\d+)\\.");
    private static final Pattern STAGE = Pattern.compile("^stages\\.(\\d+)\\.");

    private final Map<String, Shape> shapes;

    /**
     * Wraps a set of shapes.
     *
     * @param shapes fourier4j name to shape
     */
    public WeightShapes(Map<String, Shape> shapes) {
        this.shapes = shapes;
    }

    /**
     * @param name a fourier4j name
     * @return its shape, or null if absent
     */
    public Shape get(String name) {
        return shapes.get(name);
    }

    /**
     * @param name a fourier4j name
     * @return whether the weights have it
     */
    public boolean has(String name) {
        return shapes.containsKey(name);
    }

    /**
     * @param name a fourier4j name
     * @param axis an axis
     * @return the size of that axis, or -1 if the name is absent
     */
    public long size(String name, int axis) {
        Shape s = shapes.get(name);
        return s == null ? -1 : s.get(axis);
    }

    /**
     * @param fragment a piece of a name
     * @return whether some name contains it
     */
    public boolean anyContains(String fragment) {
        return shapes.keySet().stream().anyMatch(n -> n.contains(fragment));
    }

    /**
     * @return the number of stages ({@code stages.<i>.} present, counted up to the largest i)
     */
    public int stages() {
        return 1 + maxIndex(STAGE, -1, 1);
    }

    /**
     * @param stage a stage
     * @return the number of blocks in it (the largest {@code j} of {@code
     *     stages.<stage>.blocks.<j>} plus one, 0 if none)
     */
    public int blocks(int stage) {
        return 1 + maxIndex(BLOCK, stage, 2);
    }

    /** The largest group {@code group} over names matching, restricted to a stage if >= 0. */
    private int maxIndex(Pattern p, int stage, int group) {
        int max = -1;
        for (String n : shapes.keySet()) {
            Matcher m = p.matcher(n);
            if (m.find() && (stage < 0 || Integer.parseInt(m.group(1)) == stage)) {
                max = Math.max(max, Integer.parseInt(m.group(group)));
            }
        }
        return max;
    }

    /**
     * @return the number of classes of a {@link ClassifierHead}'s {@code head.fc}, or -1
     */
    public int numClasses() {
        return (int) size("head.fc.weight", 0);
    }

    /**
     * Puts a per-stage value when every stage has it.
     *
     * @param out the inferred values
     * @param key the override key
     * @param values one per stage, -1 (or 0) where the weights did not tell
     */
    public static void putIfKnown(Map<String, Object> out, String key, List<Integer> values) {
        if (values.stream().allMatch(v -> v > 0)) {
            out.put(key, values);
        }
    }
}
