package org.fourier4j.fft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Locale;

/**
 * A convolution call, checked and resolved: shapes, per-side padding, output size.
 *
 * <p>{@link #resolve} checks everything that can go wrong with the arguments, using shapes and data
 * types only, and throws an {@link IllegalArgumentException} that names the argument and shows the
 * shapes before any tensor operation runs.
 *
 * <p>Semantics are PyTorch's (cross-correlation): {@code y[b, o, i] = bias[o] + sum_c sum_j
 * x_pad[b, g(o)*Cin/G + c, i*s + j*d] * w[o, c, j]} per spatial dimension, output size {@code
 * floor((S + pL + pR - d*(k-1) - 1) / s) + 1}.
 */
public final class ConvGeometry {

    private static final String[] SPATIAL = {"", "W", "H, W", "D, H, W"};
    private static final String[] KERNEL = {"", "kW", "kH, kW", "kD, kH, kW"};

    private final int dims;
    private final int batch;
    private final int inChannels;
    private final int outChannels;
    private final int groups;
    private final int[] inputSize;
    private final int[] kernelSize;
    private final int[] stride;
    private final int[] dilation;
    private final int[] padLeft;
    private final int[] padRight;
    private final int[] outputSize;
    private final PaddingMode paddingMode;
    private final DataType dataType;
    private final boolean hasBias;

    private ConvGeometry(
            int dims,
            int batch,
            int inChannels,
            int outChannels,
            int groups,
            int[] inputSize,
            int[] kernelSize,
            int[] stride,
            int[] dilation,
            int[] padLeft,
            int[] padRight,
            int[] outputSize,
            PaddingMode paddingMode,
            DataType dataType,
            boolean hasBias) {
        this.dims = dims;
        this.batch = batch;
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.groups = groups;
        this.inputSize = inputSize;
        this.kernelSize = kernelSize;
        this.stride = stride;
        this.dilation = dilation;
        this.padLeft = padLeft;
        this.padRight = padRight;
        this.outputSize = outputSize;
        this.paddingMode = paddingMode;
        this.dataType = dataType;
        this.hasBias = hasBias;
    }

