package org.fourier4j.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.fourier4j.nn.AdaptiveFrequencyFilter;
import org.fourier4j.nn.ChannelNorm;
import org.fourier4j.nn.DropPath;
import org.fourier4j.nn.Pooling;

/**
 * AFFNet (Huang et al., ICCV 2023, "Adaptive Frequency Filters As Efficient Global Token Mixers"),
 * as in the official {@code affnet.py} / {@code aff_block.py} of microsoft/TokenMixers
 * (shared/specs/token-mixers.md section 3): a MobileViT-like network whose attention blocks are
 * replaced by adaptive frequency filtering.
 *
 * <ul>
 *   <li>{@code conv_1}: conv 3x3 stride 2 (3 to 16) with BatchNorm and the activation.
 *   <li>{@code layer1}, {@code layer2}: MobileNetV2 inverted residuals (MV2: 1x1 expand + BN + act,
 *       3x3 depthwise + BN + act, 1x1 project + BN; residual when stride 1 and widths match; hidden
 *       width {@code make_divisible(round(C e), 8)}), {@code layer2} starting with stride 2.
 *   <li>{@code layer3..5}: one MV2 with stride 2, then an {@link AffBlock}: {@code n} {@link
 *       AffLayer}s ({@code r = x; z = IR(norm1(x)); z = AFF(norm2(z)) + norm2(z); x = r +
 *       DropPath(z)}, IR = an MV2 C to C with expansion 2 and its own residual, AFF = {@link
 *       AdaptiveFrequencyFilter}, 8 groups), one more norm, a 1x1 conv + BN projection, and the
 *       fusion {@code conv1x1(concat(input, projection))} + BN + act.
 *   <li>{@code conv_1x1_exp} to {@code min(4 C5, 960)} channels + BN + act, global average pool,
 *       linear.
 * </ul>
 *
 * <p><b>Choices where the released code leaves the setting to unreleased YAML files.</b> The global
 * activation (also the AFF mask MLP's, which reads the same option) defaults here to <b>swish</b>
 * (SiLU): the code's fallback is ReLU, but AFFNet is trained with the ml-cvnets MobileViT recipes,
 * which all set swish; override {@code activation} = relu, swish or gelu. The block norms default
 * to <b>{@code layer_norm_2d}</b> (GroupNorm with one group, eps 1e-5), the value {@code AFFBlock}
 * and {@code _make_affnet_layer} fall back to (the argparse default is {@code layer_norm}: override
 * {@code norm} = layer_norm); both have 2C parameters, so parameter counts do not depend on it.
 * BatchNorm elsewhere, no classifier dropout, drop path per {@link ModelOptions#dropPathRate()}
 * growing linearly over the AFF layers. Convolution and linear weights keep DJL's default
 * initialisers (the official {@code reset_parameters} turns out to be a no-op, leaving PyTorch's
 * defaults); the AFF mask weights are {@code 0.02 N(0, 1)} as in the code.
 *
 * <p>Input (B, 3, H, W), any H, W: the network downsamples by 32 with 'same'-padded stride-2 convs
 * and the spectral filters take any grid, so the zoo takes sizes from 32 up. At 32x32 (CIFAR) the
 * AFF stages see 4x4, 2x2 and 1x1 maps; at 256x256, as in the paper, 32x32, 16x16 and 8x8.
 */
public final class AffNet extends ImageClassifier {

    /** BatchNorm epsilon (PyTorch's default). */
    static final float BN_EPS = 1e-5f;

    /** The global activation (ml-cvnets {@code model.activation.name}). */
    public enum Act {
        /** ReLU, the code's fallback. */
        RELU(AdaptiveFrequencyFilter.MaskActivation.RELU),
        /** SiLU, x sigmoid(x): ml-cvnets MobileViT recipes (our default). */
        SWISH(AdaptiveFrequencyFilter.MaskActivation.SILU),
        /** Exact GELU. */
        GELU(AdaptiveFrequencyFilter.MaskActivation.GELU);

        final AdaptiveFrequencyFilter.MaskActivation mask;

        Act(AdaptiveFrequencyFilter.MaskActivation mask) {
            this.mask = mask;
        }

        NDArray apply(NDArray x) {
            switch (this) {
                case RELU:
                    return Activation.relu(x);
                case GELU:
                    return Activation.gelu(x);
                default:
                    return x.mul(Activation.sigmoid(x));
            }
        }

