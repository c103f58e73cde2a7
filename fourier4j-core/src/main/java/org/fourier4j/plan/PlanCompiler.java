package org.fourier4j.plan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import org.fourier4j.fft.ConvAlgorithm;
import org.fourier4j.fft.ConvOptions;
import org.fourier4j.models.Stage;
import org.fourier4j.models.affnet.AffBlock;
import org.fourier4j.models.affnet.InvertedResidual;
import org.fourier4j.nn.Act;
import org.fourier4j.nn.AdditiveTokenMixer;
import org.fourier4j.nn.ChannelNorm;
import org.fourier4j.nn.ChannelOperation;
import org.fourier4j.nn.DropPath;
import org.fourier4j.nn.FfnifiedAttention;
import org.fourier4j.nn.FftConvBlock;
import org.fourier4j.nn.LayerNorm2d;
import org.fourier4j.nn.LayerNormNoBias;
import org.fourier4j.nn.LayerScale;
import org.fourier4j.nn.MetaFormerBlock;
import org.fourier4j.nn.Mlp;
import org.fourier4j.nn.Permute;
import org.fourier4j.nn.Residual;
import org.fourier4j.nn.Sequence;
import org.fourier4j.nn.SpatialOperation;
import org.fourier4j.nn.StarReLU;
import org.fourier4j.reparam.ConvBn;
import org.fourier4j.reparam.ConvSpec;
import org.fourier4j.reparam.ConvWeights;
import org.fourier4j.reparam.MultiBranchConv;

/**
 * Turns a block tree into {@link Step}s. Blocks whose inference computation it knows (the
 * skeleton's containers, convolutions, linear layers, norms, activations, layer scales, the
 * re-parameterisable units and a few mixers) become steps on their weights; a block of a class it
 * does not know, or of a subclass that changes the forward pass, runs unchanged ({@link
 * BlockStep}).
 */
final class PlanCompiler {

    private final PlanContext context;

    PlanCompiler(PlanContext context) {
        this.context = context;
    }

    /**
     * Compiles a block.
     *
     * @param b an initialised block
     * @return its step
     */
    Step compile(Block b) {
        Step s = known(b);
        return s != null ? s : new BlockStep(b);
    }

    /** Compiles blocks applied in sequence. */
    Step chain(List<? extends Block> blocks) {
        List<Step> steps = new ArrayList<>();
        for (Block b : blocks) {
            steps.add(compile(b));
        }
        return ChainStep.of(steps);
    }