    /**
     * Checks a convolution call and resolves its geometry.
     *
     * @param dims the number of spatial dimensions (1, 2 or 3)
     * @param input the input, (N, C_in, *spatial)
     * @param weight the weight, (C_out, C_in/groups, *kernel)
     * @param bias the bias, (C_out), or null
     * @param options stride, padding, dilation, groups and padding mode
     * @return the resolved geometry
     * @throws IllegalArgumentException naming the argument and showing the shapes if anything is
     *     inconsistent
     */
    public static ConvGeometry resolve(
            int dims, NDArray input, NDArray weight, NDArray bias, ConvOptions options) {
        String op = "conv" + dims + "d";
        if (dims < 1 || dims > 3) {
            throw new IllegalArgumentException("convolution: dims must be 1, 2 or 3, got " + dims);
        }
        if (input == null) {
            throw new IllegalArgumentException(op + ": input must not be null");
        }
        if (weight == null) {
            throw new IllegalArgumentException(op + ": weight must not be null");
        }
        if (options == null) {
            throw new IllegalArgumentException(op + ": options must not be null");
        }
        Shape in = input.getShape();
        Shape w = weight.getShape();
        String shapes = "(input " + in + ", weight " + w + ")";
        if (in.dimension() != dims + 2) {
            throw new IllegalArgumentException(
                    String.format(
                            "%s: input must have rank %d (N, C_in, %s), got rank %d: input %s",
                            op, dims + 2, SPATIAL[dims], in.dimension(), in));
        }
        if (w.dimension() != dims + 2) {
            throw new IllegalArgumentException(
                    String.format(
                            "%s: weight must have rank %d (C_out, C_in/groups, %s), got rank %d:"
                                    + " weight %s",
                            op, dims + 2, KERNEL[dims], w.dimension(), w));
        }
        for (long v : in.getShape()) {
            if (v <= 0) {
                throw new IllegalArgumentException(
                        op + ": input has an empty or unknown dimension: input " + in);
            }
        }
        for (long v : w.getShape()) {
            if (v <= 0) {
                throw new IllegalArgumentException(
                        op + ": weight has an empty or unknown dimension: weight " + w);
            }
        }
        DataType dt = input.getDataType();
        if (dt != DataType.FLOAT32 && dt != DataType.FLOAT64) {
            throw new IllegalArgumentException(
                    op + ": input must be float32 or float64, got " + name(dt) + " " + shapes);
        }
        if (weight.getDataType() != dt) {
            throw new IllegalArgumentException(
                    String.format(
                            "%s: input and weight must have the same data type, got input %s and"
                                    + " weight %s %s",
                            op, name(dt), name(weight.getDataType()), shapes));
        }
        if (!input.getDevice().equals(weight.getDevice())) {
            throw new IllegalArgumentException(
                    String.format(
                            "%s: input and weight must be on the same device, got %s and %s %s",
                            op, input.getDevice(), weight.getDevice(), shapes));
        }
        int groups = options.getGroups();
        if (groups < 1) {
            throw new IllegalArgumentException(
                    op + ": groups must be positive, got groups=" + groups + " " + shapes);
        }
        int batch = toInt(op, "input", in.get(0), in);
        int cin = toInt(op, "input", in.get(1), in);
        int cout = toInt(op, "weight", w.get(0), w);
        int cinPerGroup = toInt(op, "weight", w.get(1), w);
        if (cin % groups != 0) {
            throw new IllegalArgumentException(
                    String.format(
                            "%s: groups=%d does not divide in_channels=%d (input %s)",
                            op, groups, cin, in));
        }
        if (cout % groups != 0) {
            throw new IllegalArgumentException(
                    String.format(
                            "%s: groups=%d does not divide out_channels=%d (weight %s)",
                            op, groups, cout, w));
        }
        if ((long) cinPerGroup * groups != cin) {
            throw new IllegalArgumentException(
                    String.format(
                            "%s: input has in_channels=%d but weight %s expects C_in/groups=%d"
                                    + " channels per group, i.e. in_channels=%d with groups=%d"
                                    + " (input %s)",
                            op, cin, w, cinPerGroup, (long) cinPerGroup * groups, groups, in));
        }
        if (bias != null) {
            Shape b = bias.getShape();
            if (b.dimension() != 1 || b.get(0) != cout) {
                throw new IllegalArgumentException(
                        String.format(
                                "%s: bias must have shape (%d) to match out_channels of weight %s,"
                                        + " got bias %s",
                                op, cout, w, b));
            }
            if (bias.getDataType() != dt) {
                throw new IllegalArgumentException(
                        String.format(
                                "%s: bias must have the data type of input and weight (%s), got"
                                        + " %s (bias %s)",
                                op, name(dt), name(bias.getDataType()), b));
            }
            if (!bias.getDevice().equals(input.getDevice())) {
                throw new IllegalArgumentException(
                        String.format(
                                "%s: bias must be on the input's device %s, got %s",
                                op, input.getDevice(), bias.getDevice()));
            }
        }
        int[] stride = perDim(op, "stride", options.getStride(), dims, 1, shapes);
        int[] dilation = perDim(op, "dilation", options.getDilation(), dims, 1, shapes);
        for (int i = 0; i < dims; i++) {
            if (stride[i] < 1) {
                throw new IllegalArgumentException(
                        op
                                + ": stride must be positive, got "
                                + Arrays.toString(stride)
                                + " "
                                + shapes);
            }
            if (dilation[i] < 1) {
                throw new IllegalArgumentException(
                        op
                                + ": dilation must be positive, got "
                                + Arrays.toString(dilation)
                                + " "
                                + shapes);
            }
        }
        Padding padding = options.getPadding();
        if (padding.isExplicit() && padding.rank() != dims) {
            throw new IllegalArgumentException(
                    String.format(
                            "%s: padding must have %d entries (one per spatial dimension), got"
                                    + " %s %s",
                            op, dims, padding, shapes));
        }
        int[] inputSize = new int[dims];
        int[] kernelSize = new int[dims];
        int[] padLeft = new int[dims];
        int[] padRight = new int[dims];
        int[] outputSize = new int[dims];
        for (int i = 0; i < dims; i++) {
            inputSize[i] = toInt(op, "input", in.get(i + 2), in);
            kernelSize[i] = toInt(op, "weight", w.get(i + 2), w);
            long dilated = (long) dilation[i] * (kernelSize[i] - 1) + 1;
            long l = padding.left(i, inputSize[i], dilated, stride[i]);
            long r = padding.right(i, inputSize[i], dilated, stride[i]);
            if (l < 0 || r < 0) {
                throw new IllegalArgumentException(
                        op + ": padding must be non-negative, got " + padding + " " + shapes);
            }
            padLeft[i] = toInt(op, "padding", l, in);
            padRight[i] = toInt(op, "padding", r, in);
            long padded = (long) inputSize[i] + l + r;
            long out = padded < dilated ? 0 : (padded - dilated) / stride[i] + 1;
            outputSize[i] = (int) out;
        }
        for (int i = 0; i < dims; i++) {
            if (outputSize[i] < 1) {
                throw new IllegalArgumentException(
                        String.format(
                                "%s: empty output: input %s padded by %s is smaller than the"
                                        + " dilated kernel in dimension %d (kernel %s, dilation"
                                        + " %s): output size would be %s",
                                op,
                                in,
                                padding,
                                i,
                                Arrays.toString(kernelSize),
                                Arrays.toString(dilation),
                                Arrays.toString(outputSize)));
            }
        }
        PaddingMode mode = options.getPaddingMode();
        checkPaddingMode(op, mode, inputSize, padLeft, padRight, in);
        return new ConvGeometry(
                dims,
                batch,
                cin,
                cout,
                groups,
                inputSize,
                kernelSize,
                stride,
                dilation,
                padLeft,
                padRight,
                outputSize,
                mode,
                dt,
                bias != null);
    }

