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
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.TruncatedNormalInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fourier4j.nn.DropPath;
import org.fourier4j.nn.FfnifiedAttention;
import org.fourier4j.nn.LayerScale;
import org.fourier4j.nn.Pooling;

/**
 * FFNet (Yun, Lee and Ro 2024, "MetaMixer Is All You Need" / "FFNet: MetaMixer-based Efficient
 * Convolutional Mixer Design"), as in the official {@code models/ffnet.py}
 * (shared/specs/token-mixers.md section 4).
 *
 * <ul>
 *   <li>Stem: {@code Conv2d_BN} 3x3 stride 2 (3 to {@code stem_dim}), GELU, {@code Conv2d_BN} 3x3
 *       stride 2 (to C1): stride 4.
 *   <li>Stage i ({@code depths[i]} FFBlocks at width {@code dims[i]}), stages 2-4 starting with
 *       {@code PatchMerging}: a {@code RepVGGDW} 7x7 stride 2 (grouped by input channel, so each
 *       input channel makes {@code C_{i+1} / C_i} outputs) then {@code Conv2d_BN_skip} ({@code y +
 *       conv1x1(BN(y))}).
 *   <li>FFBlock: {@code x + DropPath(gamma1 * TM(x))} with the token mixer {@link
 *       FfnifiedAttention} (kernels {@code token_kernels[i]}), then {@code x + DropPath(gamma2 *
 *       CM(x))} with the channel mixer {@code fc2(GELU(fc1(DW(x))))} (1x1 convs with bias, hidden
 *       {@code expansion * C}; DW a {@code RepVGGDW} when {@code channel_kernels[i] = 7}, else a
 *       depthwise {@code Conv2d_BN}). No pre-norm (the code has none). Layer scale {@code gamma}
 *       only when {@code layer_scale > 0} (FFNet-3/4: 1e-6).
 *   <li>Head: BatchNorm (part of {@link #forwardFeatures}), global average pool, linear.
 * </ul>
 *
 * <p><b>Training and inference forms.</b> Built by default in the training form: every {@code
 * Conv2d_BN} is a bias-free conv plus BatchNorm, every {@code RepVGGDW} two such branches (k x k
 * and (k/2) x (k/2)), every {@code Conv2d_BN_skip} a BatchNorm, a 1x1 conv and an identity. {@link
 * #reparameterize()} fuses all of them in place, as the official {@code export_model.py} does
 * ({@code replace_batchnorm}): each becomes one convolution with bias, the skip folded in as an
 * identity matrix. The result has exactly the structure (parameter names and shapes) of the model
 * built with the override {@code deploy=true}, and in inference mode the same outputs up to
 * rounding. The head's BatchNorm is not fused (neither is it in the official export). The parameter
 * counts and GFLOPs the paper reports are those of this inference form.
 *
 * <p>Weights of every conv and linear layer are initialised truncated-normal (std 0.02), biases 0,
 * BatchNorm gamma 1 and beta 0, as the official {@code _init_weights}. Drop-path rates grow
 * linearly over all blocks up to {@link ModelOptions#dropPathRate()} (the official recipes use
 * 0.1/0.15/0.35/0.4). Input: (B, 3, H, W) with any H, W; the network downsamples by 32, so the zoo
 * takes sizes from 32 up (at 32x32 the four stages run at 8, 4, 2 and 1 pixels).
 */
public final class FfNet extends ImageClassifier implements Reparameterizable {

    /** BatchNorm epsilon everywhere (PyTorch's default). */
    static final float BN_EPS = 1e-5f;

    /** An FFNet configuration. */
    public static final class Config {
        final int[] depths;
        final int[] dims;
        final int[] tokenKernels;
        final int[] channelKernels;
        final int stemDim;
        final int expansion;
        final float layerScale;