    private Step known(Block b) {
        if (is(b, Sequence.class) || is(b, MetaFormerBlock.class)) {
            return chain(children(b));
        }
        if (b instanceof Residual) {
            Residual r = (Residual) b;
            return new ResidualStep(chain(r.steps()), r.skip() == null ? null : compile(r.skip()));
        }
        if (b instanceof Stage) {
            Stage st = (Stage) b;
            List<Block> blocks = new ArrayList<>();
            if (st.downsample() != null) {
                blocks.add(st.downsample());
            }
            for (int i = 0; i < st.depth(); i++) {
                blocks.add(st.block(i));
            }
            return chain(blocks);
        }
        if (is(b, Dropout.class) || b instanceof DropPath) {
            return IdentityStep.INSTANCE;
        }
        if (b instanceof Act) {
            return new ActStep(((Act) b).kind());
        }
        if (b instanceof Permute) {
            return new PermuteStep(((Permute) b).axes());
        }
        if (is(b, Conv2d.class)) {
            Conv2d c = (Conv2d) b;
            ConvOptions o =
                    ConvOptions.of(c.getStride(), c.getPadding(), c.getDilation(), c.getGroups());
            return conv(param(b, "weight"), param(b, "bias"), o, ConvAlgorithm.DIRECT);
        }
        if (is(b, FftConvBlock.class)) {
            FftConvBlock c = (FftConvBlock) b;
            return conv(param(b, "weight"), param(b, "bias"), c.convOptions(), c.getAlgorithm());
        }
        if (is(b, Linear.class)) {
            return new LinearStep(context, param(b, "weight"), param(b, "bias"), 0);
        }
        if (is(b, BatchNorm.class)) {
            return batchNorm((BatchNorm) b);
        }
        if (is(b, LayerNorm.class)) {
            Object shape = DjlFields.read(b, LayerNorm.class, "normalizedShape");
            Object eps = DjlFields.read(b, LayerNorm.class, "epsilon");
            if (!(shape instanceof Shape) || !(eps instanceof Float)) {
                return null;
            }
            return new LayerNormStep(
                    (Shape) shape, param(b, "gamma"), param(b, "beta"), (Float) eps, false);
        }
        if (is(b, LayerNorm2d.class)) {
            NDArray w = param(b, "weight");
            return new LayerNormStep(
                    w.getShape(), w, param(b, "bias"), ((LayerNorm2d) b).getEpsilon(), true);
        }
        if (is(b, ChannelNorm.class)
                && ((ChannelNorm) b).getKind() == ChannelNorm.Kind.GROUP_NORM_1) {
            return ChainStep.of(
                    List.of(
                            new GroupNormStep(context, (float) ((ChannelNorm) b).getEpsilon()),
                            new AffineStep(
                                    context,
                                    AffineStep.Axis.CHANNELS_FIRST,
                                    Folding.values(param(b, "weight")),
                                    Folding.values(param(b, "bias")))));
        }
        if (is(b, LayerNormNoBias.class)) {
            NDArray w = param(b, "weight");
            NDArray zero = context.own(w.zerosLike());
            return new LayerNormStep(
                    w.getShape(), w, zero, ((LayerNormNoBias) b).getEpsilon(), false);
        }
        if (is(b, StarReLU.class)) {
            return new StarReluStep(
                    param(b, "scale").toFloatArray()[0], param(b, "bias").toFloatArray()[0]);
        }
        if (is(b, LayerScale.class)) {
            LayerScale ls = (LayerScale) b;
            double[] g = Folding.values(ls.gamma().getArray());
            return new AffineStep(
                    context,
                    ls.isChannelsFirst() ? AffineStep.Axis.CHANNELS_FIRST : AffineStep.Axis.LAST,
                    g,
                    null);
        }
        if (is(b, Mlp.class)) {
            return ChainStep.of(
                    List.of(
                            compile(child(b, "fc1")),
                            new ActStep(Act.Kind.GELU),
                            compile(child(b, "fc2"))));
        }
        if (b instanceof ConvBn) {
            return convBn((ConvBn) b);
        }
        if (b instanceof MultiBranchConv) {
            MultiBranchConv u = (MultiBranchConv) b;
            if (u.isFused()) {
                return compile(u.fusedConv());
            }
            return equivalent(u.equivalentConv(), u.spec());
        }
        if (b instanceof FfnifiedAttention) {
            FfnifiedAttention f = (FfnifiedAttention) b;
            return ChainStep.of(
                    List.of(
                            compile(child(b, "fc")),
                            compile(child(b, "conv1")),
                            new ActStep(f.usesGelu() ? Act.Kind.GELU : Act.Kind.RELU),
                            compile(child(b, "conv2"))));
        }
        if (b instanceof SpatialOperation) {
            return GateStep.spatial(compile(child(b, "block")));
        }
        if (b instanceof ChannelOperation) {
            return GateStep.channel(compile(child(child(b, "block"), "1")));
        }
        if (b instanceof AdditiveTokenMixer) {
            return AdditiveMixerStep.compile(this, b);
        }
        return affNet(b);
    }

    /** AFFNet's own blocks: the inverted residual, the AFF block and its filter unit. */
    private Step affNet(Block b) {
        if (is(b, InvertedResidual.class)) {
            Step unit = compile(child(b, "block"));
            return ((InvertedResidual) b).hasShortcut() ? new ResidualStep(unit, null) : unit;
        }
        if (is(b, AffBlock.class)) {
            Step fm =
                    ChainStep.of(
                            List.of(
                                    compile(child(b, "global_rep")),
                                    compile(child(b, "conv_proj"))));
            return ChainStep.of(List.of(new ConcatInputStep(fm), compile(child(b, "fusion"))));
        }
        if (is(b, AffBlock.FilterUnit.class)) {
            return ChainStep.of(List.of(compile(child(b, "norm2")), compile(child(b, "filter"))));
        }
        return null;
    }

