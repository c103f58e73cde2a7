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
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.TruncatedNormalInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fourier4j.nn.ChannelNorm;
import org.fourier4j.nn.DropPath;
import org.fourier4j.nn.LayerScale;
import org.fourier4j.nn.Pooling;
import org.fourier4j.nn.SpectrumMixer;

/**
 * A hierarchical MetaFormer built from {@link SpectrumMixer}, in the spirit of DSM (Hu and Yu 2023,
 * "Dynamic Spectrum Mixer for Visual Recognition").
 *
 * <p><b>This network is our design, not the paper's.</b> No official code of DSM exists and the
 * paper's method section and model tables were not available (shared/specs/token-mixers.md section
 * 6): only its abstract (DCT token mixing, a dynamic spectrum weight generation layer selecting
 * frequency bands per image, 83.8% ImageNet top-1 for an unnamed model size). The mixer is our
 * DCT-band design ({@link SpectrumMixer}); the layout around it is the plain MetaFormer /
 * PoolFormer skeleton, chosen so that a DSM-style mixer can be compared with the other mixers on
 * equal terms:
 *
 * <ul>
 *   <li>Stem: conv 7x7 stride 4 padding 2 (PoolFormer's), or with override {@code stem_stride} 2 /
 *       1 a 3x3 conv of that stride (for small images); downsampling between stages: conv 3x3
 *       stride 2 padding 1. Convs with bias.
 *   <li>Block(C): {@code x + DropPath(ls1 * SpectrumMixer(GN(x)))}, then {@code x + DropPath(ls2 *
 *       fc2(GELU(fc1(GN(x)))))} with 1x1 convs C to {@code mlp_ratio C} to C, GN = GroupNorm with
 *       one group (eps 1e-5), layer scale initialised to 1e-5.
 *   <li>Head: global average pool, layer norm over channels (GroupNorm on the pooled map), linear.
 * </ul>
 *
 * <p>"DSM-T" ({@code dsm-t}): depths 3/3/9/3, widths 64/128/320/512, MLP ratio 4, K = 8 frequency
 * bands, generator reduction 4 - a "tiny" budget of 17.6M parameters and 2.7 GFLOPs at 224x224 (our
 * count; between GFNet-H-Ti's 15M/2.0G and PoolFormer-S24's 21M/3.4G). The paper reports no
 * parameter count or FLOPs for any size that could be checked, so the zoo reports none.
 *
 * <p>Sizes: every stage's grid must populate all K bands of its mixer (for K = 8, grids of 4x4 and
 * larger), so with the default stride-4 stem the smallest input is 99x99 (stage grids 25, 13, 7,
 * 4); {@code stem_stride=2} takes sizes from 49 and {@code stem_stride=1} from 25, so 32x32 CIFAR
 * images (grids 32, 16, 8, 4); fewer bands take smaller grids. {@link #minImageSize} computes the
 * bound for any configuration and the zoo rejects smaller sizes with a message saying which work.
 * Conv and linear weights are trunc-normal (std 0.02), biases 0; the spectrum mixer starts as the
 * identity (see there).
 */
public final class DsmNet extends ImageClassifier {

    /** A configuration of the network. */
    public static final class Config {
        final int[] depths;
        final int[] dims;
        final int mlpRatio;
        final int bands;
        final int reduction;
        final int stemStride;
        final float layerScale;

        /**
         * Creates a configuration.
         *
         * @param depths blocks per stage
         * @param dims widths per stage
         * @param mlpRatio MLP hidden width in multiples of C
         * @param bands frequency bands K of every mixer
         * @param reduction bottleneck reduction of the band weight generator
         * @param stemStride 4 (7x7 conv), 2 or 1 (3x3 conv)
         * @param layerScale initial layer scale, or 0 for none
         */
        public Config(
                int[] depths,
                int[] dims,
                int mlpRatio,
                int bands,
                int reduction,
                int stemStride,
                float layerScale) {
            if (depths.length == 0 || depths.length != dims.length) {
                throw new IllegalArgumentException(
                        "DSM: depths "
                                + Arrays.toString(depths)
                                + " and dims "
                                + Arrays.toString(dims)
                                + " must have the same, non-zero length");
            }
            for (int i = 0; i < depths.length; i++) {
                if (depths[i] < 1 || dims[i] < 1) {
                    throw new IllegalArgumentException(
                            "DSM: depths and dims must be positive, got "
                                    + Arrays.toString(depths)
                                    + " and "
                                    + Arrays.toString(dims));
                }
            }
            if (stemStride != 1 && stemStride != 2 && stemStride != 4) {
                throw new IllegalArgumentException(
                        "DSM: stem_stride must be 1, 2 or 4, got " + stemStride);
            }
            if (mlpRatio < 1 || bands < 2 || reduction < 1 || !(layerScale >= 0)) {
                throw new IllegalArgumentException(
                        "DSM: need mlp_ratio >= 1, bands >= 2, reduction >= 1, layer_scale >= 0,"
                                + " got "
                                + mlpRatio
                                + ", "
                                + bands
                                + ", "
                                + reduction
                                + ", "
                                + layerScale);
            }
            this.depths = depths.clone();
            this.dims = dims.clone();
            this.mlpRatio = mlpRatio;
            this.bands = bands;
            this.reduction = reduction;
            this.stemStride = stemStride;
            this.layerScale = layerScale;
        }
    }