        /**
         * Creates a configuration.
         *
         * @param depths FFBlocks per stage
         * @param dims widths per stage; each must divide the next (the patch merging conv is
         *     grouped by input channel)
         * @param tokenKernels both depthwise kernel sizes of the token mixer, per stage (odd)
         * @param channelKernels the channel mixer's depthwise kernel, per stage (odd)
         * @param stemDim width after the first stem conv
         * @param expansion hidden width of the channel mixer, in multiples of C
         * @param layerScale initial layer scale, or 0 for none
         */
        public Config(
                int[] depths,
                int[] dims,
                int[] tokenKernels,
                int[] channelKernels,
                int stemDim,
                int expansion,
                float layerScale) {
            int n = depths.length;
            if (n == 0
                    || dims.length != n
                    || tokenKernels.length != n
                    || channelKernels.length != n) {
                throw new IllegalArgumentException(
                        "FFNet: depths "
                                + Arrays.toString(depths)
                                + ", dims "
                                + Arrays.toString(dims)
                                + ", token_kernels "
                                + Arrays.toString(tokenKernels)
                                + " and channel_kernels "
                                + Arrays.toString(channelKernels)
                                + " must have the same, non-zero length");
            }
            for (int i = 0; i < n; i++) {
                if (depths[i] < 1 || dims[i] < 1) {
                    throw new IllegalArgumentException(
                            "FFNet: depths and dims must be positive, got "
                                    + Arrays.toString(depths)
                                    + " and "
                                    + Arrays.toString(dims));
                }
                if (i > 0 && dims[i] % dims[i - 1] != 0) {
                    throw new IllegalArgumentException(
                            "FFNet: each width must be a multiple of the previous one (the patch"
                                    + " merging conv is grouped by input channel), got dims "
                                    + Arrays.toString(dims));
                }
                if (tokenKernels[i] % 2 == 0
                        || tokenKernels[i] < 1
                        || channelKernels[i] % 2 == 0
                        || channelKernels[i] < 1) {
                    throw new IllegalArgumentException(
                            "FFNet: kernel sizes must be odd and positive, got token_kernels "
                                    + Arrays.toString(tokenKernels)
                                    + ", channel_kernels "
                                    + Arrays.toString(channelKernels));
                }
            }
            if (stemDim < 1 || expansion < 1 || !(layerScale >= 0)) {
                throw new IllegalArgumentException(
                        "FFNet: need stem_dim >= 1, expansion >= 1, layer_scale >= 0, got "
                                + stemDim
                                + ", "
                                + expansion
                                + ", "
                                + layerScale);
            }
            this.depths = depths.clone();
            this.dims = dims.clone();
            this.tokenKernels = tokenKernels.clone();
            this.channelKernels = channelKernels.clone();
            this.stemDim = stemDim;
            this.expansion = expansion;
            this.layerScale = layerScale;
        }
    }

    private static final int[] TOKEN_KERNELS = {3, 3, 7, 7};

    /** FFNet-1: depths 2/2/8/2, dims 80-640, channel-mixer kernels 3. */
    static final Config FFNET_1 =
            new Config(
                    new int[] {2, 2, 8, 2},
                    new int[] {80, 160, 320, 640},
                    TOKEN_KERNELS,
                    new int[] {3, 3, 3, 3},
                    64,
                    3,
                    0);

    /** FFNet-2: depths 3/3/15/3, dims 88-704, channel-mixer kernels 7. */
    static final Config FFNET_2 =
            new Config(
                    new int[] {3, 3, 15, 3},
                    new int[] {88, 176, 352, 704},
                    TOKEN_KERNELS,
                    new int[] {7, 7, 7, 7},
                    64,
                    3,
                    0);

    /** FFNet-3: depths 4/4/22/5, dims 96-768, kernels 7, layer scale 1e-6. */
    static final Config FFNET_3 =
            new Config(
                    new int[] {4, 4, 22, 5},
                    new int[] {96, 192, 384, 768},
                    TOKEN_KERNELS,
                    new int[] {7, 7, 7, 7},
                    64,
                    3,
                    1e-6f);

    /** FFNet-4: depths 4/4/27/3, dims 128-1024, kernels 7, layer scale 1e-6. */
    static final Config FFNET_4 =
            new Config(
                    new int[] {4, 4, 27, 3},
                    new int[] {128, 256, 512, 1024},
                    TOKEN_KERNELS,
                    new int[] {7, 7, 7, 7},
                    64,
                    3,
                    1e-6f);

