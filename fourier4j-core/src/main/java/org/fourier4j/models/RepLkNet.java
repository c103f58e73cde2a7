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
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fourier4j.fft.ConvAlgorithm;
import org.fourier4j.nn.DropPath;
import org.fourier4j.nn.FftConv2d;
import org.fourier4j.nn.Pooling;

/**
 * RepLKNet (Ding et al., CVPR 2022, "Scaling Up Your Kernels to 31x31"), as in the official {@code
 * replknet.py} (shared/specs/convolutions.md section 3).
 *
 * <ul>
 *   <li>Stem: conv 3x3 s2 (3 to C0), depthwise 3x3, conv 1x1, depthwise 3x3 s2, each with batch
 *       norm and ReLU: 224 becomes 56.
 *   <li>Stage i: {@code layers[i]} pairs of {@link RepLkBlock} (pre-BN, 1x1 conv to {@code
 *       C*dw_ratio}, a K x K depthwise conv plus a parallel small-kernel depthwise conv, ReLU, 1x1
 *       conv back, residual) and {@link ConvFfn} (pre-BN, 1x1 conv to 4C, GELU, 1x1 conv back,
 *       residual); transitions (1x1 conv, depthwise 3x3 s2) between stages.
 *   <li>Head: batch norm, global average pool, linear.
 * </ul>
 *
 * <p>Every large depthwise kernel is an {@link FftConv2d} that runs as DIRECT, FFT or AUTO
 * (override {@code large_kernel_algorithm}). {@link #reparameterize()} performs the structural
 * re-parameterisation: each branch's batch norm is folded into its conv, the small kernel is
 * zero-padded to the large one and added, and both branches become one K x K depthwise conv with
 * bias, exact in inference. Drop-path rates grow linearly over the pairs; weights use DJL's default
 * initialisers (the official code keeps PyTorch's defaults). Input: (B, 3, H, W), H and W at least
 * 32 (the stem and three transitions halve the size five times).
 */
public final class RepLkNet extends ImageClassifier implements Reparameterizable {

    /** Batch norm epsilon of every layer (PyTorch's default). */
    static final float BN_EPS = 1e-5f;

    /** A RepLKNet configuration. */
    public static final class Config {
        final int[] channels;
        final int[] layers;
        final int[] largeKernels;
        final int smallKernel;
        final float dwRatio;

        /**
         * Creates a configuration.
         *
         * @param channels widths of the four stages
         * @param layers (RepLK block, ConvFFN) pairs per stage
         * @param largeKernels large kernel size per stage (odd)
         * @param smallKernel parallel small kernel (odd), or 0 for none
         * @param dwRatio width multiplier of the large-kernel depthwise convs
         */
        public Config(
                int[] channels, int[] layers, int[] largeKernels, int smallKernel, float dwRatio) {
            this.channels = channels.clone();
            this.layers = layers.clone();
            this.largeKernels = largeKernels.clone();
            this.smallKernel = smallKernel;
            this.dwRatio = dwRatio;
        }
    }

    /** RepLKNet-31B: channels 128-1024, layers 2,2,18,2, kernels 31,29,27,13, small 5. */
    static final Config B31 =
            new Config(
                    new int[] {128, 256, 512, 1024},
                    new int[] {2, 2, 18, 2},
                    new int[] {31, 29, 27, 13},
                    5,
                    1);

    /** RepLKNet-31L: channels 192-1536, otherwise as 31B. */
    static final Config L31 =
            new Config(
                    new int[] {192, 384, 768, 1536},
                    new int[] {2, 2, 18, 2},
                    new int[] {31, 29, 27, 13},
                    5,
                    1);

    /** RepLKNet-XL: channels 256-2048, kernels 27,27,27,13, no small kernel, dw ratio 1.5. */
    static final Config XL =
            new Config(
                    new int[] {256, 512, 1024, 2048},
                    new int[] {2, 2, 18, 2},
                    new int[] {27, 27, 27, 13},
                    0,
                    1.5f);

    private final Block stem;
    private final List<Block> stages = new ArrayList<>();
    private final List<Block> transitions = new ArrayList<>();
    private final BatchNorm norm;
    private final Linear head;

