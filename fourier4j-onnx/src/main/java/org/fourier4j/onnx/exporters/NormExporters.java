package org.fourier4j.onnx.exporters;

import java.util.Arrays;
import org.fourier4j.nn.ChannelNorm;
import org.fourier4j.nn.DropPath;
import org.fourier4j.nn.LayerNorm2d;
import org.fourier4j.nn.LayerNormNoBias;
import org.fourier4j.nn.LayerScale;
import org.fourier4j.onnx.export.ExportContext;
import org.fourier4j.onnx.export.ExporterRegistry;
import org.fourier4j.onnx.graph.OnnxOps;
import org.fourier4j.onnx.graph.OnnxValue;

/**
 * Exporters of fourier4j's normalisations ({@link LayerNorm2d}, {@link ChannelNorm}'s two kinds,
 * {@link LayerNormNoBias}), layer scale and drop path (identity in inference).
 */
final class NormExporters {

    private NormExporters() {}

    static void register(ExporterRegistry r) {
        r.register(LayerNorm2d.class, NormExporters::layerNorm2d);
        r.register(LayerNormNoBias.class, NormExporters::layerNormNoBias);
        r.register(ChannelNorm.class, NormExporters::channelNorm);
        r.register(LayerScale.class, NormExporters::layerScale);
        r.register(DropPath.class, (ctx, block, x) -> x);
    }

    /** Per-position normalisation over axis 1 of (B, C, *spatial), eps on the variance. */
    static OnnxValue layerNorm2d(ExportContext ctx, LayerNorm2d block, OnnxValue x) {
        OnnxOps ops = ctx.ops();
        OnnxValue centered = ops.sub(x, ops.reduceMean(x, true, 1));
        OnnxValue variance = ops.reduceMean(ops.mul(centered, centered), true, 1);
        OnnxValue normalized =
                ops.div(centered, ops.sqrt(ops.addScalar(variance, block.getEpsilon())));
        return affine(ctx, block, normalized, 1, "weight", "bias");
    }

    static OnnxValue channelNorm(ExportContext ctx, ChannelNorm block, OnnxValue x) {
        OnnxOps ops = ctx.ops();
        OnnxValue normalized;
        if (block.getKind() == ChannelNorm.Kind.LAYER_NORM) {
            // eps on the standard deviation (ml-cvnets' layer_norm)
            OnnxValue centered = ops.sub(x, ops.reduceMean(x, true, 1));
            OnnxValue std = ops.sqrt(ops.reduceMean(ops.mul(centered, centered), true, 1));
            normalized = ops.div(centered, ops.addScalar(std, block.getEpsilon()));
        } else {
            OnnxValue centered = ops.sub(x, ops.reduceMean(x, true, 1, 2, 3));
            OnnxValue variance = ops.reduceMean(ops.mul(centered, centered), true, 1, 2, 3);
            normalized = ops.div(centered, ops.sqrt(ops.addScalar(variance, block.getEpsilon())));
        }
        return affine(ctx, block, normalized, 1, "weight", "bias");
    }

    /** LayerNormalization over the last axis without its optional bias input. */
    static OnnxValue layerNormNoBias(ExportContext ctx, LayerNormNoBias block, OnnxValue x) {
        return ctx.ops()
                .layerNorm(
                        x,
                        ctx.parameterConstant(block, "weight"),
                        null,
                        x.rank() - 1,
                        block.getEpsilon());
    }

    static OnnxValue layerScale(ExportContext ctx, LayerScale block, OnnxValue x) {
        int axis = block.isChannelsFirst() ? 1 : x.rank() - 1;
        return ctx.ops().mul(x, perChannel(ctx, block, block.parameterName(), x, axis));
    }

    /** {@code x * weight + bias}, both per channel along an axis. */
    static OnnxValue affine(
            ExportContext ctx,
            ai.djl.nn.Block block,
            OnnxValue x,
            int axis,
            String weight,
            String bias) {
        OnnxOps ops = ctx.ops();
        return ops.add(
                ops.mul(x, perChannel(ctx, block, weight, x, axis)),
                perChannel(ctx, block, bias, x, axis));
    }

    /** A (C) parameter shaped (C, 1, ..., 1) to broadcast along an axis of x. */
    static OnnxValue perChannel(
            ExportContext ctx, ai.djl.nn.Block block, String name, OnnxValue x, int axis) {
        double[] values = Floats.of(ctx.parameter(block, name));
        if (values.length != x.dim(axis)) {
            throw ctx.unsupported(
                    "Mul",
                    "parameter "
                            + name
                            + " has "
                            + values.length
                            + " values for axis "
                            + axis
                            + " of "
                            + x);
        }
        long[] shape = new long[x.rank() - axis];
        Arrays.fill(shape, 1);
        shape[0] = values.length;
        return ctx.graph().constant(name, values, shape);
    }
}