    private final Stem stem;
    private final List<Block> stages = new ArrayList<>();
    private final BatchNorm norm;
    private final Linear head;

    /**
     * Builds the model.
     *
     * @param name the zoo name
     * @param options classes, image size, drop path
     * @param config the configuration
     * @param deploy whether to build the fused inference form directly (e.g. to load fused weights)
     *     instead of the training form
     */
    public FfNet(String name, ModelOptions options, Config config, boolean deploy) {
        super(name, options);
        int[] dims = config.dims;
        stem = addChildBlock("patch_embed", new Stem(config.stemDim, dims[0], deploy));
        int total = Arrays.stream(config.depths).sum();
        int index = 0;
        for (int i = 0; i < dims.length; i++) {
            ai.djl.nn.SequentialBlock stage = new ai.djl.nn.SequentialBlock();
            if (i > 0) {
                stage.add(new PatchMerging(dims[i - 1], dims[i], deploy));
            }
            for (int j = 0; j < config.depths[i]; j++) {
                float rate = total > 1 ? options.dropPathRate() * index / (total - 1) : 0;
                stage.add(
                        new FfBlock(
                                dims[i],
                                config.tokenKernels[i],
                                config.channelKernels[i],
                                config.expansion,
                                config.layerScale,
                                rate,
                                deploy));
                index++;
            }
            stages.add(addChildBlock("stage" + i, stage));
        }
        norm = addChildBlock("norm", BatchNorm.builder().optEpsilon(BN_EPS).build());
        head = addChildBlock("head", Linear.builder().setUnits(options.numClasses()).build());
        setInitializer(new TruncatedNormalInitializer(0.02f), Parameter.Type.WEIGHT);
    }

    /** A 'same'-padded convolution (padding k/2) with trunc-normal weights and zero bias. */
    static Conv2d conv(int out, int kernel, int stride, int groups, boolean bias) {
        Conv2d c =
                Conv2d.builder()
                        .setKernelShape(new Shape(kernel, kernel))
                        .setFilters(out)
                        .optStride(new Shape(stride, stride))
                        .optPadding(new Shape(kernel / 2, kernel / 2))
                        .optGroups(groups)
                        .optBias(bias)
                        .build();
        c.setInitializer(new TruncatedNormalInitializer(0.02f), Parameter.Type.WEIGHT);
        return c;
    }

    @Override
    public NDArray forwardFeatures(ParameterStore ps, NDArray images, boolean training) {
        NDList x = stem.forward(ps, new NDList(images), training);
        for (Block stage : stages) {
            x = stage.forward(ps, x, training);
        }
        return norm.forward(ps, x, training).singletonOrThrow();
    }

