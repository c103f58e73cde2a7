package org.fourier4j.fft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * The checks behind {@link ConvGeometry#resolve}: everything that can go wrong with a convolution
 * call's arguments, found from shapes, data types and devices only, each reported as one {@link
 * IllegalArgumentException} that names the argument and shows the shapes, in this order: arguments
 * present, ranks, data types and devices, channels and groups, bias, stride and dilation, padding,
 * output size, padding mode.
 */
final class ConvArguments {

    private static final String[] SPATIAL = {"", "W", "H, W", "D, H, W"};
    private static final String[] KERNEL = {"", "kW", "kH, kW", "kD, kH, kW"};

    private final String op;
    private final int dims;
    private final Shape in;
    private final Shape w;

    /** "(input ..., weight ...)", appended to messages. */
    private final String shapes;

    /** Set by {@link #checkChannels}. */
    private int batch;

    private int inChannels;
    private int outChannels;

    private ConvArguments(String op, int dims, Shape in, Shape w) {
        this.op = op;
        this.dims = dims;
        this.in = in;
        this.w = w;
        this.shapes = "(input " + in + ", weight " + w + ")";
    }

    /**
     * Checks a convolution call and resolves its geometry.
     *
     * @see ConvGeometry#resolve
     */
    static ConvGeometry resolve(
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
        ConvArguments a = new ConvArguments(op, dims, input.getShape(), weight.getShape());
        a.checkRanks();
        a.checkTypesAndDevices(input, weight);
        int groups = options.getGroups();
        a.checkChannels(groups);
        if (bias != null) {
            a.checkBias(bias, input);
        }
        int[] stride = a.perDim("stride", options.getStride());
        int[] dilation = a.perDim("dilation", options.getDilation());
        a.checkPositive(stride, dilation);
        Padding padding = options.getPadding();
        if (padding.isExplicit() && padding.rank() != dims) {
            throw new IllegalArgumentException(
                    String.format(
                            "%s: padding must have %d entries (one per spatial dimension), got"
                                    + " %s %s",
                            op, dims, padding, a.shapes));
        }
        int[] inputSize = new int[dims];
        int[] kernelSize = new int[dims];
        int[] padLeft = new int[dims];
        int[] padRight = new int[dims];
        int[] outputSize = new int[dims];
        for (int i = 0; i < dims; i++) {
            inputSize[i] = a.toInt("input", a.in.get(i + 2), a.in);
            kernelSize[i] = a.toInt("weight", a.w.get(i + 2), a.w);
            long dilated = (long) dilation[i] * (kernelSize[i] - 1) + 1;
            long l = padding.left(i, inputSize[i], dilated, stride[i]);
            long r = padding.right(i, inputSize[i], dilated, stride[i]);
            if (l < 0 || r < 0) {
                throw new IllegalArgumentException(
                        op + ": padding must be non-negative, got " + padding + " " + a.shapes);
            }
            padLeft[i] = a.toInt("padding", l, a.in);
            padRight[i] = a.toInt("padding", r, a.in);
            long padded = (long) inputSize[i] + l + r;
            long out = padded < dilated ? 0 : (padded - dilated) / stride[i] + 1;
            outputSize[i] = (int) out;
        }
        a.checkOutput(outputSize, padding, kernelSize, dilation);
        PaddingMode mode = options.getPaddingMode();
        a.checkPaddingMode(mode, inputSize, padLeft, padRight);
        return new ConvGeometry(
                dims,
                a.batch,
                a.inChannels,
                a.outChannels,
                groups,
                inputSize,
                kernelSize,
                stride,
                dilation,
                padLeft,
                padRight,
                outputSize,
                mode,
                input.getDataType(),
                bias != null);
    }

    /** Input and weight have rank dims + 2 and no empty or unknown dimension. */
    private void checkRanks() {
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
    }

    /** Float32 or float64, the same for input and weight, on one device. */
    private void checkTypesAndDevices(NDArray input, NDArray weight) {
        DataType dt = input.getDataType();
        if (dt != DataType.FLOAT32 && dt != DataType.FLOAT64) {
            throw new IllegalArgumentException(
                    op
                            + ": input must be float32 or float64, got "
                            + ConvGeometry.name(dt)
                            + " "
                            + shapes);
        }
        if (weight.getDataType() != dt) {
            throw new IllegalArgumentException(
                    String.format(
                            "%s: input and weight must have the same data type, got input %s and"
                                    + " weight %s %s",
                            op,
                            ConvGeometry.name(dt),
                            ConvGeometry.name(weight.getDataType()),
                            shapes));
        }
        if (!input.getDevice().equals(weight.getDevice())) {
            throw new IllegalArgumentException(
                    String.format(
                            "%s: input and weight must be on the same device, got %s and %s %s",
                            op, input.getDevice(), weight.getDevice(), shapes));
        }
    }

    /**
     * Groups positive and dividing both channel counts, the weight's input channels those of a
     * group; sets the batch size and the channel counts.
     */
    private void checkChannels(int groups) {
        if (groups < 1) {
            throw new IllegalArgumentException(
                    op + ": groups must be positive, got groups=" + groups + " " + shapes);
        }
        batch = toInt("input", in.get(0), in);
        int cin = toInt("input", in.get(1), in);
        int cout = toInt("weight", w.get(0), w);
        int cinPerGroup = toInt("weight", w.get(1), w);
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
        inChannels = cin;
        outChannels = cout;
    }

    /** The bias is (C_out), of the input's data type, on the input's device. */
    private void checkBias(NDArray bias, NDArray input) {
        Shape b = bias.getShape();
        if (b.dimension() != 1 || b.get(0) != outChannels) {
            throw new IllegalArgumentException(
                    String.format(
                            "%s: bias must have shape (%d) to match out_channels of weight %s,"
                                    + " got bias %s",
                            op, outChannels, w, b));
        }
        DataType dt = input.getDataType();
        if (bias.getDataType() != dt) {
            throw new IllegalArgumentException(
                    String.format(
                            "%s: bias must have the data type of input and weight (%s), got"
                                    + " %s (bias %s)",
                            op, ConvGeometry.name(dt), ConvGeometry.name(bias.getDataType()), b));
        }
        if (!bias.getDevice().equals(input.getDevice())) {
            throw new IllegalArgumentException(
                    String.format(
                            "%s: bias must be on the input's device %s, got %s",
                            op, input.getDevice(), bias.getDevice()));
        }
    }

    /** One value per spatial dimension, 1 for each when none are given. */
    private int[] perDim(String name, long[] values) {
        int[] out = new int[dims];
        if (values == null) {
            Arrays.fill(out, 1);
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

    /** Stride and dilation at least 1 in every dimension. */
    private void checkPositive(int[] stride, int[] dilation) {
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
    }

    /** Every output dimension has at least one entry. */
    private void checkOutput(int[] outputSize, Padding padding, int[] kernelSize, int[] dilation) {
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
    }

    /** Reflect padding needs padding < size, circular padding <= size, in every dimension. */
    private void checkPaddingMode(PaddingMode mode, int[] size, int[] left, int[] right) {
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

    private int toInt(String arg, long v, Shape shape) {
        if (v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    op + ": " + arg + " dimension too large: " + arg + " " + shape);
        }
        return (int) v;
    }
}