    /** DSM-T (our design): depths 3/3/9/3, dims 64/128/320/512, 8 bands, stride-4 stem. */
    static final Config TINY =
            new Config(new int[] {3, 3, 9, 3}, new int[] {64, 128, 320, 512}, 4, 8, 4, 4, 1e-5f);

    private final List<Block> downsamples = new ArrayList<>();
    private final List<Block> stages = new ArrayList<>();
    private final ChannelNorm headNorm;
    private final Linear head;

    /**
     * Builds the model.
     *
     * @param name the zoo name
     * @param options classes, image size, drop path
     * @param config the configuration
     */
    public DsmNet(String name, ModelOptions options, Config config) {
        super(name, options);
        int[] dims = config.dims;
        int total = Arrays.stream(config.depths).sum();
        int index = 0;
        for (int i = 0; i < dims.length; i++) {
            Conv2d down;
            if (i == 0) {
                down =
                        config.stemStride == 4
                                ? conv(dims[0], 7, 4, 2)
                                : conv(dims[0], 3, config.stemStride, 1);
            } else {
                down = conv(dims[i], 3, 2, 1);
            }
            downsamples.add(addChildBlock(i == 0 ? "stem" : "downsample" + i, down));
            SequentialBlock stage = new SequentialBlock();
            for (int j = 0; j < config.depths[i]; j++) {
                float rate = total > 1 ? options.dropPathRate() * index / (total - 1) : 0;
                stage.add(new SpectralBlock(dims[i], config, rate));
                index++;
            }
            stages.add(addChildBlock("stage" + i, stage));
        }
        headNorm =
                addChildBlock("head_norm", new ChannelNorm("DSM", ChannelNorm.Kind.GROUP_NORM_1));
        head = addChildBlock("head", Linear.builder().setUnits(options.numClasses()).build());
        setInitializer(new TruncatedNormalInitializer(0.02f), Parameter.Type.WEIGHT);
    }

