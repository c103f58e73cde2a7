package org.fourier4j.onnx.exporters;

import ai.djl.nn.Block;
import org.fourier4j.fft.PaddingMode;
import org.fourier4j.nn.Act;
import org.fourier4j.onnx.export.ExportContext;
import org.fourier4j.onnx.export.ExporterRegistry;
import org.fourier4j.onnx.graph.OnnxValue;
import org.fourier4j.reparam.BnConv;
import org.fourier4j.reparam.ConvBn;
import org.fourier4j.reparam.ConvSpec;
import org.fourier4j.reparam.ConvWeights;
import org.fourier4j.reparam.MultiBranchConv;

/**
 * Exporters of the re-parameterisable units of {@code org.fourier4j.reparam}, always as the one
 * convolution they equal in inference (RepVGG/RepLKNet's structural re-parameterisation): a fused
 * {@link MultiBranchConv} exports its fused convolution; an unfused one, a {@link ConvBn} (RepLKNet
 * keeps those in its deploy form) and a {@link BnConv} export the convolution their {@code
 * equivalentConv()} computes, so the graph is the deploy form whether or not the model was fused.
 * The convolution goes through {@link FftConvExport} (ONNX {@code Conv}, or the spectral form for
 * large depthwise kernels by the transform rule).
 */
final class ReparamExporters {

    private ReparamExporters() {}

    static void register(ExporterRegistry r) {
        r.register(ConvBn.class, ReparamExporters::convBn);
        r.register(BnConv.class, (ctx, b, x) -> folded(ctx, b.spec(), b.equivalentConv(), x));
        r.register(MultiBranchConv.class, ReparamExporters::multiBranch);
    }

    static OnnxValue convBn(ExportContext ctx, ConvBn block, OnnxValue x) {
        OnnxValue y = folded(ctx, block.spec(), block.equivalentConv(), x);
        Act.Kind act = block.activation();
        return act == null ? y : StructureExporters.activation(ctx.ops(), act, y);
    }

    static OnnxValue multiBranch(ExportContext ctx, MultiBranchConv block, OnnxValue x) {
        Block fused = block.fusedConv();
        if (fused != null) {
            for (var child : block.getChildren()) {
                if (child.getValue() == fused) {
                    return ctx.export(fused, child.getKey(), x);
                }
            }
        }
        return folded(ctx, block.spec(), block.equivalentConv(), x);
    }

    /** The convolution of a spec (odd kernel, padding k/2) with folded weights, then freed. */
    private static OnnxValue folded(
            ExportContext ctx, ConvSpec spec, ConvWeights weights, OnnxValue x) {
        try (weights) {
            int pad = spec.kernel() / 2;
            FftConvExport.Geometry g =
                    new FftConvExport.Geometry(
                            new int[] {spec.stride(), spec.stride()},
                            new int[] {1, 1},
                            spec.groups(),
                            new int[] {pad, pad},
                            new int[] {pad, pad},
                            PaddingMode.ZEROS);
            if (x.rank() != 4) {
                throw ctx.unsupported("Conv", "expected (B, C, H, W), got " + x);
            }
            return FftConvExport.convolve(ctx, x, weights.weight(), weights.bias(), g);
        }
    }
}
