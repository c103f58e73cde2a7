package org.fourier4j.fft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Convolution (cross-correlation, as in every deep-learning library) computed as a product in the
 * frequency domain. Equal to the direct convolution up to rounding, for every option: stride,
 * symmetric or per-side padding ('same', 'valid'), zero/reflect/replicate/circular borders,
 * dilation, groups, bias; 1-D, 2-D and 3-D; float32 and float64. Differentiable with respect to
 * input, weight and bias through the engine's autograd.
 *
 * <p>The static {@code conv1d/conv2d/conv3d} methods take DJL's arguments in DJL's order ({@link
 * ai.djl.nn.convolutional.Conv2d#conv2d}) and return the output array. See {@link FftConvPlan} for
 * how the work is laid out (7-smooth FFT lengths, no padded copy of the input, polyphase strides,
 * per-frequency channel mixing).
 *
 * <p>Memory: intermediates live in a sub-manager that is closed before returning (autograd keeps
 * what backward needs); the result belongs to the input's manager, as DJL's own operators do.
 */
public final class FftConvolution {

    private static final int MAX_PLANS = 1024;
    private static final Map<String, FftConvPlan> PLANS = new ConcurrentHashMap<>();

    private FftConvolution() {}

    /**
     * 1-D convolution over (N, C_in, W).
     *
     * @param input the input, (N, C_in, W)
     * @param weight the weight, (C_out, C_in/groups, kW)
     * @param bias the bias, (C_out), or null
     * @param stride the stride, (sW)
     * @param padding the symmetric zero padding, (pW)
     * @param dilation the dilation, (dW)
     * @param groups the number of groups
     * @return the output, (N, C_out, W_out)
     */
    public static NDArray conv1d(
            NDArray input,
            NDArray weight,
            NDArray bias,
            Shape stride,
            Shape padding,
            Shape dilation,
            int groups) {
        return convolve(1, input, weight, bias, ConvOptions.of(stride, padding, dilation, groups));
    }

    /**
     * 2-D convolution over (N, C_in, H, W).
     *
     * @param input the input, (N, C_in, H, W)
     * @param weight the weight, (C_out, C_in/groups, kH, kW)
     * @param bias the bias, (C_out), or null
     * @param stride the stride, (sH, sW)
     * @param padding the symmetric zero padding, (pH, pW)
     * @param dilation the dilation, (dH, dW)
     * @param groups the number of groups
     * @return the output, (N, C_out, H_out, W_out)
     */
    public static NDArray conv2d(
            NDArray input,
            NDArray weight,
            NDArray bias,
            Shape stride,
            Shape padding,
            Shape dilation,
            int groups) {
        return convolve(2, input, weight, bias, ConvOptions.of(stride, padding, dilation, groups));
    }

    /**
     * 3-D convolution over (N, C_in, D, H, W).
     *
     * @param input the input, (N, C_in, D, H, W)
     * @param weight the weight, (C_out, C_in/groups, kD, kH, kW)
     * @param bias the bias, (C_out), or null
     * @param stride the stride, (sD, sH, sW)
     * @param padding the symmetric zero padding, (pD, pH, pW)
     * @param dilation the dilation, (dD, dH, dW)
     * @param groups the number of groups
     * @return the output, (N, C_out, D_out, H_out, W_out)
     */
    public static NDArray conv3d(
            NDArray input,
            NDArray weight,
            NDArray bias,
            Shape stride,
            Shape padding,
            Shape dilation,
            int groups) {
        return convolve(3, input, weight, bias, ConvOptions.of(stride, padding, dilation, groups));
    }

    /**
     * Convolution with every option ('same'/'valid' or per-side padding, padding modes).
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
                ConvGeometry.resolve(dims, input, weight, bias, options),
                input,
                weight,
                bias,
                null);
    }

    /**
     * Convolution that reuses the kernel spectrum kept in {@code cache} when no gradient is being
     * recorded for the weight (see {@link KernelSpectrumCache}).
     *
     * @param dims the number of spatial dimensions: 1, 2 or 3
     * @param input the input, (N, C_in, *spatial)
     * @param weight the weight, (C_out, C_in/groups, *kernel)
     * @param bias the bias, (C_out), or null
     * @param options stride, padding, dilation, groups, padding mode
     * @param cache the layer's spectrum cache, or null
     * @return the output, (N, C_out, *out)
     */
    public static NDArray convolve(
            int dims,
            NDArray input,
            NDArray weight,
            NDArray bias,
            ConvOptions options,
            KernelSpectrumCache cache) {
        return convolve(
                ConvGeometry.resolve(dims, input, weight, bias, options),
                input,
                weight,
                bias,
                cache);
    }

    /**
     * Returns the FFT length per spatial axis that a call with this geometry uses.
     *
     * @param geometry a resolved call
     * @return the transform lengths
     */
    public static int[] fftSize(ConvGeometry geometry) {
        return plan(geometry).fftSize();
    }

    static NDArray convolve(
            ConvGeometry g,
            NDArray input,
            NDArray weight,
            NDArray bias,
            KernelSpectrumCache cache) {
        FftConvPlan plan = plan(g);
        NDManager owner = input.getManager();
        try (NDManager scope = owner.newSubManager()) {
            NDArray w = ArrayOps.own(scope, weight.reshape(weight.getShape()));
            NDArray spectrum = null;
            boolean cacheable = cache != null && !GradientRecording.mayRecord(weight);
            if (cacheable) {
                spectrum = cache.lookup(plan.kernelKey(), weight);
            }
            if (spectrum == null) {
                spectrum = plan.transformKernel(w);
                if (cacheable) {
                    cache.store(plan.kernelKey(), weight, spectrum);
                }
            }
            NDArray x = ArrayOps.own(scope, input.reshape(input.getShape()));
            NDArray y = plan.inverse(plan.multiply(plan.transformInput(x), spectrum));
            if (bias != null) {
                long[] bshape = new long[g.dims() + 2];
                java.util.Arrays.fill(bshape, 1);
                bshape[1] = g.outChannels();
                y = y.add(ArrayOps.own(scope, bias.reshape(new Shape(bshape))));
            }
            y.attach(owner);
            return y;
        }
    }

    static FftConvPlan plan(ConvGeometry g) {
        String key = g.key();
        FftConvPlan plan = PLANS.get(key);
        if (plan == null) {
            if (PLANS.size() >= MAX_PLANS) {
                PLANS.clear();
            }
            plan = new FftConvPlan(g);
            PLANS.put(key, plan);
        }
        return plan;
    }
}
