package org.fourier4j.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

/**
 * DJL {@link Conv2d}s with square kernels, strides and paddings, as the papers' code writes them.
 */
public final class SquareConv {

    private SquareConv() {}

    /**
     * A convolution with bias, one group.
     *
     * @param filters output channels
     * @param kernel the kernel side
     * @param stride the stride on both axes
     * @param padding the zero padding on every side
     * @return the block, not yet initialised
     */
    public static Conv2d of(int filters, int kernel, int stride, int padding) {
        return of(filters, kernel, stride, padding, 1, true);
    }

    /**
     * A convolution padded by {@code kernel / 2} on every side ('same' for odd kernels at stride
     * 1).
     *
     * @param filters output channels
     * @param kernel the kernel side
     * @param stride the stride on both axes
     * @param groups the groups
     * @param bias whether it has a bias
     * @return the block, not yet initialised
     */
    public static Conv2d centred(int filters, int kernel, int stride, int groups, boolean bias) {
        return of(filters, kernel, stride, kernel / 2, groups, bias);
    }

    private static Conv2d of(
            int filters, int kernel, int stride, int padding, int groups, boolean bias) {
        return Conv2d.builder()
                .setKernelShape(new Shape(kernel, kernel))
                .setFilters(filters)
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(padding, padding))
                .optGroups(groups)
                .optBias(bias)
                .build();
    }
}
