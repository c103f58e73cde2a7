package org.fourier4j.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.TruncatedNormalInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fourier4j.fft.EngineArrays;
import org.fourier4j.nn.AdditiveTokenMixer;
import org.fourier4j.nn.DropPath;
import org.fourier4j.nn.Pooling;

/**
 * CAS-ViT (Zhang et al. 2024, "CAS-ViT: Convolutional Additive Self-attention Vision Transformers
 * for Efficient Mobile Applications"), as in the official {@code classification/model/rcvit.py}
 * (code name RCViT; shared/specs/token-mixers.md section 5).
 *
 * <ul>
 *   <li>Stem: conv 3x3 stride 2 (3 to C1/2, bias), BN, ReLU, conv 3x3 stride 2 (to C1, bias), BN,
 *       ReLU: stride 4.
 *   <li>Stage i: {@code depths[i]} {@link AdditiveBlock}s at width {@code dims[i]}: {@code x +
 *       LI(x)} (local integration: 1x1 conv, BN, 3x3 depthwise, GELU, 1x1 conv, all convs with
 *       bias, no drop path), {@code x + DropPath(CATM(BN1(x)))} with the token mixer {@link
 *       AdditiveTokenMixer}, {@code x + DropPath(MLP(BN2(x)))} (1x1 convs C to {@code mlp_ratio C}
 *       to C with bias, GELU). Between stages a 3x3 stride-2 conv (bias) + BN.
 *   <li>Head: BN (part of {@link #forwardFeatures}), global average pool, linear {@code head}; with
 *       {@code distillation} also a linear {@code dist_head}.
 * </ul>
 *
 * <p><b>Distillation head.</b> The official factories default to {@code distillation=True} and the
 * model zoo's parameter counts (3.20/5.76/12.42/21.76M) include the {@code dist_head}, although the
 * training script builds the models with {@code distillation=False}. Here the override {@code
 * distillation} (default <b>false</b>, as trained) adds it; the zoo's reported figures refer to the
 * model with it ({@link ModelInfo#reportedOverrides()}). With the head, the official forward
 * returns both logits in training (for a teacher loss) and their average in inference; this
 * single-output classifier returns the average in both modes (so it trains with a plain loss and
 * equals the official inference output), and {@link #forwardHeads} gives both logits for a
 * DeiT-style distillation loss.
 *
 * <p>CAS-ViT has no multi-branch (re-parameterisable) units: nothing to fuse beyond the usual
 * conv-BN folding, which the paper does not describe, so there is no {@code reparameterize()}.
 *
 * <p>Initialisation as the code: linear layers trunc-normal (std 0.02) with zero bias; every
 * convolution PyTorch's default (weights and biases uniform in {@code +-1/sqrt(fan_in)}); BN gamma
 * 1, beta 0. Drop path of block j (over all blocks) is {@code rate j / (blocks - 1)}. Input (B, 3,
 * H, W), any H, W ('same'-padded stride-2 convs, token mixer linear in H W); the network
 * downsamples by 32, so the zoo takes sizes from 32 up (at 32x32 the stages run at 8, 4, 2, 1
 * pixels).
 */
public final class CasVit extends ImageClassifier {

    /** BatchNorm epsilon (PyTorch's default). */
    static final float BN_EPS = 1e-5f;

    /** A CAS-ViT configuration. */
    public static final class Config {
        final int[] depths;
        final int[] dims;
        final int mlpRatio;

        /**
         * Creates a configuration.
         *
         * @param depths blocks per stage
         * @param dims widths per stage (the first even: the stem's middle width is half of it)
         * @param mlpRatio hidden width of the MLP in multiples of C
         */
        public Config(int[] depths, int[] dims, int mlpRatio) {
            if (depths.length == 0 || depths.length != dims.length) {
                throw new IllegalArgumentException(
                        "CAS-ViT: depths "
                                + Arrays.toString(depths)
                                + " and dims "
                                + Arrays.toString(dims)
                                + " must have the same, non-zero length");
            }
            for (int i = 0; i < depths.length; i++) {
                if (depths[i] < 1 || dims[i] < 1) {
                    throw new IllegalArgumentException(
                            "CAS-ViT: depths and dims must be positive, got "
                                    + Arrays.toString(depths)
                                    + " and "
                                    + Arrays.toString(dims));
                }
            }
            if (dims[0] < 2 || mlpRatio < 1) {
                throw new IllegalArgumentException(
                        "CAS-ViT: need dims[0] >= 2 and mlp_ratio >= 1, got "
                                + dims[0]
                                + ", "
                                + mlpRatio);
            }
            this.depths = depths.clone();
            this.dims = dims.clone();
            this.mlpRatio = mlpRatio;
        }
    }