        /**
         * Parses an override value.
         *
         * @param v relu, swish (or silu) or gelu
         * @return the activation
         */
        static Act parse(String v) {
            String k = v.trim().toLowerCase(Locale.ROOT);
            if (k.equals("silu")) {
                return SWISH;
            }
            for (Act a : values()) {
                if (a.name().toLowerCase(Locale.ROOT).equals(k)) {
                    return a;
                }
            }
            throw new IllegalArgumentException(
                    "override 'activation' must be relu, swish or gelu, got '" + v + "'");
        }
    }

    /** An AFFNet configuration (ml-cvnets {@code model.classification.affnet.mode}). */
    public static final class Config {
        final int stemChannels;
        final int[] channels;
        final int[] mv2Blocks;
        final int[] affBlocks;
        final int mv2Expand;
        final int ffnRatio;
        final int groups;

        /**
         * Creates a configuration.
         *
         * @param stemChannels output width of {@code conv_1} (16)
         * @param channels output widths of layer1..layer5
         * @param mv2Blocks MV2 blocks of layer1 and layer2
         * @param affBlocks AFF layers in the AFFBlocks of layer3..layer5
         * @param mv2Expand MV2 expansion of layers 1-5 (2 for AFFNet-ET, 4 otherwise)
         * @param ffnRatio expansion of the IR inside each AFF layer (ffn_dim / C = 2)
         * @param groups channel groups of the AFF mask MLP (8); divides channels[2..4]
         */
        public Config(
                int stemChannels,
                int[] channels,
                int[] mv2Blocks,
                int[] affBlocks,
                int mv2Expand,
                int ffnRatio,
                int groups) {
            if (channels.length != 5 || mv2Blocks.length != 2 || affBlocks.length != 3) {
                throw new IllegalArgumentException(
                        "AFFNet: channels needs 5 entries, mv2_blocks 2, aff_blocks 3, got "
                                + Arrays.toString(channels)
                                + ", "
                                + Arrays.toString(mv2Blocks)
                                + ", "
                                + Arrays.toString(affBlocks));
            }
            for (int[] a : new int[][] {channels, mv2Blocks, affBlocks}) {
                for (int v : a) {
                    if (v < 1) {
                        throw new IllegalArgumentException(
                                "AFFNet: widths and block counts must be positive, got "
                                        + Arrays.toString(a));
                    }
                }
            }
            if (stemChannels < 1 || mv2Expand < 1 || ffnRatio < 1 || groups < 1) {
                throw new IllegalArgumentException(
                        "AFFNet: stem width, expansions and groups must be positive");
            }
            for (int i = 2; i < 5; i++) {
                if (channels[i] % groups != 0) {
                    throw new IllegalArgumentException(
                            "AFFNet: groups="
                                    + groups
                                    + " must divide the AFF widths "
                                    + Arrays.toString(Arrays.copyOfRange(channels, 2, 5)));
                }
            }
            this.stemChannels = stemChannels;
            this.channels = channels.clone();
            this.mv2Blocks = mv2Blocks.clone();
            this.affBlocks = affBlocks.clone();
            this.mv2Expand = mv2Expand;
            this.ffnRatio = ffnRatio;
            this.groups = groups;
        }
    }

    /** AFFNet-ET (code mode {@code xx_small}): 32/48/64/104/144, MV2 expansion 2. */
    static final Config ET =
            new Config(
                    16,
                    new int[] {32, 48, 64, 104, 144},
                    new int[] {1, 3},
                    new int[] {2, 4, 3},
                    2,
                    2,
                    8);

    /** AFFNet-T (code mode {@code x_small}): 32/48/96/160/192, MV2 expansion 4. */
    static final Config T =
            new Config(
                    16,
                    new int[] {32, 48, 96, 160, 192},
                    new int[] {1, 3},
                    new int[] {2, 4, 3},
                    4,
                    2,
                    8);

    /** AFFNet (code mode {@code small}): 32/64/128/256/320, MV2 expansion 4. */
    static final Config BASE =
            new Config(
                    16,
                    new int[] {32, 64, 128, 256, 320},
                    new int[] {1, 3},
                    new int[] {2, 4, 3},
                    4,
                    2,
                    8);

    private final SequentialBlock body;
    private final Linear head;