    /**
     * Builds the model.
     *
     * @param name the zoo name
     * @param options classes, image size, drop path, overrides
     * @param config the configuration
     * @param algorithm how the large depthwise kernels compute
     */
    public RepLkNet(String name, ModelOptions options, Config config, ConvAlgorithm algorithm) {
        super(name, options);
        int[] c = config.channels;
        ai.djl.nn.SequentialBlock s = new ai.djl.nn.SequentialBlock();
        s.add(new ConvBn(conv(c[0], 3, 2, 1), true));
        s.add(new ConvBn(conv(c[0], 3, 1, c[0]), true));
        s.add(new ConvBn(conv(c[0], 1, 1, 1), true));
        s.add(new ConvBn(conv(c[0], 3, 2, c[0]), true));
        stem = addChildBlock("stem", s);
        int totalPairs = Arrays.stream(config.layers).sum();
        int pair = 0;
        for (int i = 0; i < c.length; i++) {
            ai.djl.nn.SequentialBlock stage = new ai.djl.nn.SequentialBlock();
            int dw = Math.round(c[i] * config.dwRatio);
            for (int j = 0; j < config.layers[i]; j++) {
                float rate = totalPairs > 1 ? options.dropPathRate() * pair / (totalPairs - 1) : 0;
                stage.add(
                        new RepLkBlock(
                                c[i],
                                dw,
                                config.largeKernels[i],
                                config.smallKernel,
                                rate,
                                algorithm));
                stage.add(new ConvFfn(c[i], 4 * c[i], rate));
                pair++;
            }
            stages.add(addChildBlock("stage" + i, stage));
            if (i < c.length - 1) {
                ai.djl.nn.SequentialBlock t = new ai.djl.nn.SequentialBlock();
                t.add(new ConvBn(conv(c[i + 1], 1, 1, 1), true));
                t.add(new ConvBn(conv(c[i + 1], 3, 2, c[i + 1]), true));
                transitions.add(addChildBlock("transition" + i, t));
            }
        }
        norm = addChildBlock("norm", BatchNorm.builder().optEpsilon(BN_EPS).build());
        head = addChildBlock("head", Linear.builder().setUnits(options.numClasses()).build());
    }