    private static void checkPaddingMode(
            String op, PaddingMode mode, int[] size, int[] left, int[] right, Shape in) {
        for (int i = 0; i < size.length; i++) {
            int max = Math.max(left[i], right[i]);
            if (mode == PaddingMode.REFLECT && max >= size[i]) {
                throw new IllegalArgumentException(
                        String.format(
                                "%s: reflect padding needs padding < input size in every"
                                        + " dimension, got padding left %s right %s for input %s",
                                op, Arrays.toString(left), Arrays.toString(right), in));
            }
            if (mode == PaddingMode.CIRCULAR && max > size[i]) {
                throw new IllegalArgumentException(
                        String.format(
                                "%s: circular padding needs padding <= input size in every"
                                        + " dimension, got padding left %s right %s for input %s",
                                op, Arrays.toString(left), Arrays.toString(right), in));
            }
        }
    }

    private static int[] perDim(
            String op, String name, long[] values, int dims, int dflt, String shapes) {
        int[] out = new int[dims];
        if (values == null) {
            Arrays.fill(out, dflt);
            return out;
        }
        if (values.length != dims) {
            throw new IllegalArgumentException(
                    String.format(
                            "%s: %s must have %d entries (one per spatial dimension), got %s %s",
                            op, name, dims, Arrays.toString(values), shapes));
        }
        for (int i = 0; i < dims; i++) {
            if (values[i] > Integer.MAX_VALUE || values[i] < Integer.MIN_VALUE) {
                throw new IllegalArgumentException(
                        op + ": " + name + " out of range: " + Arrays.toString(values));
            }
            out[i] = (int) values[i];
        }
        return out;
    }

