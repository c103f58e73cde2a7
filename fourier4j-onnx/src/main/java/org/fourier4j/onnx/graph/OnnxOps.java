package org.fourier4j.onnx.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fourier4j.onnx.proto.Onnx.AttributeProto;

/**
 * Operator helpers on an {@link OnnxGraphBuilder}: each adds one node (or a few) and computes the
 * static shape of its output, so that exporters can read shapes as they go. Operators whose inputs
 * or attributes changed between opsets ({@code ReduceMean}, {@code Gelu}) are written in the form
 * of the builder's opset.
 */
public final class OnnxOps extends ShapeOps {

    /**
     * Creates the helpers.
     *
     * @param graph the graph to add nodes to
     */
    public OnnxOps(OnnxGraphBuilder graph) {
        super(graph);
    }

    private OnnxValue unary(String type, OnnxValue x, AttributeProto... a) {
        return op(type, x.shape(), x.batchAxis(), List.of(x), a);
    }

    /**
     * Adds an elementwise operator with one input (output shaped like it), e.g. {@code Softsign}.
     *
     * @param type the operator
     * @param x the input
     * @param attributes its attributes
     * @return the output
     */
    public OnnxValue elementwise(String type, OnnxValue x, AttributeProto... attributes) {
        return unary(type, x, attributes);
    }

    // ---- elementwise ----

    /**
     * @param a left
     * @param b right
     * @return {@code a + b} (broadcast)
     */
    public OnnxValue add(OnnxValue a, OnnxValue b) {
        return binary("Add", a, b);
    }

    /**
     * @param a left
     * @param b right
     * @return {@code a - b} (broadcast)
     */
    public OnnxValue sub(OnnxValue a, OnnxValue b) {
        return binary("Sub", a, b);
    }

    /**
     * @param a left
     * @param b right
     * @return {@code a * b} (broadcast)
     */
    public OnnxValue mul(OnnxValue a, OnnxValue b) {
        return binary("Mul", a, b);
    }

    /**
     * @param a left
     * @param b right
     * @return {@code a / b} (broadcast)
     */
    public OnnxValue div(OnnxValue a, OnnxValue b) {
        return binary("Div", a, b);
    }

    /**
     * @param x the value
     * @param s the factor
     * @return {@code x * s} (no node when s is 1)
     */
    public OnnxValue scale(OnnxValue x, double s) {
        return s == 1 ? x : mul(x, g.scalar((float) s));
    }

    /**
     * @param x the value
     * @param s the term
     * @return {@code x + s}
     */
    public OnnxValue addScalar(OnnxValue x, double s) {
        return add(x, g.scalar((float) s));
    }