    /**
     * Builds the model.
     *
     * @param name the zoo name
     * @param options classes, image size, drop path
     * @param config the configuration
     * @param act the global activation (also the AFF mask MLP's)
     * @param norm the norm of the AFF layers and blocks
     */
    public AffNet(
            String name, ModelOptions options, Config config, Act act, ChannelNorm.Kind norm) {
        super(name, options);
        int[] c = config.channels;
        int e = config.mv2Expand;
        body = new SequentialBlock();
        body.add(convLayer(config.stemChannels, 3, 2, 1, act));
        SequentialBlock layer1 = new SequentialBlock();
        int in = config.stemChannels;
        for (int i = 0; i < config.mv2Blocks[0]; i++) {
            layer1.add(new InvertedResidual(in, c[0], 1, e, act));
            in = c[0];
        }
        body.add(layer1);
        SequentialBlock layer2 = new SequentialBlock();
        for (int i = 0; i < config.mv2Blocks[1]; i++) {
            layer2.add(new InvertedResidual(in, c[1], i == 0 ? 2 : 1, e, act));
            in = c[1];
        }
        body.add(layer2);
        int totalLayers = Arrays.stream(config.affBlocks).sum();
        int index = 0;
        for (int s = 0; s < 3; s++) {
            SequentialBlock layer = new SequentialBlock();
            int width = c[s + 2];
            layer.add(new InvertedResidual(in, width, 2, e, act));
            float[] rates = new float[config.affBlocks[s]];
            for (int j = 0; j < rates.length; j++) {
                rates[j] = totalLayers > 1 ? options.dropPathRate() * index / (totalLayers - 1) : 0;
                index++;
            }
            layer.add(new AffBlock(width, config.ffnRatio, config.groups, rates, act, norm));
            body.add(layer);
            in = width;
        }
        body.add(convLayer(Math.min(4 * in, 960), 1, 1, 1, act));
        addChildBlock("body", body);
        head = addChildBlock("classifier", Linear.builder().setUnits(options.numClasses()).build());
    }

    /**
     * ml-cvnets {@code make_divisible(v, 8)}: the nearest multiple of 8 (at least 8), raised by 8
     * if that falls below 90% of v.
     */
    static int makeDivisible(double v) {
        int d = 8;
        int out = Math.max(d, (int) (v + d / 2.0) / d * d);
        if (out < 0.9 * v) {
            out += d;
        }
        return out;
    }

    /** ml-cvnets {@code ConvLayer}: conv without bias ('same' padding), BatchNorm, optional act. */
    static Block convLayer(int out, int kernel, int stride, int groups, Act act) {
        SequentialBlock b = new SequentialBlock();
        b.add(
                Conv2d.builder()
                        .setKernelShape(new Shape(kernel, kernel))
                        .setFilters(out)
                        .optStride(new Shape(stride, stride))
                        .optPadding(new Shape(kernel / 2, kernel / 2))
                        .optGroups(groups)
                        .optBias(false)
                        .build());
        b.add(BatchNorm.builder().optEpsilon(BN_EPS).build());
        if (act != null) {
            b.add(x -> new NDList(act.apply(x.singletonOrThrow())));
        }
        return b;
    }

    @Override
    public NDArray forwardFeatures(ParameterStore ps, NDArray images, boolean training) {
        return body.forward(ps, new NDList(images), training).singletonOrThrow();
    }

    @Override
    public NDArray forwardHead(ParameterStore ps, NDArray features, boolean training) {
        NDArray pooled = Pooling.mean(features, false, 2, 3);
        return head.forward(ps, new NDList(pooled), training).singletonOrThrow();
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        body.initialize(manager, dataType, inputShapes);
        Shape f = body.getOutputShapes(inputShapes)[0];
        head.initialize(manager, dataType, new Shape(f.get(0), f.get(1)));
    }

    /** MobileNetV2's inverted residual as ml-cvnets builds it (no biases, BN after each conv). */
    static final class InvertedResidual extends AbstractBlock {
        private final Block body;
        private final boolean residual;
        private final int out;
        private final int stride;

        InvertedResidual(int in, int out, int stride, double expand, Act act) {
            int hidden = makeDivisible(Math.round(in * expand));
            SequentialBlock b = new SequentialBlock();
            if (expand != 1) {
                b.add(convLayer(hidden, 1, 1, 1, act));
            }
            b.add(convLayer(hidden, 3, stride, hidden, act));
            b.add(convLayer(out, 1, 1, 1, null));
            this.body = addChildBlock("block", b);
            this.residual = stride == 1 && in == out;
            this.out = out;
            this.stride = stride;
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps,
                NDList inputs,
                boolean training,
                PairList<String, Object> params) {
            NDList y = body.forward(ps, inputs, training);
            return residual ? new NDList(inputs.singletonOrThrow().add(y.singletonOrThrow())) : y;
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            Shape s = inputShapes[0];
            return new Shape[] {
                new Shape(s.get(0), out, (s.get(2) - 1) / stride + 1, (s.get(3) - 1) / stride + 1)
            };
        }