    private static int toInt(String op, String arg, long v, Shape shape) {
        if (v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    op + ": " + arg + " dimension too large: " + arg + " " + shape);
        }
        return (int) v;
    }

    private static String name(DataType dt) {
        return dt.name().toLowerCase(Locale.ROOT);
    }

    /**
     * @return the number of spatial dimensions
     */
    public int dims() {
        return dims;
    }

    /**
     * @return the batch size N
     */
    public int batch() {
        return batch;
    }

    /**
     * @return C_in
     */
    public int inChannels() {
        return inChannels;
    }

    /**
     * @return C_out
     */
    public int outChannels() {
        return outChannels;
    }

    /**
     * @return the number of groups
     */
    public int groups() {
        return groups;
    }

    /**
     * @return C_in / groups
     */
    public int inPerGroup() {
        return inChannels / groups;
    }

    /**
     * @return C_out / groups
     */
    public int outPerGroup() {
        return outChannels / groups;
    }

    /**
     * @return the input's spatial size
     */
    public int[] inputSize() {
        return inputSize.clone();
    }

    /**
     * @return the kernel's spatial size (undilated)
     */
    public int[] kernelSize() {
        return kernelSize.clone();
    }

    /**
     * @return the stride
     */
    public int[] stride() {
        return stride.clone();
    }

    /**
     * @return the dilation
     */
    public int[] dilation() {
        return dilation.clone();
    }

    /**
     * @return the padding before the data, per dimension
     */
    public int[] padLeft() {
        return padLeft.clone();
    }

    /**
     * @return the padding after the data, per dimension
     */
    public int[] padRight() {
        return padRight.clone();
    }

    /**
     * @return the output's spatial size
     */
    public int[] outputSize() {
        return outputSize.clone();
    }

    /**
     * @return what the padded border holds
     */
    public PaddingMode paddingMode() {
        return paddingMode;
    }

    /**
     * @return float32 or float64
     */
    public DataType dataType() {
        return dataType;
    }

    /**
     * @return whether a bias is added
     */
    public boolean hasBias() {
        return hasBias;
    }

    /**
     * Returns the dilated kernel extent {@code d*(k-1)+1} in one dimension.
     *
     * @param i the spatial dimension
     * @return the extent
     */
    public int dilatedKernel(int i) {
        return dilation[i] * (kernelSize[i] - 1) + 1;
    }

    /**
     * @return whether the padding is the same on both sides of every dimension
     */
    public boolean isSymmetricPadding() {
        return Arrays.equals(padLeft, padRight);
    }

    /**
     * @return whether any stride is above 1
     */
    public boolean isStrided() {
        for (int s : stride) {
            if (s > 1) {
                return true;
            }
        }
        return false;
    }

    /**
     * @return whether every group has one input and one output channel (depthwise)
     */
    public boolean isDepthwise() {
        return inPerGroup() == 1 && outPerGroup() == 1;
    }

    /**
     * @return the output shape (N, C_out, *out)
     */
    public Shape outputShape() {
        long[] s = new long[dims + 2];
        s[0] = batch;
        s[1] = outChannels;
        for (int i = 0; i < dims; i++) {
            s[i + 2] = outputSize[i];
        }
        return new Shape(s);
    }

    /**
     * @return the multiply-adds of the direct convolution
     */
    public double directMacs() {
        double macs = (double) batch * outChannels * inPerGroup();
        for (int i = 0; i < dims; i++) {
            macs *= (double) outputSize[i] * kernelSize[i];
        }
        return macs;
    }

    /**
     * Returns a key that identifies the call's shape for caches: input and weight shapes, stride,
     * padding, dilation, groups, padding mode, bias and data type.
     *
     * @return a stable string key
     */
    public String key() {
        StringBuilder sb = new StringBuilder();
        sb.append("conv")
                .append(dims)
                .append("d")
                .append(" n")
                .append(batch)
                .append(" cin")
                .append(inChannels)
                .append(" cout")
                .append(outChannels)
                .append(" g")
                .append(groups)
                .append(" in")
                .append(join(inputSize))
                .append(" k")
                .append(join(kernelSize))
                .append(" s")
                .append(join(stride))
                .append(" d")
                .append(join(dilation))
                .append(" pl")
                .append(join(padLeft))
                .append(" pr")
                .append(join(padRight))
                .append(" ")
                .append(paddingMode.name().toLowerCase(Locale.ROOT))
                .append(hasBias ? " bias" : " nobias")
                .append(" ")
                .append(name(dataType));
        return sb.toString();
    }

    private static String join(int[] v) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.length; i++) {
            if (i > 0) {
                sb.append('x');
            }
            sb.append(v[i]);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return key();
    }
}
