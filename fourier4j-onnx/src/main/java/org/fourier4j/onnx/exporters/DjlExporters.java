package org.fourier4j.onnx.exporters;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.util.Pair;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import org.fourier4j.onnx.export.ExportContext;
import org.fourier4j.onnx.export.ExporterRegistry;
import org.fourier4j.onnx.graph.OnnxOps;
import org.fourier4j.onnx.graph.OnnxValue;

/**
 * Exporters of the DJL blocks fourier4j's models use: {@code SequentialBlock}, {@code Linear},
 * {@code Conv1d/2d/3d}, {@code LayerNorm}, {@code BatchNorm} (inference: running statistics),
 * {@code Dropout} (identity in inference) and the {@code LambdaBlock}s of DJL's {@link Activation}
 * factories. Any other {@code LambdaBlock} holds opaque Java code and is refused, naming it.
 */
final class DjlExporters {

    private DjlExporters() {}

    static void register(ExporterRegistry r) {
        r.register(SequentialBlock.class, DjlExporters::sequential);
        r.register(Linear.class, DjlExporters::linear);
        r.register(Conv1d.class, DjlExporters::convolution);
        r.register(Conv2d.class, DjlExporters::convolution);
        r.register(Conv3d.class, DjlExporters::convolution);
        r.register(LayerNorm.class, DjlExporters::layerNorm);
        r.register(BatchNorm.class, DjlExporters::batchNorm);
        r.register(Dropout.class, (ctx, block, x) -> x);
        r.register(LambdaBlock.class, DjlExporters::lambda);
    }

    static OnnxValue sequential(ExportContext ctx, SequentialBlock block, OnnxValue x) {
        if (block.isReturnIntermediate()) {
            throw ctx.unsupported(
                    "returnIntermediate",
                    "a graph has one output; the block returns every intermediate");
        }
        OnnxValue out = x;
        for (Pair<String, Block> child : block.getChildren()) {
            out = ctx.export(child.getValue(), child.getKey(), out);
        }
        return out;
    }

    /** {@code x W^T + b} on the last axis: MatMul with the transposed weight, then Add. */
    static OnnxValue linear(ExportContext ctx, Linear block, OnnxValue x) {
        NDArray w = ctx.parameter(block, "weight");
        int units = (int) w.getShape().get(0);
        int in = (int) w.getShape().get(1);
        if (x.dim(-1) != in) {
            throw ctx.unsupported("MatMul", "weight " + w.getShape() + " does not fit input " + x);
        }
        OnnxValue wt =
                ctx.graph()
                        .constant("weight", Floats.transpose(Floats.of(w), units, in), in, units);
        OnnxValue y = ctx.ops().matMul(x, wt);
        if (block.getDirectParameters().contains("bias")) {
            y = ctx.ops().add(y, ctx.parameterConstant(block, "bias"));
        }
        return y;
    }

    static OnnxValue convolution(ExportContext ctx, Convolution block, OnnxValue x) {
        int dims = block.getKernelShape().dimension();
        long[] pad = block.getPadding().getShape();
        OnnxValue bias = block.isIncludeBias() ? ctx.parameterConstant(block, "bias") : null;
        if (x.rank() != dims + 2) {
            throw ctx.unsupported("Conv", "expected an input of rank " + (dims + 2) + ", got " + x);
        }
        return ctx.ops()
                .conv(
                        x,
                        ctx.parameterConstant(block, "weight"),
                        bias,
                        pad,
                        pad,
                        block.getStride().getShape(),
                        block.getDilation().getShape(),
                        block.getGroups());
    }

    /** DJL's LayerNorm normalises the trailing axes of gamma's shape (PyTorch's layer_norm). */
    static OnnxValue layerNorm(ExportContext ctx, LayerNorm block, OnnxValue x) {
        NDArray gamma = ctx.parameter(block, "gamma");
        int k = gamma.getShape().dimension();
        for (int i = 0; i < k; i++) {
            if (x.dim(x.rank() - k + i) != gamma.getShape().get(i)) {
                throw ctx.unsupported(
                        "LayerNormalization",
                        "gamma " + gamma.getShape() + " does not fit the trailing axes of " + x);
            }
        }
        float eps = DjlFields.readFloat(block, LayerNorm.class, "epsilon");
        return ctx.ops()
                .layerNorm(
                        x,
                        ctx.parameterConstant(block, "gamma"),
                        ctx.parameterConstant(block, "beta"),
                        x.rank() - k,
                        eps);
    }