    /** CAS-ViT-XS ({@code rcvit_xs}): depths 2/2/4/2, dims 48/56/112/220. */
    static final Config XS = new Config(new int[] {2, 2, 4, 2}, new int[] {48, 56, 112, 220}, 4);

    /** CAS-ViT-S ({@code rcvit_s}): depths 3/3/6/3, dims 48/64/128/256. */
    static final Config S = new Config(new int[] {3, 3, 6, 3}, new int[] {48, 64, 128, 256}, 4);

    /** CAS-ViT-M ({@code rcvit_m}): depths 3/3/6/3, dims 64/96/192/384. */
    static final Config M = new Config(new int[] {3, 3, 6, 3}, new int[] {64, 96, 192, 384}, 4);

    /** CAS-ViT-T ({@code rcvit_t}): depths 3/3/6/3, dims 96/128/256/512. */
    static final Config T = new Config(new int[] {3, 3, 6, 3}, new int[] {96, 128, 256, 512}, 4);

    private final Block stem;
    private final List<Block> network = new ArrayList<>();
    private final BatchNorm norm;
    private final Linear head;
    private final Linear distHead;

    /**
     * Builds the model.
     *
     * @param name the zoo name
     * @param options classes, image size, drop path
     * @param config the configuration
     * @param distillation whether to add the distillation head
     */
    public CasVit(String name, ModelOptions options, Config config, boolean distillation) {
        super(name, options);
        int[] dims = config.dims;
        SequentialBlock s = new SequentialBlock();
        s.add(conv(dims[0] / 2, 3, 2, 1, true, 3 * 9))
                .add(BatchNorm.builder().optEpsilon(BN_EPS).build())
                .add(Activation.reluBlock())
                .add(conv(dims[0], 3, 2, 1, true, dims[0] / 2 * 9))
                .add(BatchNorm.builder().optEpsilon(BN_EPS).build())
                .add(Activation.reluBlock());
        stem = addChildBlock("patch_embed", s);
        int total = Arrays.stream(config.depths).sum();
        int index = 0;
        for (int i = 0; i < dims.length; i++) {
            SequentialBlock stage = new SequentialBlock();
            for (int j = 0; j < config.depths[i]; j++) {
                float rate = total > 1 ? options.dropPathRate() * index / (total - 1) : 0;
                stage.add(new AdditiveBlock(dims[i], config.mlpRatio, rate));
                index++;
            }
            network.add(addChildBlock("stage" + i, stage));
            if (i < dims.length - 1) {
                SequentialBlock embed = new SequentialBlock();
                embed.add(conv(dims[i + 1], 3, 2, 1, true, dims[i] * 9))
                        .add(BatchNorm.builder().optEpsilon(BN_EPS).build());
                network.add(addChildBlock("embed" + i, embed));
            }
        }
        norm = addChildBlock("norm", BatchNorm.builder().optEpsilon(BN_EPS).build());
        head = addChildBlock("head", linear(options.numClasses()));
        distHead = distillation ? addChildBlock("dist_head", linear(options.numClasses())) : null;
    }

    private static Linear linear(int units) {
        Linear l = Linear.builder().setUnits(units).build();
        l.setInitializer(new TruncatedNormalInitializer(0.02f), Parameter.Type.WEIGHT);
        l.setInitializer(Initializer.ZEROS, Parameter.Type.BIAS);
        return l;
    }

    /**
     * A 'same'-padded convolution with PyTorch's default initialisation: weight and bias uniform in
     * {@code +-1/sqrt(fan_in)}, fan_in = (C_in / groups) k k.
     */
    static Conv2d conv(int out, int kernel, int stride, int groups, boolean bias, long fanIn) {
        Conv2d c =
                Conv2d.builder()
                        .setKernelShape(new Shape(kernel, kernel))
                        .setFilters(out)
                        .optStride(new Shape(stride, stride))
                        .optPadding(new Shape(kernel / 2, kernel / 2))
                        .optGroups(groups)
                        .optBias(bias)
                        .build();
        Initializer uniform = torchUniform(fanIn);
        c.setInitializer(uniform, Parameter.Type.WEIGHT);
        c.setInitializer(uniform, Parameter.Type.BIAS);
        return c;
    }

    private static Initializer torchUniform(long fanIn) {
        float bound = (float) (1 / Math.sqrt(Math.max(1, fanIn)));
        return (manager, shape, dataType) ->
                manager.randomUniform(-bound, bound, shape, dataType, manager.getDevice());
    }

