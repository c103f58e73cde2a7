package org.fourier4j.models;

import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reading a {@link MetaFormer}'s configuration back from the shapes of its weights (fourier4j
 * names), for {@link ModelFamily#inferFromWeights}: how many blocks each stage has and how wide it
 * is, the number of classes, and for patch models (a {@code stem.proj} conv and a {@code
 * stem.pos_embed}) the patch size and the image size the position embedding was made for.
 */
public final class WeightShapes {

    private static final Pattern BLOCK = Pattern.compile("^stages\\.(\\d+)\\.blocks\\.(\\d+)\\.");

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
        putClasses(shapes, out);
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

    /**
     * Adds {@code depths} and {@code dims} of a hierarchical model, read off a parameter every
     * block has ({@link #depths(Map, String)}, {@link #widths}), when stage 0 has it.
     *
     * @param shapes fourier4j name to shape
     * @param leaf a parameter every block has whose first dimension is the width, e.g. {@code
     *     norm1.weight}
     * @param out where to put them
     * @return the widths (empty if stage 0 has no such block)
     */
    public static int[] putStages(Map<String, Shape> shapes, String leaf, Map<String, Object> out) {
        int[] dims = widths(shapes, leaf);
        if (dims.length > 0) {
            out.put("depths", depths(shapes, leaf));
            out.put("dims", dims);
        }
        return dims;
    }

    /**
     * The widths of a hierarchical model read off its stem and downsampling layers: the first
     * dimension of {@code stem.<leaf>}, then of {@code stages.<i>.downsample.<leaf>} for i = 1, 2,
     * ... while it exists.
     *
     * @param shapes fourier4j name to shape
     * @param leaf the layer's weight, e.g. {@code conv.weight}
     * @return the widths (empty without a stem layer)
     */
    public static List<Integer> downsamplingWidths(Map<String, Shape> shapes, String leaf) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; ; i++) {
            Shape w = shapes.get(i == 0 ? "stem." + leaf : "stages." + i + ".downsample." + leaf);
            if (w == null) {
                return out;
            }
            out.add(Math.toIntExact(w.get(0)));
        }
    }

    private static String name(int stage, int block, String leaf) {
        return "stages." + stage + ".blocks." + block + "." + leaf;
    }

    /**
     * The number of blocks of each stage that has weights.
     *
     * @param shapes fourier4j name to shape
     * @return one count per stage, stages 0, 1, ... (empty if there are none)
     */
    public static int[] depths(Map<String, Shape> shapes) {
        TreeMap<Integer, TreeSet<Integer>> blocks = new TreeMap<>();
        for (String name : shapes.keySet()) {
            Matcher m = BLOCK.matcher(name);
            if (m.find()) {
                blocks.computeIfAbsent(Integer.parseInt(m.group(1)), k -> new TreeSet<>())
                        .add(Integer.parseInt(m.group(2)));
            }
        }
        int stages = blocks.isEmpty() ? 0 : blocks.lastKey() + 1;
        int[] out = new int[stages];
        blocks.forEach((stage, indices) -> out[stage] = indices.last() + 1);
        return out;
    }

    /**
     * Adds {@code num_classes}, read off the classifier's weight {@code head.fc.weight}.
     *
     * @param shapes fourier4j name to shape
     * @param out where to put it
     */
    public static void putClasses(Map<String, Shape> shapes, Map<String, Object> out) {
        Shape fc = shapes.get("head.fc.weight");
        if (fc != null && fc.dimension() == 2) {
            out.put("num_classes", Math.toIntExact(fc.get(0)));
        }
    }

    /**
     * The stem's patch conv {@code stem.proj.weight} (D, C, P, P).
     *
     * @param shapes fourier4j name to shape
     * @return its shape, or null if there is no such conv
     */
    public static Shape patchConv(Map<String, Shape> shapes) {
        Shape proj = shapes.get("stem.proj.weight");
        return proj != null && proj.dimension() == 4 ? proj : null;
    }

    /**
     * The image size a position embedding {@code stem.pos_embed} (1, N, D) was made for: the side
     * of its square token grid times the patch size.
     *
     * @param shapes fourier4j name to shape
     * @param patch the stem's total stride
     * @param offGrid tokens that are not on the grid (1 for a class token)
     * @return the size, or -1 if there is no position embedding or its grid is not square
     */
    public static int imageSize(Map<String, Shape> shapes, int patch, int offGrid) {
        Shape pos = shapes.get("stem.pos_embed");
        if (pos == null || pos.dimension() != 3) {
            return -1;
        }
        long tokens = pos.get(1) - offGrid;
        long side = Math.round(Math.sqrt(tokens));
        return tokens > 0 && side * side == tokens ? Math.toIntExact(side * patch) : -1;
    }

    /**
     * Adds {@code image_size}, the size a position embedding was made for ({@link #imageSize}),
     * when there is one with a square grid.
     *
     * @param shapes fourier4j name to shape
     * @param patch the stem's total stride
     * @param offGrid tokens that are not on the grid (1 for a class token)
     * @param out where to put it
     */
    public static void putImageSize(
            Map<String, Shape> shapes, int patch, int offGrid, Map<String, Object> out) {
        int size = imageSize(shapes, patch, offGrid);
        if (size > 0) {
            out.put("image_size", size);
        }
    }

    /**
     * What the weights of an isotropic class-token patch model decide (ViT, FiT, FNet): {@code
     * embed_dim}, {@code patch_size}, {@code num_layers}, {@code num_classes}, {@code image_size}.
     *
     * @param shapes fourier4j name to shape
     * @return key to value
     */
    public static Map<String, Object> classTokenModel(Map<String, Shape> shapes) {
        Map<String, Object> out = new LinkedHashMap<>();
        Shape proj = patchConv(shapes);
        if (proj != null) {
            int patch = Math.toIntExact(proj.get(2));
            out.put("embed_dim", Math.toIntExact(proj.get(0)));
            out.put("patch_size", patch);
            putImageSize(shapes, patch, 1, out);
        }
        int[] depths = depths(shapes);
        if (depths.length == 1) {
            out.put("num_layers", depths[0]);
        }
        putClasses(shapes, out);
        return out;
    }
}