    /** Inference-mode batch norm: BatchNormalization on axis 1, else a folded scale and shift. */
    static OnnxValue batchNorm(ExportContext ctx, BatchNorm block, OnnxValue x) {
        int axis = x.axis(DjlFields.readInt(block, BatchNorm.class, "axis"));
        double eps = DjlFields.readFloat(block, BatchNorm.class, "epsilon");
        if (axis == 1) {
            return ctx.ops()
                    .batchNorm(
                            x,
                            ctx.parameterConstant(block, "gamma"),
                            ctx.parameterConstant(block, "beta"),
                            ctx.parameterConstant(block, "runningMean"),
                            ctx.parameterConstant(block, "runningVar"),
                            eps);
        }
        double[] gamma = Floats.of(ctx.parameter(block, "gamma"));
        double[] beta = Floats.of(ctx.parameter(block, "beta"));
        double[] mean = Floats.of(ctx.parameter(block, "runningMean"));
        double[] var = Floats.of(ctx.parameter(block, "runningVar"));
        double[] scale = new double[gamma.length];
        double[] shift = new double[gamma.length];
        for (int c = 0; c < gamma.length; c++) {
            scale[c] = gamma[c] / Math.sqrt(var[c] + eps);
            shift[c] = beta[c] - mean[c] * scale[c];
        }
        long[] shape = new long[x.rank() - axis];
        java.util.Arrays.fill(shape, 1);
        shape[0] = gamma.length;
        OnnxOps ops = ctx.ops();
        return ops.add(
                ops.mul(x, ctx.graph().constant("scale", scale, shape)),
                ctx.graph().constant("shift", shift, shape));
    }

    private static Map<Object, BiFunction<OnnxOps, OnnxValue, OnnxValue>> known;

    /** DJL's activation blocks share one function object per factory; others are opaque. */
    static synchronized Map<Object, BiFunction<OnnxOps, OnnxValue, OnnxValue>> knownLambdas() {
        if (known == null) {
            Map<Object, BiFunction<OnnxOps, OnnxValue, OnnxValue>> m = new IdentityHashMap<>();
            m.put(function(Activation.reluBlock()), OnnxOps::relu);
            m.put(function(Activation.geluBlock()), (ops, x) -> ops.gelu(x, false));
            m.put(function(Activation.sigmoidBlock()), OnnxOps::sigmoid);
            m.put(function(Activation.tanhBlock()), OnnxOps::tanh);
            m.put(function(Activation.relu6Block()), (ops, x) -> ops.clip(x, 0, 6));
            m.put(function(Activation.softPlusBlock()), OnnxOps::softplus);
            m.put(function(Activation.softSignBlock()), (ops, x) -> ops.elementwise("Softsign", x));
            m.put(function(Activation.seluBlock()), (ops, x) -> ops.elementwise("Selu", x));
            // DJL 0.35.1 computes mish as x tanh(log2(1 + e^x)) (log2, not ln): export what it
            // computes
            m.put(
                    function(Activation.mishBlock()),
                    (ops, x) -> ops.mul(x, ops.tanh(ops.scale(ops.softplus(x), 1 / Math.log(2)))));
            m.put(function(Blocks.identityBlock()), (ops, x) -> x);
            known = m;
        }
        return known;
    }

    private static Object function(Block lambdaBlock) {
        return DjlFields.read(lambdaBlock, LambdaBlock.class, "lambda");
    }

    static OnnxValue lambda(ExportContext ctx, LambdaBlock block, OnnxValue x) {
        BiFunction<OnnxOps, OnnxValue, OnnxValue> f = knownLambdas().get(function(block));
        if (f == null) {
            throw ctx.unsupported(
                    "LambdaBlock '" + block.getName() + "'",
                    "its function is opaque Java code; only the blocks of DJL's Activation"
                        + " factories (reluBlock, geluBlock, sigmoidBlock, tanhBlock, relu6Block,"
                        + " softPlusBlock, softSignBlock, seluBlock, mishBlock) and"
                        + " Blocks.identityBlock() are recognised: replace it by a Block class and"
                        + " register an exporter for it");
        }
        return f.apply(ctx.ops(), x);
    }
}