    private static Conv2d conv(int out, int k, int stride, int groups) {
        return Conv2d.builder()
                .setKernelShape(new Shape(k, k))
                .setFilters(out)
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(k / 2, k / 2))
                .optGroups(groups)
                .optBias(false)
                .build();
    }

    @Override
    public NDArray forwardFeatures(ParameterStore ps, NDArray images, boolean training) {
        NDList x = stem.forward(ps, new NDList(images), training);
        for (int i = 0; i < stages.size(); i++) {
            x = stages.get(i).forward(ps, x, training);
            if (i < transitions.size()) {
                x = transitions.get(i).forward(ps, x, training);
            }
        }
        return x.singletonOrThrow();
    }

    @Override
    public NDArray forwardHead(ParameterStore ps, NDArray features, boolean training) {
        NDArray x = norm.forward(ps, new NDList(features), training).singletonOrThrow();
        NDArray pooled = Pooling.mean(x, false, 2, 3);
        return head.forward(ps, new NDList(pooled), training).singletonOrThrow();
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] shapes = inputShapes;
        stem.initialize(manager, dataType, shapes);
        shapes = stem.getOutputShapes(shapes);
        for (int i = 0; i < stages.size(); i++) {
            stages.get(i).initialize(manager, dataType, shapes);
            shapes = stages.get(i).getOutputShapes(shapes);
            if (i < transitions.size()) {
                transitions.get(i).initialize(manager, dataType, shapes);
                shapes = transitions.get(i).getOutputShapes(shapes);
            }
        }
        norm.initialize(manager, dataType, shapes);
        head.initialize(manager, dataType, new Shape(shapes[0].get(0), shapes[0].get(1)));
    }

    /**
     * Merges every large-kernel unit into one depthwise conv with bias (inference form). Exact in
     * inference mode; call after training or loading, before creating a predictor.
     *
     * @return the number of merged units
     */
    @Override
    public int reparameterize() {
        int merged = 0;
        for (Block stage : stages) {
            for (Block b : stage.getChildren().values()) {
                if (b instanceof RepLkBlock && ((RepLkBlock) b).largeKernel.reparameterize()) {
                    merged++;
                }
            }
        }
        return merged;
    }

    /**
     * @return the large-kernel units, in order
     */
    public List<LargeKernelConv> largeKernelConvs() {
        List<LargeKernelConv> out = new ArrayList<>();
        for (Block stage : stages) {
            for (Block b : stage.getChildren().values()) {
                if (b instanceof RepLkBlock) {
                    out.add(((RepLkBlock) b).largeKernel);
                }
            }
        }
        return out;
    }

    /** Conv (no bias) then batch norm, then an optional ReLU. */
    public static final class ConvBn extends AbstractBlock {
        private final Convolution conv;
        private final BatchNorm bn;
        private final boolean relu;

        ConvBn(Convolution conv, boolean relu) {
            this.conv = addChildBlock("conv", conv);
            this.bn = addChildBlock("bn", BatchNorm.builder().optEpsilon(BN_EPS).build());
            this.relu = relu;
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps,
                NDList inputs,
                boolean training,
                PairList<String, Object> params) {
            NDList y = bn.forward(ps, conv.forward(ps, inputs, training), training);
            return relu ? new NDList(Activation.relu(y.singletonOrThrow())) : y;
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return conv.getOutputShapes(inputShapes);
        }

        @Override
        protected void initializeChildBlocks(
                NDManager manager, DataType dataType, Shape... inputShapes) {
            conv.initialize(manager, dataType, inputShapes);
            bn.initialize(manager, dataType, conv.getOutputShapes(inputShapes));
        }

        /**
         * Folds the batch norm's inference statistics into the conv: {@code t = gamma / sqrt(var +
         * eps)}, weight {@code W * t}, bias {@code beta - mean * t}.
         *
         * @return {fused weight, fused bias}, in the weight's manager
         */
        NDArray[] fuse() {
            NDArray w = conv.getParameters().get("weight").getArray();
            PairList<String, Parameter> p = bn.getParameters();
            try (NDManager tmp = w.getManager().newSubManager()) {
                NDArray gamma = detached(p.get("gamma").getArray(), tmp);
                NDArray beta = detached(p.get("beta").getArray(), tmp);
                NDArray mean = detached(p.get("runningMean").getArray(), tmp);
                NDArray var = detached(p.get("runningVar").getArray(), tmp);
                NDArray t = gamma.div(var.add(BN_EPS).sqrt());
                NDArray fusedW = detached(w, tmp).mul(t.reshape(-1, 1, 1, 1));
                NDArray fusedB = beta.sub(mean.mul(t));
                fusedW.attach(w.getManager());
                fusedB.attach(w.getManager());
                return new NDArray[] {fusedW, fusedB};
            }
        }

        private static NDArray detached(NDArray a, NDManager scope) {
            NDArray d = a.stopGradient();
            d.attach(scope);
            return d;
        }

        Convolution conv() {
            return conv;
        }
    }

    /**
     * The large-kernel depthwise unit: a K x K depthwise conv with batch norm plus, in training
     * form, a parallel small-kernel depthwise conv with batch norm, summed; after {@link
     * #reparameterize()} one K x K depthwise conv with bias.
     */
    public static final class LargeKernelConv extends AbstractBlock {
        private final int channels;
        private final int kernel;
        private final ConvAlgorithm algorithm;
        private ConvBn large;
        private ConvBn small;
        private FftConv2d merged;

        LargeKernelConv(int channels, int kernel, int smallKernel, ConvAlgorithm algorithm) {
            if (kernel % 2 == 0
                    || (smallKernel > 0 && (smallKernel % 2 == 0 || smallKernel > kernel))) {
                throw new IllegalArgumentException(
                        "RepLKNet: kernels must be odd and the small kernel at most the large one,"
                                + " got "
                                + kernel
                                + " and "
                                + smallKernel);
            }
            this.channels = channels;
            this.kernel = kernel;
            this.algorithm = algorithm;
            large = addChildBlock("lkb_origin", new ConvBn(largeConv(false), false));
            if (smallKernel > 0) {
                small =
                        addChildBlock(
                                "small_conv",
                                new ConvBn(conv(channels, smallKernel, 1, channels), false));
            }
        }

        private FftConv2d largeConv(boolean bias) {
            return FftConv2d.builder()
                    .setKernelShape(new Shape(kernel, kernel))
                    .setFilters(channels)
                    .optGroups(channels)
                    .optPadding(new Shape(kernel / 2, kernel / 2))
                    .optBias(bias)
                    .optAlgorithm(algorithm)
                    .build();
        }

        /**
         * @return whether this unit is in the merged inference form
         */
        public boolean isReparameterized() {
            return merged != null;
        }

        /**
         * @return the large depthwise conv (the merged one after re-parameterisation)
         */
        public FftConv2d largeKernelConv() {
            return merged != null ? merged : (FftConv2d) large.conv();
        }

        boolean reparameterize() {
            if (merged != null) {
                return false;
            }
            if (!isInitialized()) {
                throw new IllegalStateException(
                        "RepLKNet: initialise the model before reparameterize()");
            }
            NDArray[] l = large.fuse();
            NDArray weight = l[0];
            NDArray bias = l[1];
            if (small != null) {
                NDArray[] s = small.fuse();
                int pad = (kernel - (int) s[0].getShape().get(2)) / 2;
                NDArray padded = s[0].pad(new Shape(pad, pad, pad, pad), 0);
                NDArray sumW = weight.add(padded);
                NDArray sumB = bias.add(s[1]);
                for (NDArray a : new NDArray[] {weight, bias, padded, s[0], s[1]}) {
                    a.close();
                }
                weight = sumW;
                bias = sumB;
            }
            FftConv2d conv = largeConv(true);
            conv.getParameters().get("weight").setArray(weight);
            conv.getParameters().get("bias").setArray(bias);
            conv.initialize(weight.getManager(), weight.getDataType(), getInputShapes());
            children.clear();
            large = null;
            small = null;
            merged = addChildBlock("lkb_reparam", conv);
            return true;
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps,
                NDList inputs,
                boolean training,
                PairList<String, Object> params) {
            if (merged != null) {
                return merged.forward(ps, inputs, training);
            }
            NDArray y = large.forward(ps, inputs, training).singletonOrThrow();
            if (small != null) {
                y = y.add(small.forward(ps, inputs, training).singletonOrThrow());
            }
            return new NDList(y);
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

    /** Pre-BN, 1x1 conv (BN, ReLU), large-kernel unit, ReLU, 1x1 conv (BN), drop path, residual. */
    static final class RepLkBlock extends AbstractBlock {
        private final BatchNorm preBn;
        private final ConvBn pw1;
        private final LargeKernelConv largeKernel;
        private final ConvBn pw2;
        private final DropPath dropPath;

        RepLkBlock(
                int channels,
                int dwChannels,
                int kernel,
                int smallKernel,
                float dropRate,
                ConvAlgorithm algorithm) {
            preBn = addChildBlock("prelkb_bn", BatchNorm.builder().optEpsilon(BN_EPS).build());
            pw1 = addChildBlock("pw1", new ConvBn(conv(dwChannels, 1, 1, 1), true));
            largeKernel =
                    addChildBlock(
                            "large_kernel",
                            new LargeKernelConv(dwChannels, kernel, smallKernel, algorithm));
            pw2 = addChildBlock("pw2", new ConvBn(conv(channels, 1, 1, 1), false));
            dropPath = addChildBlock("drop_path", new DropPath(dropRate));
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps,
                NDList inputs,
                boolean training,
                PairList<String, Object> params) {
            NDList h = pw1.forward(ps, preBn.forward(ps, inputs, training), training);
            NDArray lk = Activation.relu(largeKernel.forward(ps, h, training).singletonOrThrow());
            NDList out = dropPath.forward(ps, pw2.forward(ps, new NDList(lk), training), training);
            return new NDList(inputs.singletonOrThrow().add(out.singletonOrThrow()));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {inputShapes[0]};
        }

        @Override
        protected void initializeChildBlocks(
                NDManager manager, DataType dataType, Shape... inputShapes) {
            preBn.initialize(manager, dataType, inputShapes);
            pw1.initialize(manager, dataType, inputShapes);
            Shape[] mid = pw1.getOutputShapes(inputShapes);
            largeKernel.initialize(manager, dataType, mid);
            pw2.initialize(manager, dataType, mid);
            dropPath.initialize(manager, dataType, inputShapes);
        }
    }

    /** Pre-BN, 1x1 conv to the hidden width (BN), GELU, 1x1 conv back (BN), drop path, residual. */
    static final class ConvFfn extends AbstractBlock {
        private final BatchNorm preBn;
        private final ConvBn pw1;
        private final ConvBn pw2;
        private final DropPath dropPath;

        ConvFfn(int channels, int hidden, float dropRate) {
            preBn = addChildBlock("preffn_bn", BatchNorm.builder().optEpsilon(BN_EPS).build());
            pw1 = addChildBlock("pw1", new ConvBn(conv(hidden, 1, 1, 1), false));
            pw2 = addChildBlock("pw2", new ConvBn(conv(channels, 1, 1, 1), false));
            dropPath = addChildBlock("drop_path", new DropPath(dropRate));
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps,
                NDList inputs,
                boolean training,
                PairList<String, Object> params) {
            NDArray h =
                    pw1.forward(ps, preBn.forward(ps, inputs, training), training)
                            .singletonOrThrow();
            NDList out =
                    dropPath.forward(
                            ps,
                            pw2.forward(ps, new NDList(Activation.gelu(h)), training),
                            training);
            return new NDList(inputs.singletonOrThrow().add(out.singletonOrThrow()));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {inputShapes[0]};
        }

        @Override
        protected void initializeChildBlocks(
                NDManager manager, DataType dataType, Shape... inputShapes) {
            preBn.initialize(manager, dataType, inputShapes);
            pw1.initialize(manager, dataType, inputShapes);
            pw2.initialize(manager, dataType, pw1.getOutputShapes(inputShapes));
            dropPath.initialize(manager, dataType, inputShapes);
        }
    }
}
