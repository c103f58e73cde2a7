package org.fourier4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Convolution;
import org.fourier4j.fft.ConvAlgorithm;
import org.fourier4j.fft.ConvOptions;
import org.fourier4j.fft.Convolutions;
import org.fourier4j.fft.KernelSpectrumCache;
import org.fourier4j.fft.Padding;
import org.fourier4j.fft.PaddingMode;

/** What {@link FftConv1d}, {@link FftConv2d} and {@link FftConv3d} share. */
final class FftConvSupport {

    final int dims;
    final ConvAlgorithm algorithm;
    final PaddingMode paddingMode;
    final boolean samePadding;
    final ConvOptions options;
    final KernelSpectrumCache cache = new KernelSpectrumCache();

    FftConvSupport(
            int dims,
            Shape kernel,
            Shape stride,
            Shape padding,
            Shape dilation,
            int groups,
            ConvAlgorithm algorithm,
            PaddingMode paddingMode,
            boolean samePadding) {
        this.dims = dims;
        this.algorithm = algorithm == null ? ConvAlgorithm.AUTO : algorithm;
        this.paddingMode = paddingMode == null ? PaddingMode.ZEROS : paddingMode;
        this.samePadding = samePadding;
        checkRank("kernel shape", kernel, dims);
        checkRank("stride", stride, dims);
        checkRank("padding", padding, dims);
        checkRank("dilation", dilation, dims);
        this.options =
                ConvOptions.builder()
                        .stride(stride.getShape())
                        .dilation(dilation.getShape())
                        .groups(groups)
                        .padding(
                                samePadding
                                        ? Padding.same()
                                        : Padding.symmetric(padding.getShape()))
                        .paddingMode(this.paddingMode)
                        .build();
    }

    private static void checkRank(String what, Shape s, int dims) {
        if (s == null || s.dimension() != dims) {
            throw new IllegalArgumentException(
                    "FftConv" + dims + "d: " + what + " must have " + dims + " entries, got " + s);
        }
    }

    NDArray forward(NDArray input, NDArray weight, NDArray bias) {
        return Convolutions.convolve(dims, input, weight, bias, options, algorithm, cache);
    }

    /** Output shape for 'same' padding; DJL's formula (symmetric padding) otherwise. */
    Shape[] outputShapes(
            Shape[] inputs, Shape[] djlShapes, Shape kernel, Shape stride, Shape dilation) {
        if (!samePadding) {
            return djlShapes;
        }
        long[] s = djlShapes[0].getShape().clone();
        for (int i = 0; i < dims; i++) {
            long size = inputs[0].get(2 + i);
            s[2 + i] = (size + stride.get(i) - 1) / stride.get(i);
        }
        return new Shape[] {new Shape(s)};
    }

    /**
     * Checks that two convolutions have the same kernel, stride, padding, dilation, filters,
     * groups, bias.
     */
    static void checkSameConfiguration(Convolution source, Convolution target) {
        boolean same =
                source.getKernelShape().equals(target.getKernelShape())
                        && source.getStride().equals(target.getStride())
                        && source.getPadding().equals(target.getPadding())
                        && source.getDilation().equals(target.getDilation())
                        && source.getFilters() == target.getFilters()
                        && source.getGroups() == target.getGroups()
                        && source.isIncludeBias() == target.isIncludeBias();
        if (!same) {
            throw new IllegalArgumentException(
                    "cannot adopt parameters of a convolution with another configuration: "
                            + describe(source)
                            + " vs "
                            + describe(target));
        }
    }

    static String describe(Convolution c) {
        return c.getClass().getSimpleName()
                + "(kernel "
                + c.getKernelShape()
                + ", stride "
                + c.getStride()
                + ", padding "
                + c.getPadding()
                + ", dilation "
                + c.getDilation()
                + ", filters "
                + c.getFilters()
                + ", groups "
                + c.getGroups()
                + ", bias "
                + c.isIncludeBias()
                + ")";
    }

    static Parameter parameter(Convolution c, String name) {
        return c.getDirectParameters().get(name);
    }

    @Override
    public String toString() {
        return "algorithm=" + algorithm.name().toLowerCase(java.util.Locale.ROOT) + ", " + options;
    }
}