        @Override
        protected void initializeChildBlocks(
                NDManager manager, DataType dataType, Shape... inputShapes) {
            body.initialize(manager, dataType, inputShapes);
        }
    }

    /**
     * One AFF layer ({@code Block} of the code): {@code z = IR(norm1(x))}, then the AFF mixer with
     * its built-in {@code norm2} and skip, {@code z = AFF(norm2(z)) + norm2(z)}, and {@code x +
     * DropPath(z)}.
     */
    static final class AffLayer extends AbstractBlock {
        private final ChannelNorm norm1;
        private final InvertedResidual mlp;
        private final AdaptiveFrequencyFilter filter;
        private final DropPath dropPath;

        AffLayer(int dim, int ffnRatio, int groups, float dropRate, Act act, ChannelNorm.Kind k) {
            norm1 = addChildBlock("norm1", new ChannelNorm("AFFNet", k));
            mlp = addChildBlock("mlp", new InvertedResidual(dim, dim, 1, ffnRatio, act));
            filter =
                    addChildBlock(
                            "filter",
                            AdaptiveFrequencyFilter.builder()
                                    .optChannels(dim)
                                    .optGroups(groups)
                                    .optActivation(act.mask)
                                    .optNorm(
                                            k == ChannelNorm.Kind.LAYER_NORM
                                                    ? AdaptiveFrequencyFilter.Norm.LAYER_NORM
                                                    : AdaptiveFrequencyFilter.Norm.GROUP_NORM_1)
                                    .build());
            dropPath = addChildBlock("drop_path", new DropPath(dropRate));
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps,
                NDList inputs,
                boolean training,
                PairList<String, Object> params) {
            NDList z = mlp.forward(ps, norm1.forward(ps, inputs, training), training);
            z = dropPath.forward(ps, filter.forward(ps, z, training), training);
            return new NDList(inputs.singletonOrThrow().add(z.singletonOrThrow()));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {inputShapes[0]};
        }

        @Override
        protected void initializeChildBlocks(
                NDManager manager, DataType dataType, Shape... inputShapes) {
            for (Block b : children.values()) {
                b.initialize(manager, dataType, inputShapes);
            }
        }
    }

    /**
     * {@code AFFBlock}: AFF layers and a norm ({@code global_rep}), 1x1 conv + BN ({@code
     * conv_proj}), and the fusion 1x1 conv + BN + act on {@code concat(input, projection)}.
     */
    static final class AffBlock extends AbstractBlock {
        private final SequentialBlock globalRep;
        private final Block convProj;
        private final Block fusion;

        AffBlock(int dim, int ffnRatio, int groups, float[] rates, Act act, ChannelNorm.Kind norm) {
            globalRep = new SequentialBlock();
            for (float rate : rates) {
                globalRep.add(new AffLayer(dim, ffnRatio, groups, rate, act, norm));
            }
            globalRep.add(new ChannelNorm("AFFNet", norm));
            addChildBlock("global_rep", globalRep);
            convProj = addChildBlock("conv_proj", convLayer(dim, 1, 1, 1, null));
            fusion = addChildBlock("fusion", convLayer(dim, 1, 1, 1, act));
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps,
                NDList inputs,
                boolean training,
                PairList<String, Object> params) {
            NDList fm = convProj.forward(ps, globalRep.forward(ps, inputs, training), training);
            NDArray both =
                    NDArrays.concat(
                            new NDList(inputs.singletonOrThrow(), fm.singletonOrThrow()), 1);
            return fusion.forward(ps, new NDList(both), training);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {inputShapes[0]};
        }

        @Override
        protected void initializeChildBlocks(
                NDManager manager, DataType dataType, Shape... inputShapes) {
            globalRep.initialize(manager, dataType, inputShapes);
            convProj.initialize(manager, dataType, inputShapes);
            Shape s = inputShapes[0];
            fusion.initialize(
                    manager, dataType, new Shape(s.get(0), 2 * s.get(1), s.get(2), s.get(3)));
        }
    }

    /**
     * @return the AFF mixers, in order (for inspection and tests)
     */
    List<AdaptiveFrequencyFilter> filters() {
        List<AdaptiveFrequencyFilter> out = new ArrayList<>();
        collect(body, out);
        return out;
    }

    private static void collect(Block b, List<AdaptiveFrequencyFilter> out) {
        if (b instanceof AdaptiveFrequencyFilter) {
            out.add((AdaptiveFrequencyFilter) b);
        }
        for (Block c : b.getChildren().values()) {
            collect(c, out);
        }
    }
}
