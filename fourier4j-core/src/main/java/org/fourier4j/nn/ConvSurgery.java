package org.fourier4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.BlockList;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.fourier4j.fft.ConvAlgorithm;

/**
 * Replaces the DJL convolutions of any block tree by FFT-capable blocks with the same weights.
 *
 * <p>Every {@link Conv1d}, {@link Conv2d} and {@link Conv3d} (exactly those classes, not
 * subclasses, which may behave differently) whose largest kernel side is at least {@code minKernel}
 * becomes an {@link FftConv1d}/{@link FftConv2d}/{@link FftConv3d} that takes over its parameter
 * objects, so trained weights and optimiser state carry over. With a sample input, each replaced
 * layer is first run side by side with its original on the activations the sample produces at that
 * layer, and the report gives the largest output difference per layer.
 *
 * <p>How: a child is swapped in its parent's child list, and in any field of the parent (or list or
 * array held in a field) that refers to it, so blocks that keep their children in fields (the usual
 * style) call the new block. This uses reflection on {@code AbstractBlock} and the parents' own
 * classes; a parent that is not an {@code AbstractBlock} gets a clear error. Run the surgery before
 * creating a {@code Trainer} or {@code Predictor} for the model.
 */
public final class ConvSurgery {

    /**
     * One replaced layer.
     *
     * @param path the layer's path of child names from the root, e.g. {@code 01stage/03conv}
     * @param original the original block's description
     * @param kernel the kernel shape
     * @param maxAbsDifference max |new - original| on the sample, or NaN without a sample
     * @param maxRelDifference max |new - original| / max |original| on the sample, or NaN without a
     *     sample
     */
    public record Replacement(
            String path,
            String original,
            Shape kernel,
            double maxAbsDifference,
            double maxRelDifference) {

        @Override
        public String toString() {
            return String.format(
                    java.util.Locale.ROOT,
                    "%s  %s  kernel %s  max|diff| %.3g  rel %.3g",
                    path,
                    original,
                    kernel,
                    maxAbsDifference,
                    maxRelDifference);
        }
    }

    private ConvSurgery() {}

    /**
     * Replaces every DJL convolution with a kernel side of at least {@code minKernel}.
     *
     * @param root the model's block
     * @param minKernel the smallest kernel side to replace (1 = all)
     * @param algorithm how the new blocks compute (AUTO, FFT or DIRECT)
     * @return the replaced layers, in tree order
     */
    public static List<Replacement> toFft(Block root, int minKernel, ConvAlgorithm algorithm) {
        List<Replacement> out = new ArrayList<>();
        for (Site s : find(root, minKernel)) {
            FftConvBlock fft = convert(s.conv, algorithm);
            replaceChild(s.parent, s.name, s.conv, fft);
            out.add(
                    new Replacement(
                            s.path,
                            FftConvBlock.describe(s.conv),
                            s.conv.getKernelShape(),
                            Double.NaN,
                            Double.NaN));
        }
        return out;
    }

    /**
     * Replaces every DJL convolution with a kernel side of at least {@code minKernel}, and reports
     * per layer the largest output difference on a sample input: the sample runs once through the
     * model (inference mode) with each replaced layer computing both versions on its actual input.
     *
     * @param root the model's block, initialised
     * @param minKernel the smallest kernel side to replace (1 = all)
     * @param algorithm how the new blocks compute (AUTO, FFT or DIRECT)
     * @param manager the manager for the sample run's arrays
     * @param sample the model's input
     * @return the replaced layers with their differences, in tree order
     */
    public static List<Replacement> toFft(
            Block root, int minKernel, ConvAlgorithm algorithm, NDManager manager, NDList sample) {
        if (!root.isInitialized()) {
            throw new IllegalArgumentException(
                    "ConvSurgery: the model must be initialised to compare outputs on a sample");
        }
        List<Site> sites = find(root, minKernel);
        List<Probe> probes = new ArrayList<>();
        for (Site s : sites) {
            Probe p = new Probe(s.conv, convert(s.conv, algorithm));
            replaceChild(s.parent, s.name, s.conv, p);
            probes.add(p);
        }
        try (NDManager scope = manager.newSubManager()) {
            root.forward(new ParameterStore(scope, false), sample, false);
        } finally {
            for (int i = 0; i < sites.size(); i++) {
                Site s = sites.get(i);
                replaceChild(s.parent, s.name, probes.get(i), probes.get(i).replacement);
            }
        }
        List<Replacement> out = new ArrayList<>();
        for (int i = 0; i < sites.size(); i++) {
            Site s = sites.get(i);
            Probe p = probes.get(i);
            out.add(
                    new Replacement(
                            s.path,
                            FftConvBlock.describe(s.conv),
                            s.conv.getKernelShape(),
                            p.seen ? p.maxAbs : Double.NaN,
                            p.seen
                                    ? (p.maxRef == 0 ? p.maxAbs : p.maxAbs / p.maxRef)
                                    : Double.NaN));
        }
        return out;
    }

    /** A convolution to replace, with its parent and its key in the parent's child list. */
    private static final class Site {
        final Block parent;
        final String name;
        final String path;
        final Convolution conv;

        Site(Block parent, String name, String path, Convolution conv) {
            this.parent = parent;
            this.name = name;
            this.path = path;
            this.conv = conv;
        }
    }

    private static List<Site> find(Block root, int minKernel) {
        if (minKernel < 1) {
            throw new IllegalArgumentException(
                    "ConvSurgery: minKernel must be at least 1, got " + minKernel);
        }
        List<Site> sites = new ArrayList<>();
        collect(root, "", minKernel, sites);
        return sites;
    }

