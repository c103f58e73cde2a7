package org.fourier4j.fft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.convolutional.Conv3d;

/**
 * The engine's direct convolution (DJL's {@code Conv1d/2d/3d.conv*d}), extended to per-side padding
 * and padding modes by padding the input explicitly first.
 */
public final class DirectConvolution {

    private DirectConvolution() {}

    /**
     * Direct convolution with every option of {@link ConvOptions}.
     *
     * @param dims the number of spatial dimensions: 1, 2 or 3
     * @param input the input, (N, C_in, *spatial)
     * @param weight the weight, (C_out, C_in/groups, *kernel)
     * @param bias the bias, (C_out), or null
     * @param options stride, padding, dilation, groups, padding mode
     * @return the output, (N, C_out, *out)
     */
    public static NDArray convolve(
            int dims, NDArray input, NDArray weight, NDArray bias, ConvOptions options) {
        return convolve(
                ConvGeometry.resolve(dims, input, weight, bias, options), input, weight, bias);
    }

    static NDArray convolve(ConvGeometry g, NDArray input, NDArray weight, NDArray bias) {
        boolean explicit = g.paddingMode() != PaddingMode.ZEROS || !g.isSymmetricPadding();
        if (!explicit) {
            return call(g, input, weight, bias, toShape(g.padLeft()));
        }
        NDManager owner = input.getManager();
        try (NDManager scope = owner.newSubManager()) {
            NDArray x = ArrayOps.own(scope, input.reshape(input.getShape()));
            x = SignalPadding.pad(x, g.padLeft(), g.padRight(), g.paddingMode());
            NDArray y = call(g, x, weight, bias, new Shape(new long[g.dims()]));
            y.attach(owner);
            return y;
        }
    }

    private static NDArray call(
            ConvGeometry g, NDArray x, NDArray weight, NDArray bias, Shape padding) {
        Shape stride = toShape(g.stride());
        Shape dilation = toShape(g.dilation());
        switch (g.dims()) {
            case 1:
                return Conv1d.conv1d(x, weight, bias, stride, padding, dilation, g.groups())
                        .singletonOrThrow();
            case 2:
                return Conv2d.conv2d(x, weight, bias, stride, padding, dilation, g.groups())
                        .singletonOrThrow();
            default:
                return Conv3d.conv3d(x, weight, bias, stride, padding, dilation, g.groups())
                        .singletonOrThrow();
        }
    }

    static Shape toShape(int[] v) {
        long[] s = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            s[i] = v[i];
        }
        return new Shape(s);
    }
}
