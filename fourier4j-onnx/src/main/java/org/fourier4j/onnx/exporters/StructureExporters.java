package org.fourier4j.onnx.exporters;

import ai.djl.nn.Block;
import ai.djl.util.Pair;
import java.util.Arrays;
import org.fourier4j.models.ClassifierHead;
import org.fourier4j.models.MetaFormer;
import org.fourier4j.models.Stage;
import org.fourier4j.nn.Act;
import org.fourier4j.nn.Permute;
import org.fourier4j.nn.Residual;
import org.fourier4j.nn.Sequence;
import org.fourier4j.nn.StarReLU;
import org.fourier4j.onnx.export.ExportContext;
import org.fourier4j.onnx.export.ExporterRegistry;
import org.fourier4j.onnx.graph.OnnxOps;
import org.fourier4j.onnx.graph.OnnxValue;

/**
 * Exporters of the skeleton every zoo model is made of: {@link Sequence} (and so {@code
 * MetaFormerBlock}, a sequence of two residual units), {@link Residual} with its optional shortcut
 * block, {@link Permute}, {@link Act} of every kind, {@link StarReLU}, and the model classes {@link
 * MetaFormer}, {@link Stage} and {@link ClassifierHead}.
 */
final class StructureExporters {

    private StructureExporters() {}

    static void register(ExporterRegistry r) {
        r.register(Sequence.class, StructureExporters::inOrder);
        // stem, stages, the feature block, head / downsample, blocks: children in forward order
        r.register(MetaFormer.class, StructureExporters::inOrder);
        r.register(Stage.class, StructureExporters::inOrder);
        r.register(Residual.class, StructureExporters::residual);
        r.register(Permute.class, (ctx, b, x) -> ctx.ops().transpose(x, b.axes()));
        r.register(Act.class, (ctx, b, x) -> activation(ctx.ops(), b.kind(), x));
        r.register(StarReLU.class, StructureExporters::starRelu);
        r.register(ClassifierHead.class, StructureExporters::head);
    }

    /** Every child applied in turn, in the order they were added. */
    static OnnxValue inOrder(ExportContext ctx, Block block, OnnxValue x) {
        OnnxValue out = x;
        for (Pair<String, Block> child : block.getChildren()) {
            out = ctx.export(child.getValue(), child.getKey(), out);
        }
        return out;
    }

    /** {@code skip(x) + steps(x)} ({@code x} itself without a shortcut block). */
    static OnnxValue residual(ExportContext ctx, Residual block, OnnxValue x) {
        Block skip = block.skip();
        OnnxValue branch = x;
        OnnxValue shortcut = x;
        for (Pair<String, Block> child : block.getChildren()) {
            if (child.getValue() == skip) {
                shortcut = ctx.export(skip, child.getKey(), x);
            } else {
                branch = ctx.export(child.getValue(), child.getKey(), branch);
            }
        }
        if (!Arrays.equals(branch.shape(), x.shape())) {
            throw ctx.unsupported("Add", "the branch turned " + x + " into " + branch);
        }
        return ctx.ops().add(shortcut, branch);
    }

    /**
     * One activation kind in standard operators.
     *
     * @param ops the operators
     * @param kind the activation
     * @param x its input
     * @return its output
     */
    static OnnxValue activation(OnnxOps ops, Act.Kind kind, OnnxValue x) {
        switch (kind) {
            case RELU:
                return ops.relu(x);
            case GELU:
                return ops.gelu(x, false);
            case GELU_TANH:
                return ops.gelu(x, true);
            case SILU:
                return ops.mul(x, ops.sigmoid(x));
            case TANH:
                return ops.tanh(x);
            case SQUARED_RELU:
                OnnxValue r = ops.relu(x);
                return ops.mul(r, r);
            default:
                throw new IllegalArgumentException("no ONNX form for activation " + kind);
        }
    }

    /** {@code scale * relu(x)^2 + bias}, both scalars of shape (1). */
    static OnnxValue starRelu(ExportContext ctx, StarReLU block, OnnxValue x) {
        OnnxOps ops = ctx.ops();
        OnnxValue r = ops.relu(x);
        OnnxValue scaled = ops.mul(ops.mul(r, r), ctx.parameterConstant(block, "scale"));
        return ops.add(scaled, ctx.parameterConstant(block, "bias"));
    }

    /** Pool, optional norm, fc (averaged with dist), optional tanh. */
    static OnnxValue head(ExportContext ctx, ClassifierHead block, OnnxValue x) {
        OnnxOps ops = ctx.ops();
        OnnxValue pooled;
        switch (block.pool()) {
            case MEAN_CHANNELS_FIRST:
                pooled = ops.reduceMean(x, false, 2, 3);
                break;
            case MEAN_CHANNELS_LAST:
                pooled = ops.reduceMean(x, false, 1, 2);
                break;
            case MEAN_TOKENS:
                pooled = ops.reduceMean(x, false, 1);
                break;
            default:
                pooled = ops.squeeze(ops.slice(x, 1, 0, 1), 1);
        }
        if (ctx.hasChild(block, "norm")) {
            pooled = ctx.child(block, "norm", pooled);
        }
        ctx.preLogits(pooled);
        OnnxValue logits = ctx.child(block, "fc", pooled);
        if (block.hasDistillation()) {
            logits = ops.scale(ops.add(logits, ctx.child(block, "dist", pooled)), 0.5);
        }
        return block.isTanh() ? ops.tanh(logits) : logits;
    }
}
