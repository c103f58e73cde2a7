package org.fourier4j.onnx.graph;

import java.util.Arrays;
import java.util.List;
import org.fourier4j.onnx.proto.Onnx.AttributeProto;
import org.fourier4j.onnx.proto.Onnx.TensorProto.DataType;

/**
 * The shape operators of {@link OnnxOps} (reshape, transpose, concatenation, slices, padding,
 * broadcasting to the batch): each adds one node, or a few, and computes its output's static shape
 * and batch axis.
 */
public class ShapeOps {

    /** Marks the batch axis in a {@link #reshape} target (passed to ONNX as -1: inferred). */
    public static final long BATCH = -1;

    /** The graph nodes are added to. */
    protected final OnnxGraphBuilder g;

    /**
     * @param graph the graph to add nodes to
     */
    protected ShapeOps(OnnxGraphBuilder graph) {
        this.g = graph;
    }

    /**
     * @return the graph
     */
    public OnnxGraphBuilder graph() {
        return g;
    }

    /** Adds a float node with one output of the given shape. */
    protected OnnxValue op(
            String type, long[] shape, int batchAxis, List<OnnxValue> in, AttributeProto... a) {
        return g.node(type, in, shape, batchAxis, DataType.FLOAT, a);
    }

    /**
     * Reshapes; the batch axis of the target is given as {@link #BATCH}.
     *
     * @param x the value
     * @param target the new shape, with {@link #BATCH} where the batch goes (if x has one)
     * @return the reshaped value
     */
    public OnnxValue reshape(OnnxValue x, long... target) {
        long[] out = target.clone();
        int batch = -1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == BATCH) {
                if (batch >= 0 || x.batchAxis() < 0) {
                    throw new IllegalArgumentException(
                            "Reshape of "
                                    + x
                                    + ": the target "
                                    + Arrays.toString(target)
                                    + " has a misplaced batch marker");
                }
                batch = i;
                out[i] = x.dim(x.batchAxis());
            } else if (out[i] < 1) {
                throw new IllegalArgumentException(
                        "Reshape of " + x + ": invalid target " + Arrays.toString(target));
            }
        }
        if (x.batchAxis() >= 0 && batch < 0) {
            throw new IllegalArgumentException(
                    "Reshape of "
                            + x
                            + ": the target "
                            + Arrays.toString(target)
                            + " must mark the batch axis");
        }
        long n = 1;
        for (long d : out) {
            n *= d;
        }
        if (n != x.size()) {
            throw new IllegalArgumentException(
                    "Reshape of " + x + " to " + Arrays.toString(out) + ": sizes differ");
        }
        if (Arrays.equals(out, x.shape())) {
            return x;
        }
        return op("Reshape", out, batch, List.of(x, g.longs(target)));
    }

    /**
     * @param x the value
     * @param perm the permutation: output axis i is input axis perm[i]
     * @return the transposed value
     */
    public OnnxValue transpose(OnnxValue x, int... perm) {
        if (perm.length != x.rank()) {
            throw new IllegalArgumentException(
                    "Transpose of " + x + ": permutation " + Arrays.toString(perm));
        }
        long[] in = x.shape();
        long[] out = new long[perm.length];
        long[] attr = new long[perm.length];
        int batch = -1;
        boolean identity = true;
        for (int i = 0; i < perm.length; i++) {
            out[i] = in[perm[i]];
            attr[i] = perm[i];
            identity &= perm[i] == i;
            if (perm[i] == x.batchAxis()) {
                batch = i;
            }
        }
        return identity
                ? x
                : op("Transpose", out, batch, List.of(x), Attributes.ints("perm", attr));
    }

    /**
     * @param axis the axis
     * @param parts the values, equal except along the axis
     * @return their concatenation
     */
    public OnnxValue concat(int axis, OnnxValue... parts) {
        OnnxValue first = parts[0];
        int a = first.axis(axis);
        long[] out = first.shape();
        out[a] = 0;
        for (OnnxValue p : parts) {
            long[] s = p.shape();
            for (int i = 0; i < s.length; i++) {
                if (i != a && s[i] != out[i]) {
                    throw new IllegalArgumentException(
                            "Concat: " + p + " does not fit " + first + " on axis " + a);
                }
            }
            out[a] += s[a];
        }
        int batch = first.batchAxis();
        for (OnnxValue p : parts) {
            batch = Math.max(batch, p.batchAxis());
        }
        return op("Concat", out, batch, List.of(parts), Attributes.of("axis", (long) a));
    }

    /**
     * Takes {@code [start, end)} of one axis.
     *
     * @param x the value
     * @param axis the axis (not the batch axis)
     * @param start first index
     * @param end index past the last
     * @return the slice
     */
    public OnnxValue slice(OnnxValue x, int axis, long start, long end) {
        int a = x.axis(axis);
        if (a == x.batchAxis() || start < 0 || end > x.dim(a) || start >= end) {
            throw new IllegalArgumentException(
                    "Slice of " + x + ": invalid range [" + start + ", " + end + ") on axis " + a);
        }
        if (start == 0 && end == x.dim(a)) {
            return x;
        }
        long[] out = x.shape();
        out[a] = end - start;
        return op(
                "Slice", out, x.batchAxis(), List.of(x, g.longs(start), g.longs(end), g.longs(a)));
    }

    /**
     * Takes the entries at constant indices along one axis ({@code Gather}).
     *
     * @param x the value
     * @param axis the axis (not the batch axis)
     * @param indices the indices, each in [0, size)
     * @return the gathered value, {@code indices.length} long on the axis
     */
    public OnnxValue gather(OnnxValue x, int axis, long[] indices) {
        int a = x.axis(axis);
        if (a == x.batchAxis()) {
            throw new IllegalArgumentException("cannot gather along the batch axis of " + x);
        }
        for (long i : indices) {
            if (i < 0 || i >= x.dim(a)) {
                throw new IllegalArgumentException(
                        "Gather of " + x + ": index " + i + " out of range on axis " + a);
            }
        }
        long[] out = x.shape();
        out[a] = indices.length;
        return op(
                "Gather",
                out,
                x.batchAxis(),
                List.of(x, g.longs(indices)),
                Attributes.of("axis", (long) a));
    }

    /**
     * Reverses one axis.
     *
     * @param x the value
     * @param axis the axis (not the batch axis)
     * @return the reversed value
     */
    public OnnxValue reverse(OnnxValue x, int axis) {
        int a = x.axis(axis);
        if (a == x.batchAxis()) {
            throw new IllegalArgumentException("cannot reverse the batch axis of " + x);
        }
        if (x.dim(a) == 1) {
            return x;
        }
        return op(
                "Slice",
                x.shape(),
                x.batchAxis(),
                List.of(x, g.longs(-1), g.longs(Long.MIN_VALUE), g.longs(a), g.longs(-1)));
    }

    /**
     * @param x the value
     * @param axis where the new axis of size 1 goes (in the output)
     * @return the value with one more axis
     */
    public OnnxValue unsqueeze(OnnxValue x, int axis) {
        int a = axis < 0 ? axis + x.rank() + 1 : axis;
        long[] in = x.shape();
        long[] out = new long[in.length + 1];
        for (int i = 0, j = 0; i < out.length; i++) {
            out[i] = i == a ? 1 : in[j++];
        }
        int batch =
                x.batchAxis() < 0 ? -1 : (x.batchAxis() >= a ? x.batchAxis() + 1 : x.batchAxis());
        return op("Unsqueeze", out, batch, List.of(x, g.longs(a)));
    }

    /**
     * @param x the value
     * @param axis an axis of size 1 to remove
     * @return the value with one axis less
     */
    public OnnxValue squeeze(OnnxValue x, int axis) {
        int a = x.axis(axis);
        if (x.dim(a) != 1 || a == x.batchAxis()) {
            throw new IllegalArgumentException(
                    "Squeeze of " + x + ": axis " + a + " is not a size-1 axis");
        }
        long[] in = x.shape();
        long[] out = new long[in.length - 1];
        for (int i = 0, j = 0; i < in.length; i++) {
            if (i != a) {
                out[j++] = in[i];
            }
        }
        int batch =
                x.batchAxis() < 0 ? -1 : (x.batchAxis() > a ? x.batchAxis() - 1 : x.batchAxis());
        return op("Squeeze", out, batch, List.of(x, g.longs(a)));
    }

    /**
     * Flattens to 2-D: axes before {@code axis} into the first, the rest into the second.
     *
     * @param x the value (batch axis 0 or none)
     * @param axis the split point
     * @return the 2-D value
     */
    public OnnxValue flatten(OnnxValue x, int axis) {
        long outer = 1;
        long inner = 1;
        for (int i = 0; i < x.rank(); i++) {
            if (i < axis) {
                outer *= x.dim(i);
            } else {
                inner *= x.dim(i);
            }
        }
        if (x.batchAxis() > 0 || (x.batchAxis() == 0 && axis != 1)) {
            throw new IllegalArgumentException(
                    "Flatten of " + x + " at axis " + axis + " would mix the batch");
        }
        return op(
                "Flatten",
                new long[] {outer, inner},
                x.batchAxis(),
                List.of(x),
                Attributes.of("axis", (long) axis));
    }

    /**
     * Pads the axes of x (all of them: one entry per axis in each array).
     *
     * @param x the value
     * @param begin amounts before
     * @param end amounts after
     * @param mode {@code constant} (zeros), {@code reflect}, {@code edge} or {@code wrap} (opset
     *     19)
     * @return the padded value
     */
    public OnnxValue pad(OnnxValue x, long[] begin, long[] end, String mode) {
        if ("wrap".equals(mode) && g.opset() < 19) {
            throw new IllegalArgumentException(
                    "Pad mode wrap needs opset 19, the graph has " + g.opset());
        }
        long[] out = x.shape();
        long[] pads = new long[2 * out.length];
        boolean none = true;
        for (int i = 0; i < out.length; i++) {
            out[i] += begin[i] + end[i];
            pads[i] = begin[i];
            pads[out.length + i] = end[i];
            none &= begin[i] == 0 && end[i] == 0;
        }
        if (none) {
            return x;
        }
        return op(
                "Pad", out, x.batchAxis(), List.of(x, g.longs(pads)), Attributes.of("mode", mode));
    }

    /**
     * Repeats a constant along a new leading batch axis to the batch size of {@code like}.
     *
     * @param constant a value without batch axis whose first axis has size 1
     * @param like a value whose batch axis is 0
     * @return the constant broadcast to (B, ...)
     */
    public OnnxValue expandToBatch(OnnxValue constant, OnnxValue like) {
        if (like.batchAxis() != 0 || constant.batchAxis() >= 0 || constant.dim(0) != 1) {
            throw new IllegalArgumentException(
                    "cannot expand " + constant + " to the batch of " + like);
        }
        OnnxValue shape =
                g.node("Shape", List.of(like), new long[] {like.rank()}, -1, DataType.INT64);
        OnnxValue batch =
                g.node(
                        "Slice",
                        List.of(shape, g.longs(0), g.longs(1)),
                        new long[] {1},
                        -1,
                        DataType.INT64);
        long[] rest = constant.shape();
        long[] tail = Arrays.copyOfRange(rest, 1, rest.length);
        OnnxValue target =
                g.node(
                        "Concat",
                        List.of(batch, g.longs(tail)),
                        new long[] {rest.length},
                        -1,
                        DataType.INT64,
                        Attributes.of("axis", 0L));
        long[] out = constant.shape();
        out[0] = like.dim(0);
        return op("Expand", out, 0, List.of(constant, target));
    }
}