    /**
     * @return whether the model has the distillation head
     */
    public boolean hasDistillationHead() {
        return distHead != null;
    }

    @Override
    public NDArray forwardFeatures(ParameterStore ps, NDArray images, boolean training) {
        NDList x = stem.forward(ps, new NDList(images), training);
        for (Block b : network) {
            x = b.forward(ps, x, training);
        }
        return norm.forward(ps, x, training).singletonOrThrow();
    }

    /**
     * The logits of both heads: {@code head} and, with distillation, {@code dist_head} (for a
     * DeiT-style loss against a teacher on the second).
     *
     * @param ps the parameter store
     * @param features the output of {@link #forwardFeatures}
     * @param training whether in training mode
     * @return one or two (B, classes) arrays
     */
    public NDList forwardHeads(ParameterStore ps, NDArray features, boolean training) {
        NDList pooled = new NDList(Pooling.mean(features, false, 2, 3));
        NDList out = new NDList(head.forward(ps, pooled, training).singletonOrThrow());
        if (distHead != null) {
            out.add(distHead.forward(ps, pooled, training).singletonOrThrow());
        }
        return out;
    }

    /**
     * Pools and applies the head; with distillation the average of both heads' logits (the official
     * inference output), in training as well.
     */
    @Override
    public NDArray forwardHead(ParameterStore ps, NDArray features, boolean training) {
        NDList heads = forwardHeads(ps, features, training);
        return heads.size() == 1
                ? heads.head()
                : heads.get(0).add(heads.get(1)).mul(EngineArrays.scalar(heads.get(0), 0.5));
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] shapes = inputShapes;
        stem.initialize(manager, dataType, shapes);
        shapes = stem.getOutputShapes(shapes);
        for (Block b : network) {
            b.initialize(manager, dataType, shapes);
            shapes = b.getOutputShapes(shapes);
        }
        norm.initialize(manager, dataType, shapes);
        Shape pooled = new Shape(shapes[0].get(0), shapes[0].get(1));
        head.initialize(manager, dataType, pooled);
        if (distHead != null) {
            distHead.initialize(manager, dataType, pooled);
        }
    }

    /** {@code AdditiveBlock}: local integration, additive attention and MLP, each residual. */
    static final class AdditiveBlock extends AbstractBlock {
        private final Block localPerception;
        private final BatchNorm norm1;
        private final AdditiveTokenMixer attn;
        private final DropPath dropPath1;
        private final BatchNorm norm2;
        private final Block mlp;
        private final DropPath dropPath2;

        AdditiveBlock(int dim, int mlpRatio, float dropRate) {
            SequentialBlock li = new SequentialBlock();
            li.add(conv(dim, 1, 1, 1, true, dim))
                    .add(BatchNorm.builder().optEpsilon(BN_EPS).build())
                    .add(conv(dim, 3, 1, dim, true, 9))
                    .add(Activation.geluBlock())
                    .add(conv(dim, 1, 1, 1, true, dim));
            localPerception = addChildBlock("local_perception", li);
            norm1 = addChildBlock("norm1", BatchNorm.builder().optEpsilon(BN_EPS).build());
            attn = addChildBlock("attn", AdditiveTokenMixer.builder().setChannels(dim).build());
            dropPath1 = addChildBlock("drop_path1", new DropPath(dropRate));
            norm2 = addChildBlock("norm2", BatchNorm.builder().optEpsilon(BN_EPS).build());
            int hidden = dim * mlpRatio;
            SequentialBlock m = new SequentialBlock();
            m.add(conv(hidden, 1, 1, 1, true, dim))
                    .add(Activation.geluBlock())
                    .add(conv(dim, 1, 1, 1, true, hidden));
            mlp = addChildBlock("mlp", m);
            dropPath2 = addChildBlock("drop_path2", new DropPath(dropRate));
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps,
                NDList inputs,
                boolean training,
                PairList<String, Object> params) {
            NDArray x = inputs.singletonOrThrow();
            x = x.add(localPerception.forward(ps, inputs, training).singletonOrThrow());
            NDList a = attn.forward(ps, norm1.forward(ps, new NDList(x), training), training);
            x = x.add(dropPath1.forward(ps, a, training).singletonOrThrow());
            NDList m = mlp.forward(ps, norm2.forward(ps, new NDList(x), training), training);
            return new NDList(x.add(dropPath2.forward(ps, m, training).singletonOrThrow()));
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
}
