package org.fourier4j.fft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Locale;

/**
 * A convolution call, checked and resolved: shapes, per-side padding, output size.
 *
 * <p>{@link #resolve} checks everything that can go wrong with the arguments ({@link
 * ConvArguments}), using shapes and data types only, and throws an {@link IllegalArgumentException}
 * that names the argument and shows the shapes before any tensor operation runs.
 *
 * <p>Semantics are PyTorch's (cross-correlation): {@code y[b, o, i] = bias[o] + sum_c sum_j
 * x_pad[b, g(o)*Cin/G + c, i*s + j*d] * w[o, c, j]} per spatial dimension, output size {@code
 * floor((S + pL + pR - d*(k-1) - 1) / s) + 1}.
 */
public final class ConvGeometry {

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

    ConvGeometry(
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
        return ConvArguments.resolve(dims, input, weight, bias, options);
    }

    /** The lower-case name of a data type, for messages and keys. */
    static String name(DataType dt) {
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