    private OnnxValue binary(String type, OnnxValue a, OnnxValue b) {
        int rank = Math.max(a.rank(), b.rank());
        long[] out = new long[rank];
        long[] sa = a.shape();
        long[] sb = b.shape();
        for (int i = 0; i < rank; i++) {
            long da = i - (rank - sa.length) >= 0 ? sa[i - (rank - sa.length)] : 1;
            long db = i - (rank - sb.length) >= 0 ? sb[i - (rank - sb.length)] : 1;
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(
                        type + ": shapes " + a + " and " + b + " do not broadcast");
            }
            out[i] = Math.max(da, db);
        }
        int batch = -1;
        if (a.batchAxis() >= 0) {
            batch = a.batchAxis() + rank - sa.length;
        } else if (b.batchAxis() >= 0) {
            batch = b.batchAxis() + rank - sb.length;
        }
        return op(type, out, batch, List.of(a, b));
    }

    /**
     * @param x the value
     * @return {@code -x}
     */
    public OnnxValue neg(OnnxValue x) {
        return unary("Neg", x);
    }

    /**
     * @param x the value
     * @return ReLU
     */
    public OnnxValue relu(OnnxValue x) {
        return unary("Relu", x);
    }

    /**
     * @param x the value
     * @return the logistic sigmoid
     */
    public OnnxValue sigmoid(OnnxValue x) {
        return unary("Sigmoid", x);
    }

    /**
     * @param x the value
     * @return tanh
     */
    public OnnxValue tanh(OnnxValue x) {
        return unary("Tanh", x);
    }

    /**
     * @param x the value
     * @return the error function
     */
    public OnnxValue erf(OnnxValue x) {
        return unary("Erf", x);
    }

    /**
     * @param x the value
     * @return the square root
     */
    public OnnxValue sqrt(OnnxValue x) {
        return unary("Sqrt", x);
    }

    /**
     * @param x the value
     * @return the absolute value
     */
    public OnnxValue abs(OnnxValue x) {
        return unary("Abs", x);
    }

    /**
     * @param x the value
     * @return {@code log(1 + exp(x))}
     */
    public OnnxValue softplus(OnnxValue x) {
        return unary("Softplus", x);
    }

    /**
     * @param x the value
     * @param axis the axis
     * @return the softmax over the axis
     */
    public OnnxValue softmax(OnnxValue x, int axis) {
        return unary("Softmax", x, Attributes.of("axis", (long) x.axis(axis)));
    }

    /**
     * @param x the value
     * @param min the lower bound
     * @param max the upper bound
     * @return x clipped to [min, max]
     */
    public OnnxValue clip(OnnxValue x, double min, double max) {
        return op(
                "Clip",
                x.shape(),
                x.batchAxis(),
                List.of(x, g.scalar((float) min), g.scalar((float) max)));
    }

    /**
     * Soft shrinkage: {@code x - lambda} above lambda, {@code x + lambda} below -lambda, else 0.
     *
     * @param x the value
     * @param lambda the threshold
     * @return the shrunk value
     */
    public OnnxValue softShrink(OnnxValue x, double lambda) {
        return unary(
                "Shrink",
                x,
                Attributes.of("lambd", (float) lambda),
                Attributes.of("bias", (float) lambda));
    }

    /**
     * GELU, exact (erf) or in its tanh form: the {@code Gelu} operator from opset 20, else its
     * formula.
     *
     * @param x the value
     * @param tanh true for the tanh approximation
     * @return GELU(x)
     */
    public OnnxValue gelu(OnnxValue x, boolean tanh) {
        if (g.opset() >= 20) {
            return unary("Gelu", x, Attributes.of("approximate", tanh ? "tanh" : "none"));
        }
        if (!tanh) {
            // 0.5 x (1 + erf(x / sqrt 2)): the pattern ONNX Runtime fuses into one kernel
            OnnxValue e = erf(div(x, g.scalar((float) Math.sqrt(2))));
            return mul(mul(x, addScalar(e, 1)), g.scalar(0.5f));
        }
        OnnxValue cube = mul(mul(x, x), x);
        OnnxValue inner = scale(add(x, scale(cube, 0.044715)), Math.sqrt(2 / Math.PI));
        return mul(mul(x, addScalar(tanh(inner), 1)), g.scalar(0.5f));
    }

    // ---- products and convolutions ----

    /**
     * Matrix product with NumPy broadcasting of the leading axes (both operands of rank 2 or more).
     *
     * @param a (..., n, k)
     * @param b (..., k, m)
     * @return (..., n, m)
     */
    public OnnxValue matMul(OnnxValue a, OnnxValue b) {
        if (a.rank() < 2 || b.rank() < 2 || a.dim(-1) != b.dim(-2)) {
            throw new IllegalArgumentException("MatMul: shapes " + a + " and " + b + " do not fit");
        }
        int rank = Math.max(a.rank(), b.rank());
        long[] sa = a.shape();
        long[] sb = b.shape();
        long[] out = new long[rank];
        for (int i = 0; i < rank - 2; i++) {
            int ia = i - (rank - sa.length);
            int ib = i - (rank - sb.length);
            long da = ia >= 0 ? sa[ia] : 1;
            long db = ib >= 0 ? sb[ib] : 1;
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(
                        "MatMul: batch axes of " + a + " and " + b + " do not broadcast");
            }
            out[i] = Math.max(da, db);
        }
        out[rank - 2] = a.dim(-2);
        out[rank - 1] = b.dim(-1);
        int batch = -1;
        if (a.batchAxis() == sa.length - 1 || b.batchAxis() == sb.length - 2) {
            throw new IllegalArgumentException(
                    "MatMul: the batch axis of " + a + " or " + b + " would be contracted");
        }
        if (a.batchAxis() >= 0) {
            batch = a.batchAxis() + rank - sa.length;
        } else if (b.batchAxis() >= 0) {
            batch = b.batchAxis() + rank - sb.length;
        }
        return op("MatMul", out, batch, List.of(a, b));
    }

    /**
     * Convolution (cross-correlation) over (N, C, *spatial).
     *
     * @param x the input
     * @param w the weight (O, C/group, *kernel)
     * @param b the bias (O), or null
     * @param padBegin padding before, per spatial axis
     * @param padEnd padding after, per spatial axis
     * @param strides per spatial axis
     * @param dilations per spatial axis
     * @param group the group count
     * @return (N, O, *out)
     */
    public OnnxValue conv(
            OnnxValue x,
            OnnxValue w,
            OnnxValue b,
            long[] padBegin,
            long[] padEnd,
            long[] strides,
            long[] dilations,
            long group) {
        int dims = x.rank() - 2;
        if (w.rank() != dims + 2 || w.dim(1) * group != x.dim(1)) {
            throw new IllegalArgumentException(
                    "Conv: weight " + w + " does not fit input " + x + " with group " + group);
        }
        long[] out = new long[dims + 2];
        out[0] = x.dim(0);
        out[1] = w.dim(0);
        long[] kernel = new long[dims];
        for (int i = 0; i < dims; i++) {
            kernel[i] = w.dim(2 + i);
            long dilated = dilations[i] * (kernel[i] - 1) + 1;
            out[2 + i] = (x.dim(2 + i) + padBegin[i] + padEnd[i] - dilated) / strides[i] + 1;
            if (out[2 + i] < 1) {
                throw new IllegalArgumentException(
                        "Conv: empty output for input " + x + " and weight " + w);
            }
        }
        long[] pads = new long[2 * dims];
        System.arraycopy(padBegin, 0, pads, 0, dims);
        System.arraycopy(padEnd, 0, pads, dims, dims);
        List<OnnxValue> in = new ArrayList<>(List.of(x, w));
        if (b != null) {
            in.add(b);
        }
        return op(
                "Conv",
                out,
                x.batchAxis(),
                in,
                Attributes.ints("kernel_shape", kernel),
                Attributes.ints("pads", pads),
                Attributes.ints("strides", strides),
                Attributes.ints("dilations", dilations),
                Attributes.of("group", group));
    }

    // ---- reductions and normalisation ----

    /**
     * Mean over axes ({@code axes} attribute up to opset 17, an input from 18).
     *
     * @param x the value
     * @param keepDims whether the reduced axes stay with size 1
     * @param axes the axes
     * @return the mean
     */
    public OnnxValue reduceMean(OnnxValue x, boolean keepDims, int... axes) {
        long[] out = reducedShape(x, keepDims, axes);
        long[] ax = normalised(x, axes);
        int batch = reducedBatch(x, keepDims, ax);
        AttributeProto keep = Attributes.of("keepdims", keepDims ? 1L : 0L);
        if (g.opset() >= 18) {
            return op("ReduceMean", out, batch, List.of(x, g.longs(ax)), keep);
        }
        return op("ReduceMean", out, batch, List.of(x), Attributes.ints("axes", ax), keep);
    }

    /**
     * Sum over axes.
     *
     * @param x the value
     * @param keepDims whether the reduced axes stay with size 1
     * @param axes the axes
     * @return the sum
     */
    public OnnxValue reduceSum(OnnxValue x, boolean keepDims, int... axes) {
        long[] ax = normalised(x, axes);
        return op(
                "ReduceSum",
                reducedShape(x, keepDims, axes),
                reducedBatch(x, keepDims, ax),
                List.of(x, g.longs(ax)),
                Attributes.of("keepdims", keepDims ? 1L : 0L));
    }

    private static long[] normalised(OnnxValue x, int[] axes) {
        long[] ax = new long[axes.length];
        for (int i = 0; i < axes.length; i++) {
            ax[i] = x.axis(axes[i]);
            if (ax[i] == x.batchAxis()) {
                throw new IllegalArgumentException("cannot reduce the batch axis of " + x);
            }
        }
        Arrays.sort(ax);
        return ax;
    }

    private static long[] reducedShape(OnnxValue x, boolean keepDims, int[] axes) {
        long[] ax = normalised(x, axes);
        long[] in = x.shape();
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < in.length; i++) {
            boolean reduced = Arrays.binarySearch(ax, i) >= 0;
            if (!reduced) {
                out.add(in[i]);
            } else if (keepDims) {
                out.add(1L);
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    private static int reducedBatch(OnnxValue x, boolean keepDims, long[] ax) {
        int b = x.batchAxis();
        if (b < 0 || keepDims) {
            return b;
        }
        int shift = 0;
        for (long a : ax) {
            if (a < b) {
                shift++;
            }
        }
        return b - shift;
    }

    /**
     * {@code LayerNormalization}: normalises over the axes from {@code axis} to the last.
     *
     * @param x the value
     * @param scale gamma, shaped like the normalised axes
     * @param bias beta, or null
     * @param axis the first normalised axis
     * @param epsilon added to the variance
     * @return the normalised value
     */
    public OnnxValue layerNorm(
            OnnxValue x, OnnxValue scale, OnnxValue bias, int axis, double epsilon) {
        List<OnnxValue> in = new ArrayList<>(List.of(x, scale));
        if (bias != null) {
            in.add(bias);
        }
        return op(
                "LayerNormalization",
                x.shape(),
                x.batchAxis(),
                in,
                Attributes.of("axis", (long) x.axis(axis)),
                Attributes.of("epsilon", (float) epsilon));
    }

    /**
     * {@code BatchNormalization} in inference mode over axis 1 (running statistics).
     *
     * @param x the value (N, C, ...)
     * @param scale gamma (C)
     * @param bias beta (C)
     * @param mean running mean (C)
     * @param variance running variance (C)
     * @param epsilon added to the variance
     * @return the normalised value
     */
    public OnnxValue batchNorm(
            OnnxValue x,
            OnnxValue scale,
            OnnxValue bias,
            OnnxValue mean,
            OnnxValue variance,
            double epsilon) {
        return op(
                "BatchNormalization",
                x.shape(),
                x.batchAxis(),
                List.of(x, scale, bias, mean, variance),
                Attributes.of("epsilon", (float) epsilon));
    }
}
