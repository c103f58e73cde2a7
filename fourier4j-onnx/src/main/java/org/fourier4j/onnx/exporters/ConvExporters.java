package org.fourier4j.onnx.exporters;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import org.fourier4j.fft.ConvGeometry;
import org.fourier4j.fft.ConvOptions;
import org.fourier4j.fft.Padding;
import org.fourier4j.fft.PaddingMode;
import org.fourier4j.nn.AdditiveTokenMixer;
import org.fourier4j.nn.ChannelOperation;
import org.fourier4j.nn.FfnifiedAttention;
import org.fourier4j.nn.FftConv1d;
import org.fourier4j.nn.FftConv2d;
import org.fourier4j.nn.FftConv3d;
import org.fourier4j.nn.FftConvBlock;
import org.fourier4j.nn.LongConvolution;
import org.fourier4j.nn.S4dKernel;
import org.fourier4j.nn.SgConvKernel;
import org.fourier4j.nn.SpatialOperation;
import org.fourier4j.onnx.export.ExportContext;
import org.fourier4j.onnx.export.ExporterRegistry;
import org.fourier4j.onnx.graph.OnnxOps;
import org.fourier4j.onnx.graph.OnnxValue;

/**
 * Exporters of the convolution blocks: FFT convolutions ({@code FftConv1d/2d/3d}) and long
 * convolutions (SGConv, S4D) through {@link FftConvExport}; FFNet's and CAS-ViT's token mixers (the
 * re-parameterisable units are in {@link ReparamExporters}).
 */
final class ConvExporters {

    private ConvExporters() {}

    static void register(ExporterRegistry r) {
        r.register(FftConv1d.class, ConvExporters::fftConv);
        r.register(FftConv2d.class, ConvExporters::fftConv);
        r.register(FftConv3d.class, ConvExporters::fftConv);
        r.register(SgConvKernel.class, ConvExporters::longConvolution);
        r.register(S4dKernel.class, ConvExporters::longConvolution);
        r.register(FfnifiedAttention.class, ConvExporters::ffnified);
        r.register(AdditiveTokenMixer.class, ConvExporters::additiveMixer);
        r.register(SpatialOperation.class, ConvExporters::spatialOperation);
        r.register(ChannelOperation.class, ConvExporters::channelOperation);
    }

    static OnnxValue fftConv(ExportContext ctx, FftConvBlock block, OnnxValue x) {
        NDArray weight = ctx.parameter(block, "weight");
        NDArray bias = block.isIncludeBias() ? ctx.parameter(block, "bias") : null;
        return fftConvWith(ctx, block, weight, bias, x);
    }

    /**
     * A convolution with a block's geometry (stride, dilation, groups, padding and its mode) and
     * given weights, e.g. a conv + BN pair folded into one.
     *
     * @param ctx the export
     * @param block the convolution whose geometry is used
     * @param weight the weight
     * @param bias the bias, or null
     * @param x the input
     * @return the output
     */
    static OnnxValue fftConvWith(
            ExportContext ctx, FftConvBlock block, NDArray weight, NDArray bias, OnnxValue x) {
        int dims = block.getKernelShape().dimension();
        ConvOptions options =
                ConvOptions.builder()
                        .stride(block.getStride().getShape())
                        .dilation(block.getDilation().getShape())
                        .groups(block.getGroups())
                        .padding(
                                block.isSamePadding()
                                        ? Padding.same()
                                        : Padding.symmetric(block.getPadding().getShape()))
                        .paddingMode(block.getPaddingMode())
                        .build();
        // resolve 'same' padding and check the configuration as the forward pass does
        NDArray probe = ctx.manager().zeros(new Shape(sampleShape(x)), weight.getDataType());
        ConvGeometry g = ConvGeometry.resolve(dims, probe, weight, bias, options);
        FftConvExport.Geometry geometry =
                new FftConvExport.Geometry(
                        g.stride(),
                        g.dilation(),
                        g.groups(),
                        g.padLeft(),
                        g.padRight(),
                        g.paddingMode());
        return FftConvExport.convolve(ctx, x, weight, bias, geometry);
    }