    private Step batchNorm(BatchNorm bn) {
        Object axis = DjlFields.read(bn, BatchNorm.class, "axis");
        Object eps = DjlFields.read(bn, BatchNorm.class, "epsilon");
        if (!Integer.valueOf(1).equals(axis) || !(eps instanceof Float)) {
            return null;
        }
        double[] gamma = Folding.values(param(bn, "gamma"));
        double[] beta = Folding.values(param(bn, "beta"));
        double[] mean = Folding.values(param(bn, "runningMean"));
        double[] var = Folding.values(param(bn, "runningVar"));
        double[] scale = new double[gamma.length];
        double[] shift = new double[gamma.length];
        for (int i = 0; i < gamma.length; i++) {
            scale[i] = gamma[i] / Math.sqrt(var[i] + (Float) eps);
            shift[i] = beta[i] - mean[i] * scale[i];
        }
        return new AffineStep(context, AffineStep.Axis.CHANNELS_FIRST, scale, shift);
    }

    private Step convBn(ConvBn u) {
        FftConvBlock c = u.conv();
        ConvWeights w = u.equivalentConv();
        Step conv =
                new ConvStep(
                        context,
                        context.own(w.weight()),
                        context.own(w.bias()),
                        c.convOptions(),
                        c.getAlgorithm(),
                        1);
        return u.activation() == null
                ? conv
                : ChainStep.of(List.of(conv, new ActStep(u.activation())));
    }

    private Step equivalent(ConvWeights w, ConvSpec spec) {
        int pad = spec.kernel() / 2;
        ConvOptions o =
                ConvOptions.builder()
                        .stride(spec.stride(), spec.stride())
                        .padding(pad, pad)
                        .groups(spec.groups())
                        .build();
        return new ConvStep(
                context, context.own(w.weight()), context.own(w.bias()), o, spec.algorithm(), 1);
    }

    Step conv(NDArray weight, NDArray bias, ConvOptions options, ConvAlgorithm algorithm) {
        return new ConvStep(context, weight, bias, options, algorithm, 0);
    }

    PlanContext context() {
        return context;
    }

    /** Whether {@code b} is a {@code type} whose forward pass no subclass changes. */
    static boolean is(Block b, Class<? extends Block> type) {
        if (!type.isInstance(b)) {
            return false;
        }
        for (Class<?> c = b.getClass(); c != type; c = c.getSuperclass()) {
            for (java.lang.reflect.Method m : c.getDeclaredMethods()) {
                if (m.getName().equals("forwardInternal") || m.getName().equals("forward")) {
                    return false;
                }
            }
        }
        return true;
    }

    static List<Block> children(Block b) {
        return new ArrayList<>(b.getChildren().values());
    }

    static Block child(Block b, String name) {
        Block c = childOrNull(b, name);
        if (c == null) {
            throw new IllegalStateException(
                    b.getClass().getSimpleName() + " has no child '" + name + "'");
        }
        return c;
    }

    /**
     * A child by the name it was added with (DJL keys children with a two-digit position prefix).
     *
     * @param b the parent
     * @param name the child's name
     * @return the child, or null
     */
    static Block childOrNull(Block b, String name) {
        PairList<String, Block> children = b.getChildren();
        for (int i = 0; i < children.size(); i++) {
            String key = children.keyAt(i);
            if (key.equals(name) || (key.length() == name.length() + 2 && key.endsWith(name))) {
                return children.valueAt(i);
            }
        }
        return null;
    }

    /** A parameter's array, or null when the block has no such parameter (a conv without bias). */
    static NDArray param(Block b, String name) {
        PairList<String, Parameter> p = b.getDirectParameters();
        Parameter param = p.get(name);
        return param == null || !param.isInitialized() ? null : param.getArray();
    }
}