    @Override
    public NDArray forwardHead(ParameterStore ps, NDArray features, boolean training) {
        NDArray pooled = Pooling.mean(features, false, 2, 3);
        return head.forward(ps, new NDList(pooled), training).singletonOrThrow();
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] shapes = inputShapes;
        stem.initialize(manager, dataType, shapes);
        shapes = stem.getOutputShapes(shapes);
        for (Block stage : stages) {
            stage.initialize(manager, dataType, shapes);
            shapes = stage.getOutputShapes(shapes);
        }
        norm.initialize(manager, dataType, shapes);
        head.initialize(manager, dataType, new Shape(shapes[0].get(0), shapes[0].get(1)));
    }

    /**
     * Converts the model in place into its inference form: every {@code Conv2d_BN}, {@code
     * RepVGGDW} and {@code Conv2d_BN_skip} becomes one convolution with bias (BatchNorm running
     * statistics folded in, small kernels zero-padded and added, the skip added as an identity),
     * and every token mixer is replaced by {@link FfnifiedAttention#reparameterize()}'s result.
     * Exact in inference mode; call after training or loading, before inference.
     *
     * @return the number of units fused (0 if already in inference form)
     */
    @Override
    public int reparameterize() {
        if (!isInitialized()) {
            throw new IllegalStateException(
                    modelName() + ": initialise the model before reparameterize()");
        }
        return fuseAll(this);
    }

    /**
     * @return whether every unit is in the fused inference form
     */
    public boolean isReparameterized() {
        return allFused(this);
    }

    private static int fuseAll(Block b) {
        if (b instanceof RepUnit) {
            return ((RepUnit) b).fuse() ? 1 : 0;
        }
        int n = 0;
        if (b instanceof FfBlock) {
            n += ((FfBlock) b).reparameterizeTokenMixer();
        }
        for (Block child : b.getChildren().values()) {
            n += fuseAll(child);
        }
        return n;
    }

    private static boolean allFused(Block b) {
        if (b instanceof RepUnit) {
            return ((RepUnit) b).isFused();
        }
        if (b instanceof FfnifiedAttention) {
            return ((FfnifiedAttention) b).isReparameterized();
        }
        for (Block child : b.getChildren().values()) {
            if (!allFused(child)) {
                return false;
            }
        }
        return true;
    }

    /** {@code Conv2d_BN}, GELU, {@code Conv2d_BN}: stride 4. */
    static final class Stem extends AbstractBlock {
        private final ConvBnUnit first;
        private final ConvBnUnit second;

        Stem(int stemDim, int out, boolean deploy) {
            first = addChildBlock("conv0", new ConvBnUnit(stemDim, 3, 2, 1, deploy));
            second = addChildBlock("conv1", new ConvBnUnit(out, 3, 2, 1, deploy));
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps,
                NDList inputs,
                boolean training,
                PairList<String, Object> params) {
            NDArray h = first.forward(ps, inputs, training).singletonOrThrow();
            return second.forward(ps, new NDList(Activation.gelu(h)), training);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return second.getOutputShapes(first.getOutputShapes(inputShapes));
        }

        @Override
        protected void initializeChildBlocks(
                NDManager manager, DataType dataType, Shape... inputShapes) {
            first.initialize(manager, dataType, inputShapes);
            second.initialize(manager, dataType, first.getOutputShapes(inputShapes));
        }
    }

    /** {@code RepVGGDW} 7x7 stride 2 from C_i to C_{i+1} (grouped by input channel), then skip. */
    static final class PatchMerging extends AbstractBlock {
        private final RepDwUnit down;
        private final BnConvSkipUnit skip;

        PatchMerging(int in, int out, boolean deploy) {
            down = addChildBlock("dw", new RepDwUnit(in, out, 7, 2, deploy));
            skip = addChildBlock("skip", new BnConvSkipUnit(out, deploy));
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps,
                NDList inputs,
                boolean training,
                PairList<String, Object> params) {
            return skip.forward(ps, down.forward(ps, inputs, training), training);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return down.getOutputShapes(inputShapes);
        }

        @Override
        protected void initializeChildBlocks(
                NDManager manager, DataType dataType, Shape... inputShapes) {
            down.initialize(manager, dataType, inputShapes);
            skip.initialize(manager, dataType, down.getOutputShapes(inputShapes));
        }
    }

    /**
     * Token mixer and channel mixer, each in a residual with optional layer scale and drop path.
     */
    static final class FfBlock extends AbstractBlock {
        private Block tokenMixer;
        private final LayerScale scale1;
        private final DropPath dropPath1;
        private final ChannelMixer channelMixer;
        private final LayerScale scale2;
        private final DropPath dropPath2;

        FfBlock(
                int dim,
                int tokenKernel,
                int channelKernel,
                int expansion,
                float layerScale,
                float dropRate,
                boolean deploy) {
            FfnifiedAttention.Builder tm =
                    FfnifiedAttention.builder()
                            .setChannels(dim)
                            .optKernelSizes(tokenKernel, tokenKernel);
            tokenMixer =
                    addChildBlock("token_mixer", deploy ? tm.buildInferenceForm() : tm.build());
            scale1 = layerScale > 0 ? addChildBlock("ls1", new LayerScale(layerScale, true)) : null;
            dropPath1 = addChildBlock("drop_path1", new DropPath(dropRate));
            channelMixer =
                    addChildBlock(
                            "channel_mixer",
                            new ChannelMixer(dim, channelKernel, expansion, deploy));
            scale2 = layerScale > 0 ? addChildBlock("ls2", new LayerScale(layerScale, true)) : null;
            dropPath2 = addChildBlock("drop_path2", new DropPath(dropRate));
        }

        /** Replaces the token mixer by its inference form, keeping its name and position. */
        int reparameterizeTokenMixer() {
            FfnifiedAttention current = (FfnifiedAttention) tokenMixer;
            if (current.isReparameterized()) {
                return 0;
            }
            FfnifiedAttention merged = current.reparameterize();
            int at = children.values().indexOf(current);
            String key = children.keyAt(at);
            children.remove(at);
            children.add(at, key, merged);
            tokenMixer = merged;
            current.getParameters().forEach(p -> p.getValue().close());
            return 1;
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps,
                NDList inputs,
                boolean training,
                PairList<String, Object> params) {
            NDArray x = inputs.singletonOrThrow();
            NDList t = tokenMixer.forward(ps, inputs, training);
            if (scale1 != null) {
                t = scale1.forward(ps, t, training);
            }
            x = x.add(dropPath1.forward(ps, t, training).singletonOrThrow());
            NDList c = channelMixer.forward(ps, new NDList(x), training);
            if (scale2 != null) {
                c = scale2.forward(ps, c, training);
            }
            return new NDList(x.add(dropPath2.forward(ps, c, training).singletonOrThrow()));
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

    /** Depthwise conv unit, 1x1 conv to {@code e C} (bias), GELU, 1x1 conv back (bias). */
    static final class ChannelMixer extends AbstractBlock {
        private final RepUnit depthwise;
        private final Conv2d fc1;
        private final Conv2d fc2;

        ChannelMixer(int dim, int kernel, int expansion, boolean deploy) {
            depthwise =
                    addChildBlock(
                            "conv",
                            kernel == 7
                                    ? new RepDwUnit(dim, dim, kernel, 1, deploy)
                                    : new ConvBnUnit(dim, kernel, 1, dim, deploy));
            fc1 = addChildBlock("fc1", conv(dim * expansion, 1, 1, 1, true));
            fc2 = addChildBlock("fc2", conv(dim, 1, 1, 1, true));
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps,
                NDList inputs,
                boolean training,
                PairList<String, Object> params) {
            NDList h = fc1.forward(ps, depthwise.forward(ps, inputs, training), training);
            return fc2.forward(ps, new NDList(Activation.gelu(h.singletonOrThrow())), training);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {inputShapes[0]};
        }

        @Override
        protected void initializeChildBlocks(
                NDManager manager, DataType dataType, Shape... inputShapes) {
            depthwise.initialize(manager, dataType, inputShapes);
            fc1.initialize(manager, dataType, inputShapes);
            fc2.initialize(manager, dataType, fc1.getOutputShapes(inputShapes));
        }
    }

    /**
     * A conv unit with a multi-branch training form and a one-convolution inference form (child
     * {@code conv}, with bias). Subclasses define the branches and how they fold into one kernel.
     */
    abstract static class RepUnit extends AbstractBlock {
        final int outChannels;
        final int kernel;
        final int stride;
        final int groups;
        private Conv2d fused;

        RepUnit(int outChannels, int kernel, int stride, int groups) {
            this.outChannels = outChannels;
            this.kernel = kernel;
            this.stride = stride;
            this.groups = groups;
        }

        /** Builds the inference form; a subclass calls this or adds its branches, not both. */
        final void addFusedConv() {
            fused = addChildBlock("conv", conv(outChannels, kernel, stride, groups, true));
        }

        boolean isFused() {
            return fused != null;
        }

        /** Forward of the training form. */
        abstract NDList forwardBranches(ParameterStore ps, NDList inputs, boolean training);

        /**
         * The weight (out, in / groups, k, k) and bias (out) of the single equal convolution, from
         * the training form's parameters and running statistics, detached, in the parameters'
         * manager.
         */
        abstract NDArray[] foldedWeightAndBias();

        /** Forgets the training-form children after fusion. */
        abstract void dropBranches();

        /**
         * Replaces the branches by the single convolution.
         *
         * @return false if already fused
         */
        final boolean fuse() {
            if (fused != null) {
                return false;
            }
            NDArray[] wb = foldedWeightAndBias();
            Conv2d c = conv(outChannels, kernel, stride, groups, true);
            c.getParameters().get("weight").setArray(wb[0]);
            c.getParameters().get("bias").setArray(wb[1]);
            c.initialize(wb[0].getManager(), wb[0].getDataType(), getInputShapes());
            for (Block b : children.values()) {
                b.getParameters().forEach(p -> p.getValue().close());
            }
            children.clear();
            dropBranches();
            fused = addChildBlock("conv", c);
            return true;
        }

        @Override
        protected final NDList forwardInternal(
                ParameterStore ps,
                NDList inputs,
                boolean training,
                PairList<String, Object> params) {
            return fused != null
                    ? fused.forward(ps, inputs, training)
                    : forwardBranches(ps, inputs, training);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            Shape s = inputShapes[0];
            int pad = kernel / 2;
            return new Shape[] {
                new Shape(
                        s.get(0),
                        outChannels,
                        (s.get(2) + 2 * pad - kernel) / stride + 1,
                        (s.get(3) + 2 * pad - kernel) / stride + 1)
            };
        }

        @Override
        protected void initializeChildBlocks(
                NDManager manager, DataType dataType, Shape... inputShapes) {
            for (Block b : children.values()) {
                b.initialize(manager, dataType, inputShapes);
            }
        }

        /**
         * Folds a BatchNorm's inference statistics into the preceding bias-free conv: {@code t =
         * gamma / sqrt(var + eps)}, weight {@code W t} (per output channel), bias {@code beta -
         * mean t}.
         */
        static NDArray[] foldAfter(Conv2d conv, BatchNorm bn) {
            NDArray w = conv.getParameters().get("weight").getArray();
            try (NDManager tmp = w.getManager().newSubManager()) {
                NDArray[] st = scaleShift(bn, tmp);
                NDArray weight = detached(w, tmp).mul(st[0].reshape(-1, 1, 1, 1));
                NDArray bias = st[1];
                weight.attach(w.getManager());
                bias.attach(w.getManager());
                return new NDArray[] {weight, bias};
            }
        }

        /** {scale, shift} of a BatchNorm in inference: {@code y = x scale + shift}. */
        static NDArray[] scaleShift(BatchNorm bn, NDManager scope) {
            PairList<String, Parameter> p = bn.getParameters();
            NDArray gamma = detached(p.get("gamma").getArray(), scope);
            NDArray beta = detached(p.get("beta").getArray(), scope);
            NDArray mean = detached(p.get("runningMean").getArray(), scope);
            NDArray var = detached(p.get("runningVar").getArray(), scope);
            NDArray scale = gamma.div(var.add(BN_EPS).sqrt());
            return new NDArray[] {scale, beta.sub(mean.mul(scale))};
        }

        static NDArray detached(NDArray a, NDManager scope) {
            NDArray d = a.stopGradient();
            d.attach(scope);
            return d;
        }
    }

    /** {@code Conv2d_BN}: a bias-free conv ({@code c}) and BatchNorm ({@code bn}). */
    static final class ConvBnUnit extends RepUnit {
        private Conv2d conv;
        private BatchNorm bn;

        ConvBnUnit(int out, int kernel, int stride, int groups, boolean deploy) {
            super(out, kernel, stride, groups);
            if (deploy) {
                addFusedConv();
            } else {
                conv = addChildBlock("c", conv(out, kernel, stride, groups, false));
                bn = addChildBlock("bn", BatchNorm.builder().optEpsilon(BN_EPS).build());
            }
        }

        @Override
        NDList forwardBranches(ParameterStore ps, NDList inputs, boolean training) {
            return bn.forward(ps, conv.forward(ps, inputs, training), training);
        }

        @Override
        protected void initializeChildBlocks(
                NDManager manager, DataType dataType, Shape... inputShapes) {
            if (conv == null) {
                super.initializeChildBlocks(manager, dataType, inputShapes);
                return;
            }
            conv.initialize(manager, dataType, inputShapes);
            bn.initialize(manager, dataType, conv.getOutputShapes(inputShapes));
        }

        @Override
        NDArray[] foldedWeightAndBias() {
            return foldAfter(conv, bn);
        }

        @Override
        void dropBranches() {
            conv = null;
            bn = null;
        }
    }

    /**
     * {@code RepVGGDW}: depthwise (grouped by input channel) k x k and (k/2) x (k/2) {@code
     * Conv2d_BN} branches, summed; the small kernel is zero-padded to k x k when folded.
     */
    static final class RepDwUnit extends RepUnit {
        private ConvBnUnit large;
        private ConvBnUnit small;

        RepDwUnit(int in, int out, int kernel, int stride, boolean deploy) {
            super(out, kernel, stride, in);
            if (kernel % 2 == 0 || (kernel / 2) % 2 == 0 || out % in != 0) {
                throw new IllegalArgumentException(
                        "FFNet RepVGGDW: need an odd kernel with an odd half and out channels a"
                                + " multiple of in channels, got kernel "
                                + kernel
                                + ", "
                                + in
                                + " to "
                                + out);
            }
            if (deploy) {
                addFusedConv();
            } else {
                large = addChildBlock("conv", new ConvBnUnit(out, kernel, stride, in, false));
                small = addChildBlock("conv1", new ConvBnUnit(out, kernel / 2, stride, in, false));
            }
        }

        @Override
        NDList forwardBranches(ParameterStore ps, NDList inputs, boolean training) {
            NDArray a = large.forward(ps, inputs, training).singletonOrThrow();
            NDArray b = small.forward(ps, inputs, training).singletonOrThrow();
            return new NDList(a.add(b));
        }

        @Override
        NDArray[] foldedWeightAndBias() {
            NDArray[] a = large.foldedWeightAndBias();
            NDArray[] b = small.foldedWeightAndBias();
            long p = (kernel - kernel / 2) / 2;
            NDArray padded = b[0].pad(new Shape(p, p, p, p), 0);
            NDArray[] out = {a[0].add(padded), a[1].add(b[1])};
            for (NDArray t : new NDArray[] {a[0], a[1], b[0], b[1], padded}) {
                t.close();
            }
            return out;
        }

        @Override
        void dropBranches() {
            large = null;
            small = null;
        }
    }

    /**
     * {@code Conv2d_BN_skip}: {@code y + conv1x1(BN(y))}, the conv without bias. Folded: weight
     * {@code W diag(scale) + I}, bias {@code W shift}.
     */
    static final class BnConvSkipUnit extends RepUnit {
        private BatchNorm bn;
        private Conv2d conv;

        BnConvSkipUnit(int dim, boolean deploy) {
            super(dim, 1, 1, 1);
            if (deploy) {
                addFusedConv();
            } else {
                bn = addChildBlock("bn", BatchNorm.builder().optEpsilon(BN_EPS).build());
                conv = addChildBlock("c", conv(dim, 1, 1, 1, false));
            }
        }

        @Override
        NDList forwardBranches(ParameterStore ps, NDList inputs, boolean training) {
            NDList y = conv.forward(ps, bn.forward(ps, inputs, training), training);
            return new NDList(inputs.singletonOrThrow().add(y.singletonOrThrow()));
        }

        @Override
        NDArray[] foldedWeightAndBias() {
            NDArray w = conv.getParameters().get("weight").getArray();
            try (NDManager tmp = w.getManager().newSubManager()) {
                NDArray[] st = scaleShift(bn, tmp);
                NDArray matrix = detached(w, tmp).reshape(outChannels, outChannels);
                NDArray identity = tmp.eye(outChannels).toType(w.getDataType(), false);
                NDArray weight =
                        matrix.mul(st[0].reshape(1, -1))
                                .add(identity)
                                .reshape(outChannels, outChannels, 1, 1);
                NDArray bias = matrix.matMul(st[1].reshape(-1, 1)).reshape(outChannels);
                weight.attach(w.getManager());
                bias.attach(w.getManager());
                return new NDArray[] {weight, bias};
            }
        }

        @Override
        void dropBranches() {
            bn = null;
            conv = null;
        }
    }
}
