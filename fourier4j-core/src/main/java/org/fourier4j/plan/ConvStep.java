package org.fourier4j.plan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.fourier4j.fft.ConvAlgorithm;
import org.fourier4j.fft.ConvOptions;
import org.fourier4j.fft.Convolutions;
import org.fourier4j.fft.KernelSpectrumCache;

/**
 * A convolution over (B, C, *spatial) with its weights (the model's own, or with batch norms folded
 * in), computed DIRECT, FFT or AUTO by {@link Convolutions}. A 2-D 1x1 convolution with stride 1
 * and no padding runs as a linear layer on the channels-last view: one matrix product, whatever the
 * memory layout, with no re-packing of the weight per call.
 */
final class ConvStep implements FreshStep {

    private static final String LAYOUT = "channels-last";

    private final PlanContext context;
    private final int dims;
    private final NDArray weight;
    private final NDArray bias;
    private final ConvOptions options;
    private final ConvAlgorithm algorithm;
    private final int folds;
    private final KernelSpectrumCache cache = new KernelSpectrumCache();
    private final LinearStep pointwise;

    /**
     * Creates the step.
     *
     * @param context the plan
     * @param weight (C_out, C_in / groups, *kernel)
     * @param bias (C_out), or null
     * @param options stride, padding, dilation, groups, padding mode
     * @param algorithm DIRECT, FFT or AUTO
     * @param folds how many affine maps are folded into these weights
     */
    ConvStep(
            PlanContext context,
            NDArray weight,
            NDArray bias,
            ConvOptions options,
            ConvAlgorithm algorithm,
            int folds) {
        this.context = context;
        this.dims = weight.getShape().dimension() - 2;
        this.weight = weight;
        this.bias = bias;
        this.options = options;
        this.algorithm = algorithm;
        this.folds = folds;
        Shape w = weight.getShape();
        this.pointwise =
                isPointwise(w, options)
                        ? new LinearStep(
                                context, context.own(weight.reshape(w.get(0), w.get(1))), bias, 0)
                        : null;
    }

    private static boolean isPointwise(Shape w, ConvOptions o) {
        return w.dimension() == 4
                && w.get(2) == 1
                && w.get(3) == 1
                && o.getGroups() == 1
                && unpadded(o)
                && ones(o.getStride())
                && ones(o.getDilation());
    }

    private static boolean unpadded(ConvOptions o) {
        return o.getPadding() == null || o.getPadding().isNone();
    }

    private static boolean ones(long[] v) {
        if (v != null) {
            for (long e : v) {
                if (e != 1) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public NDArray apply(NDArray x) {
        if (pointwise == null) {
            // AUTO decides for the plan's channels-last inputs separately (direct depthwise
            // convolutions are much faster there, which moves the FFT crossover)
            return Convolutions.convolve(
                    dims, x, weight, bias, options, algorithm, cache, dims == 2 ? LAYOUT : null);
        }
        try (NDArray last = x.transpose(0, 2, 3, 1);
                NDArray y = pointwise.apply(last)) {
            return y.transpose(0, 3, 1, 2);
        }
    }

    @Override
    public Step onChannelsLast() {
        return pointwise;
    }

    @Override
    public Step foldAfter(AffineStep a) {
        if (a.axis() != AffineStep.Axis.CHANNELS_FIRST
                || a.channels() != weight.getShape().get(0)) {
            return null;
        }
        NDArray[] f = Folding.outputs(weight, bias, a.scale(), a.shift(), context.manager());
        return new ConvStep(context, f[0], f[1], options, algorithm, folds + 1);
    }

    @Override
    public Step foldBefore(AffineStep a) {
        if (a.axis() != AffineStep.Axis.CHANNELS_FIRST
                || a.channels() != weight.getShape().get(1)
                || options.getGroups() != 1
                || !unpadded(options)) {
            return null;
        }
        NDArray[] f = Folding.inputs(weight, bias, a.scale(), a.shift(), context.manager());
        return new ConvStep(context, f[0], f[1], options, algorithm, folds + 1);
    }

    @Override
    public void count(PlanCensus census) {
        census.step(pointwise != null ? "conv1x1" : "conv");
        census.folded(folds);
    }
}