    private static Conv2d conv(int out, int kernel, int stride, int padding) {
        return Conv2d.builder()
                .setKernelShape(new Shape(kernel, kernel))
                .setFilters(out)
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(padding, padding))
                .build();
    }

    /**
     * Returns the smallest square input this configuration takes: the size from which every stage's
     * grid (and every larger one) populates all frequency bands.
     *
     * @param config the configuration
     * @return the smallest image size
     */
    static int minImageSize(Config config) {
        int grid = minGrid(config.bands);
        for (int size = 1; ; size++) {
            if (lastGrid(size, config) >= grid) {
                return size;
            }
        }
    }

    /** The grid of the last stage for a square input of this size (0 if the stem cannot run). */
    static int lastGrid(int size, Config config) {
        int kernel = config.stemStride == 4 ? 7 : 3;
        int padding = config.stemStride == 4 ? 2 : 1;
        if (size + 2 * padding < kernel) {
            return 0;
        }
        int g = (size + 2 * padding - kernel) / config.stemStride + 1;
        for (int i = 1; i < config.dims.length; i++) {
            g = (g - 1) / 2 + 1;
        }
        return g;
    }

    /** The smallest grid side from which every square grid populates all bands (checked to 64). */
    static int minGrid(int bands) {
        SpectrumMixer probe = SpectrumMixer.builder().setChannels(1).optBands(bands).build();
        int ok = 65;
        for (int g = 64; g >= 1; g--) {
            try {
                probe.getOutputShapes(new Shape[] {new Shape(1, 1, g, g)});
                ok = g;
            } catch (IllegalArgumentException e) {
                break;
            }
        }
        if (ok > 64) {
            throw new IllegalArgumentException(
                    "DSM: " + bands + " bands do not fit any grid up to 64x64");
        }
        return ok;
    }

    @Override
    public NDArray forwardFeatures(ParameterStore ps, NDArray images, boolean training) {
        NDList x = new NDList(images);
        for (int i = 0; i < stages.size(); i++) {
            x = stages.get(i).forward(ps, downsamples.get(i).forward(ps, x, training), training);
        }
        return x.singletonOrThrow();
    }

    @Override
    public NDArray forwardHead(ParameterStore ps, NDArray features, boolean training) {
        NDArray pooled = Pooling.mean(features, true, 2, 3);
        NDArray normed = headNorm.forward(ps, new NDList(pooled), training).singletonOrThrow();
        NDArray flat = normed.reshape(features.getShape().get(0), features.getShape().get(1));
        return head.forward(ps, new NDList(flat), training).singletonOrThrow();
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] shapes = inputShapes;
        for (int i = 0; i < stages.size(); i++) {
            downsamples.get(i).initialize(manager, dataType, shapes);
            shapes = downsamples.get(i).getOutputShapes(shapes);
            stages.get(i).initialize(manager, dataType, shapes);
            shapes = stages.get(i).getOutputShapes(shapes);
        }
        long b = shapes[0].get(0);
        long c = shapes[0].get(1);
        headNorm.initialize(manager, dataType, new Shape(b, c, 1, 1));
        head.initialize(manager, dataType, new Shape(b, c));
    }

    /** The MetaFormer block with the spectrum mixer, channels-first. */
    static final class SpectralBlock extends AbstractBlock {
        private final ChannelNorm norm1;
        private final SpectrumMixer mixer;
        private final LayerScale scale1;
        private final DropPath dropPath1;
        private final ChannelNorm norm2;
        private final Conv2d fc1;
        private final Conv2d fc2;
        private final LayerScale scale2;
        private final DropPath dropPath2;

        SpectralBlock(int dim, Config config, float dropRate) {
            norm1 = addChildBlock("norm1", new ChannelNorm("DSM", ChannelNorm.Kind.GROUP_NORM_1));
            mixer =
                    addChildBlock(
                            "token_mixer",
                            SpectrumMixer.builder()
                                    .setChannels(dim)
                                    .optBands(config.bands)
                                    .optReduction(config.reduction)
                                    .build());
            scale1 =
                    config.layerScale > 0
                            ? addChildBlock("ls1", new LayerScale(config.layerScale, true))
                            : null;
            dropPath1 = addChildBlock("drop_path1", new DropPath(dropRate));
            norm2 = addChildBlock("norm2", new ChannelNorm("DSM", ChannelNorm.Kind.GROUP_NORM_1));
            fc1 = addChildBlock("fc1", conv(dim * config.mlpRatio, 1, 1, 0));
            fc2 = addChildBlock("fc2", conv(dim, 1, 1, 0));
            scale2 =
                    config.layerScale > 0
                            ? addChildBlock("ls2", new LayerScale(config.layerScale, true))
                            : null;
            dropPath2 = addChildBlock("drop_path2", new DropPath(dropRate));
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps,
                NDList inputs,
                boolean training,
                PairList<String, Object> params) {
            NDArray x = inputs.singletonOrThrow();
            NDList t = mixer.forward(ps, norm1.forward(ps, inputs, training), training);
            if (scale1 != null) {
                t = scale1.forward(ps, t, training);
            }
            x = x.add(dropPath1.forward(ps, t, training).singletonOrThrow());
            NDArray h =
                    fc1.forward(ps, norm2.forward(ps, new NDList(x), training), training)
                            .singletonOrThrow();
            NDList m = fc2.forward(ps, new NDList(Activation.gelu(h)), training);
            if (scale2 != null) {
                m = scale2.forward(ps, m, training);
            }
            return new NDList(x.add(dropPath2.forward(ps, m, training).singletonOrThrow()));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return mixer.getOutputShapes(inputShapes);
        }

        @Override
        protected void initializeChildBlocks(
                NDManager manager, DataType dataType, Shape... inputShapes) {
            norm1.initialize(manager, dataType, inputShapes);
            mixer.initialize(manager, dataType, inputShapes);
            if (scale1 != null) {
                scale1.initialize(manager, dataType, inputShapes);
            }
            dropPath1.initialize(manager, dataType, inputShapes);
            norm2.initialize(manager, dataType, inputShapes);
            fc1.initialize(manager, dataType, inputShapes);
            Shape[] hidden = fc1.getOutputShapes(inputShapes);
            fc2.initialize(manager, dataType, hidden);
            if (scale2 != null) {
                scale2.initialize(manager, dataType, inputShapes);
            }
            dropPath2.initialize(manager, dataType, inputShapes);
        }
    }
}
