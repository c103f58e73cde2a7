package org.fourier4j.onnx.exporters;

import org.fourier4j.models.affnet.AffBlock;
import org.fourier4j.models.affnet.InvertedResidual;
import org.fourier4j.onnx.export.ExportContext;
import org.fourier4j.onnx.export.ExporterRegistry;
import org.fourier4j.onnx.graph.OnnxOps;
import org.fourier4j.onnx.graph.OnnxValue;

/**
 * Exporters of the blocks a model family owns (the rest of every family is the shared skeleton):
 * AFFNet's {@link AffBlock}, its filter unit and MobileNetV2's {@link InvertedResidual}.
 */
final class FamilyExporters {

    private FamilyExporters() {}

    static void register(ExporterRegistry r) {
        r.register(AffBlock.class, FamilyExporters::affBlock);
        r.register(
                AffBlock.FilterUnit.class,
                (ctx, b, x) -> ctx.child(b, "filter", ctx.child(b, "norm2", x)));
        r.register(InvertedResidual.class, FamilyExporters::invertedResidual);
    }

    /** {@code fusion(concat(x, conv_proj(global_rep(x))))} over channels. */
    static OnnxValue affBlock(ExportContext ctx, AffBlock block, OnnxValue x) {
        OnnxValue fm = ctx.child(block, "conv_proj", ctx.child(block, "global_rep", x));
        return ctx.child(block, "fusion", ctx.ops().concat(1, x, fm));
    }

    static OnnxValue invertedResidual(ExportContext ctx, InvertedResidual block, OnnxValue x) {
        OnnxValue y = ctx.child(block, "block", x);
        OnnxOps ops = ctx.ops();
        return block.hasShortcut() ? ops.add(x, y) : y;
    }
}
