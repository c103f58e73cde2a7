package org.fourier4j.onnx.exporters;

import ai.djl.ndarray.NDArray;
import org.fourier4j.nn.FourierEncoderBlock;
import org.fourier4j.nn.Gelu;
import org.fourier4j.nn.Mlp;
import org.fourier4j.nn.MultiHeadSelfAttention;
import org.fourier4j.nn.PatchEmbedding;
import org.fourier4j.onnx.export.ExportContext;
import org.fourier4j.onnx.export.ExporterRegistry;
import org.fourier4j.onnx.graph.OnnxOps;
import org.fourier4j.onnx.graph.OnnxValue;

/**
 * Exporters of the token blocks: patch embedding, attention, MLP and the FNet/FiT encoder block
 * ({@code MetaFormerBlock} is a sequence of residual units, see {@link StructureExporters}). Their
 * wiring follows the blocks' forward passes (see each class's Javadoc); children are exported
 * through the registry.
 */
final class TransformerExporters {

    private TransformerExporters() {}

    static void register(ExporterRegistry r) {
        r.register(Mlp.class, TransformerExporters::mlp);
        r.register(MultiHeadSelfAttention.class, TransformerExporters::attention);
        r.register(PatchEmbedding.class, TransformerExporters::patchEmbedding);
        r.register(FourierEncoderBlock.class, TransformerExporters::fourierEncoder);
    }

    /** fc1, exact GELU, fc2 (dropout is the identity in inference). */
    static OnnxValue mlp(ExportContext ctx, Mlp block, OnnxValue x) {
        OnnxValue h = ctx.ops().gelu(ctx.child(block, "fc1", x), false);
        return ctx.child(block, "fc2", h);
    }

    static OnnxValue attention(ExportContext ctx, MultiHeadSelfAttention block, OnnxValue x) {
        OnnxOps ops = ctx.ops();
        long n = x.dim(1);
        long hidden = x.dim(2);
        int heads = block.getHeads();
        long headDim = hidden / heads;
        OnnxValue packed =
                ops.reshape(ctx.child(block, "qkv", x), OnnxOps.BATCH, n, 3, heads, headDim);
        OnnxValue split = ops.transpose(packed, 2, 0, 3, 1, 4); // (3, B, heads, N, headDim)
        OnnxValue q = ops.scale(pick(ops, split, 0), 1 / Math.sqrt(headDim));
        OnnxValue k = pick(ops, split, 1);
        OnnxValue v = pick(ops, split, 2);
        OnnxValue weights = ops.softmax(ops.matMul(q, ops.transpose(k, 0, 1, 3, 2)), -1);
        OnnxValue merged = ops.transpose(ops.matMul(weights, v), 0, 2, 1, 3);
        return ctx.child(block, "proj", ops.reshape(merged, OnnxOps.BATCH, n, hidden));
    }

    private static OnnxValue pick(OnnxOps ops, OnnxValue x, int index) {
        return ops.squeeze(ops.slice(x, 0, index, index + 1), 0);
    }

    /**
     * proj, flatten to tokens, class token, position embeddings (resized to the grid), the token
     * grid (B, h, w, D) if the block gives one, norm.
     */
    static OnnxValue patchEmbedding(ExportContext ctx, PatchEmbedding block, OnnxValue x) {
        OnnxOps ops = ctx.ops();
        int patch = block.patchSize();
        int gh = (int) (x.dim(2) / patch);
        int gw = (int) (x.dim(3) / patch);
        OnnxValue maps = ctx.child(block, "proj", x); // (B, D, gh, gw)
        long dim = maps.dim(1);
        OnnxValue tokens =
                ops.transpose(ops.reshape(maps, OnnxOps.BATCH, dim, (long) gh * gw), 0, 2, 1);
        if (block.getDirectParameters().contains("cls_token")) {
            OnnxValue cls = ctx.parameterConstant(block, "cls_token");
            tokens = ops.concat(1, ops.expandToBatch(cls, tokens), tokens);
        }
        NDArray positions = block.positionsFor(ctx.manager(), gh, gw);
        if (positions != null) {
            tokens = ops.add(tokens, ctx.graph().constant("pos_embed", positions));
        }
        if (block.isTokenGrid()) {
            tokens = ops.reshape(tokens, OnnxOps.BATCH, gh, gw, dim);
        }
        return ctx.hasChild(block, "norm") ? ctx.child(block, "norm", tokens) : tokens;
    }

    /**
     * FNet: {@code x1 = LN1(x + m)}, {@code LN2(x1 + FF(x1))}; FiT: {@code h = LN1(m + x)}, {@code
     * LN2(FF(h) + m)}, with m the Fourier mixer's output.
     */
    static OnnxValue fourierEncoder(ExportContext ctx, FourierEncoderBlock block, OnnxValue x) {
        OnnxOps ops = ctx.ops();
        OnnxValue m = ctx.child(block, "fft", x);
        boolean tanh = block.getGelu() == Gelu.TANH;
        OnnxValue h = ctx.child(block, "layerNorm1", ops.add(x, m));
        OnnxValue f = ctx.child(block, "dense", ops.gelu(ctx.child(block, "ff", h), tanh));
        OnnxValue residual = block.getStyle() == FourierEncoderBlock.Style.FNET ? h : m;
        return ctx.child(block, "layerNorm2", ops.add(f, residual));
    }
}