    /** A one-sample shape of x for computing with DJL at export time. */
    private static long[] sampleShape(OnnxValue x) {
        long[] s = x.shape();
        s[0] = 1;
        return s;
    }

    /**
     * The generated depthwise kernel (for this input size) as a fixed weight, plus D u and bias.
     */
    static OnnxValue longConvolution(ExportContext ctx, LongConvolution block, OnnxValue x) {
        int dims = block.getDims();
        NDArray probe = ctx.manager().zeros(new Shape(sampleShape(x)), DataType.FLOAT32);
        NDArray weight =
                block.convolutionWeight(new ParameterStore(ctx.manager(), false), probe, false);
        int[] left = new int[dims];
        int[] right = new int[dims];
        for (int i = 0; i < dims; i++) {
            long len = x.dim(2 + i);
            if (dims == 1) {
                left[i] = (int) len - 1;
                right[i] = block.isBidirectional() ? (int) len - 1 : 0;
            } else {
                left[i] =
                        (int) (len - 1) / 2; // 'same' for an odd or even kernel as long as the axis
                right[i] = (int) (len - 1) - left[i];
            }
        }
        int[] ones = new int[dims];
        Arrays.fill(ones, 1);
        NDArray bias =
                block.getDirectParameters().contains("bias") ? ctx.parameter(block, "bias") : null;
        FftConvExport.Geometry g =
                new FftConvExport.Geometry(
                        ones, ones, (int) x.dim(1), left, right, PaddingMode.ZEROS);
        OnnxValue y = FftConvExport.convolve(ctx, x, weight, bias, g);
        if (block.getDirectParameters().contains("D")) {
            y = ctx.ops().add(y, ctx.ops().mul(x, NormExporters.perChannel(ctx, block, "D", x, 1)));
        }
        return y;
    }

    /** fc, depthwise conv1, GELU or ReLU, depthwise conv2. */
    static OnnxValue ffnified(ExportContext ctx, FfnifiedAttention block, OnnxValue x) {
        OnnxValue qk = ctx.child(block, "conv1", ctx.child(block, "fc", x));
        OnnxValue a = block.isGelu() ? ctx.ops().gelu(qk, false) : ctx.ops().relu(qk);
        return ctx.child(block, "conv2", a);
    }

    /** {@code proj(dwc(oper_q(q) + oper_k(k)) * v)} with q, k, v the thirds of qkv(x). */
    static OnnxValue additiveMixer(ExportContext ctx, AdditiveTokenMixer block, OnnxValue x) {
        OnnxOps ops = ctx.ops();
        OnnxValue qkv = ctx.child(block, "qkv", x);
        long c = x.dim(1);
        OnnxValue q = ctx.child(block, "oper_q", ops.slice(qkv, 1, 0, c));
        OnnxValue k = ctx.child(block, "oper_k", ops.slice(qkv, 1, c, 2 * c));
        OnnxValue v = ops.slice(qkv, 1, 2 * c, 3 * c);
        OnnxValue mixed = ops.mul(ctx.child(block, "dwc", ops.add(q, k)), v);
        return ctx.child(block, "proj", mixed);
    }

    /** {@code x * sigmoid(block(x))}: one (B, 1, H, W) gate for all channels. */
    static OnnxValue spatialOperation(ExportContext ctx, SpatialOperation block, OnnxValue x) {
        return ctx.ops().mul(x, ctx.ops().sigmoid(ctx.child(block, "block", x)));
    }

    /** {@code x * sigmoid(block(mean_HW(x)))}: a (B, C, 1, 1) gate. */
    static OnnxValue channelOperation(ExportContext ctx, ChannelOperation block, OnnxValue x) {
        OnnxOps ops = ctx.ops();
        OnnxValue gate = ctx.child(block, "block", ops.reduceMean(x, true, 2, 3));
        return ops.mul(x, ops.sigmoid(gate));
    }
}