    private static void collect(Block block, String path, int minKernel, List<Site> sites) {
        for (Pair<String, Block> child : block.getChildren()) {
            String childPath = path.isEmpty() ? child.getKey() : path + "/" + child.getKey();
            Block c = child.getValue();
            if (isDjlConvolution(c) && maxSide(((Convolution) c).getKernelShape()) >= minKernel) {
                sites.add(new Site(block, child.getKey(), childPath, (Convolution) c));
            } else {
                collect(c, childPath, minKernel, sites);
            }
        }
    }

    private static boolean isDjlConvolution(Block b) {
        Class<?> c = b.getClass();
        return c == Conv1d.class || c == Conv2d.class || c == Conv3d.class;
    }

    private static long maxSide(Shape kernel) {
        long max = 0;
        for (long k : kernel.getShape()) {
            max = Math.max(max, k);
        }
        return max;
    }

    private static FftConvBlock convert(Convolution conv, ConvAlgorithm algorithm) {
        if (conv instanceof Conv1d) {
            return FftConv1d.from((Conv1d) conv, algorithm);
        }
        if (conv instanceof Conv2d) {
            return FftConv2d.from((Conv2d) conv, algorithm);
        }
        return FftConv3d.from((Conv3d) conv, algorithm);
    }

    /** Swaps {@code oldChild} for {@code newChild} in the parent's child list and fields. */
    static void replaceChild(Block parent, String key, Block oldChild, Block newChild) {
        if (!(parent instanceof AbstractBlock)) {
            throw new IllegalArgumentException(
                    "ConvSurgery: cannot replace a child of "
                            + parent.getClass().getName()
                            + ", which is not an AbstractBlock");
        }
        BlockList children = (BlockList) read(field(AbstractBlock.class, "children"), parent);
        int index = children.indexOf(key);
        if (index < 0 || children.get(index).getValue() != oldChild) {
            throw new IllegalStateException(
                    "ConvSurgery: child " + key + " not found in its parent");
        }
        children.remove(index);
        children.add(index, key, newChild);
        for (Class<?> c = parent.getClass();
                c != null && c != AbstractBlock.class;
                c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) {
                    continue;
                }
                Object value = read(f, parent);
                if (value == oldChild) {
                    if (!f.getType().isInstance(newChild)) {
                        throw new IllegalArgumentException(
                                "ConvSurgery: field "
                                        + c.getSimpleName()
                                        + "."
                                        + f.getName()
                                        + " has type "
                                        + f.getType().getSimpleName()
                                        + ", which cannot hold "
                                        + newChild.getClass().getSimpleName()
                                        + "; declare it as Block or Convolution");
                    }
                    write(f, parent, newChild);
                } else if (value instanceof List) {
                    replaceInList((List<?>) value, oldChild, newChild);
                } else if (value instanceof PairList) {
                    replaceInPairList((PairList<?, ?>) value, oldChild, newChild);
                } else if (value instanceof Block[]) {
                    Block[] array = (Block[]) value;
                    for (int i = 0; i < array.length; i++) {
                        if (array[i] == oldChild) {
                            array[i] = newChild;
                        }
                    }
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void replaceInList(List<?> list, Block oldChild, Block newChild) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) == oldChild) {
                ((List<Object>) list).set(i, newChild);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void replaceInPairList(PairList<?, ?> list, Block oldChild, Block newChild) {
        for (int i = 0; i < list.size(); i++) {
            if (list.valueAt(i) == oldChild) {
                Object key = list.keyAt(i);
                list.remove(i);
                ((PairList<Object, Object>) list).add(i, key, newChild);
            }
        }
    }

    private static Field field(Class<?> c, String name) {
        try {
            Field f = c.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(
                    "DJL's " + c.getSimpleName() + " has no field " + name, e);
        }
    }

    private static Object read(Field f, Object target) {
        try {
            f.setAccessible(true);
            return f.get(target);
        } catch (IllegalAccessException | RuntimeException e) {
            return null;
        }
    }

    private static void write(Field f, Object target, Object value) {
        try {
            f.setAccessible(true);
            f.set(target, value);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("ConvSurgery: cannot set field " + f, e);
        }
    }

    /** Runs the original and the replacement on the same input and records their difference. */
    private static final class Probe extends AbstractBlock {
        final Convolution original;
        final Block replacement;
        boolean seen;
        double maxAbs;
        double maxRef;

        Probe(Convolution original, FftConvBlock replacement) {
            this.original = original;
            this.replacement = replacement;
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps,
                NDList inputs,
                boolean training,
                PairList<String, Object> params) {
            NDList expected = original.forward(ps, inputs, training, params);
            NDArray actual = replacement.forward(ps, inputs, training, params).singletonOrThrow();
            NDArray ref = expected.singletonOrThrow();
            double diff =
                    actual.sub(ref)
                            .abs()
                            .max()
                            .toType(ai.djl.ndarray.types.DataType.FLOAT64, false)
                            .getDouble();
            double scale =
                    ref.abs()
                            .max()
                            .toType(ai.djl.ndarray.types.DataType.FLOAT64, false)
                            .getDouble();
            maxAbs = Math.max(maxAbs, diff);
            maxRef = Math.max(maxRef, scale);
            seen = true;
            return expected;
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return original.getOutputShapes(inputShapes);
        }
    }
}
