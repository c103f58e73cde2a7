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
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.TruncatedNormalInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fourier4j.fft.ConvAlgorithm;
import org.fourier4j.nn.ChannelLayerNorm;
import org.fourier4j.nn.DropPath;
import org.fourier4j.nn.FftConv2d;
import org.fourier4j.nn.LayerScale;
import org.fourier4j.nn.Pooling;
import org.fourier4j.nn.SgConvKernel;

/**
 * ConvNeXt (Liu et al., CVPR 2022, "A ConvNet for the 2020s"), as in the official code
 * (shared/specs/convolutions.md section 4).
 *
 * <ul>
 *   <li>Stem: conv 4x4 stride 4, channels-first layer norm (eps 1e-6). Downsampling before stages
 *       1-3: layer norm, conv 2x2 stride 2.
 *   <li>Block(C): {@code x + DropPath(gamma *
 *       Linear_{4C->C}(GELU(Linear_{C->4C}(LN(DWConv7x7(x))))))}, the MLP on channels-last, layer
 *       scale gamma initialised to 1e-6.
 *   <li>Head: global average pool, layer norm (eps 1e-6), linear.
 * </ul>
 *
 * <p>The depthwise token mixer is pluggable: by default a 7x7 {@link FftConv2d} (AUTO, which picks
 * the direct path at this size); {@code convnext-t-sgconv} puts a global SGConv kernel there
 * ({@link #sgConv()}). Conv and linear weights are initialised truncated-normal (std 0.02), biases
 * 0. Input: (B, 3, H, W) with H, W at least 32.
 */
public final class ConvNext extends ImageClassifier {

    /** A ConvNeXt configuration: blocks and widths per stage. */
    public static final class Config {
        final int[] depths;
        final int[] dims;

        /**
         * Creates a configuration.
         *
         * @param depths blocks per stage
         * @param dims widths per stage
         */
        public Config(int[] depths, int[] dims) {
            if (depths.length != dims.length || depths.length == 0) {
                throw new IllegalArgumentException(
                        "ConvNeXt: depths "
                                + Arrays.toString(depths)
                                + " and dims "
                                + Arrays.toString(dims)
                                + " must have the same, non-zero length");
            }
            this.depths = depths.clone();
            this.dims = dims.clone();
        }
    }

    /** Makes the spatial mixer of a block: (B, C, H, W) to the same shape. */
    @FunctionalInterface
    public interface MixerFactory {
        /**
         * Creates a mixer.
         *
         * @param dim the block's width C
         * @param mapSize the side of the feature map at the configured image size
         * @return the mixer
         */
        Block create(int dim, int mapSize);
    }

    /**
     * SGConv's global kernel as the mixer ({@code convnext-t-sgconv}): a 2-D {@link SgConvKernel}
     * as large as the feature map, with a bias and without SGConv's skip term, so that it stands
     * exactly where the 7x7 depthwise convolution was (our reading of "SGConvNeXt", whose 2-D
     * construction is not published; see {@link SgConvKernel}).
     *
     * @return a factory of mixers
     */
    public static MixerFactory sgConv() {
        return (dim, mapSize) ->
                SgConvKernel.builder()
                        .setChannels(dim)
                        .setMaxLength(mapSize)
                        .optDims(2)
                        .optSkip(false)
                        .optBias(true)
                        .build();
    }

    static final Config TINY = new Config(new int[] {3, 3, 9, 3}, new int[] {96, 192, 384, 768});
    static final Config SMALL = new Config(new int[] {3, 3, 27, 3}, new int[] {96, 192, 384, 768});
    static final Config BASE = new Config(new int[] {3, 3, 27, 3}, new int[] {128, 256, 512, 1024});

    private final List<Block> downsamples = new ArrayList<>();
    private final List<Block> stages = new ArrayList<>();
    private final LayerNorm headNorm;
    private final Linear head;

    /**
     * Builds the model.
     *
     * @param name the zoo name
     * @param options classes, image size, drop path
     * @param config depths and widths
     * @param tokenMixer makes the spatial mixer of each block
     */
    public ConvNext(String name, ModelOptions options, Config config, MixerFactory tokenMixer) {
        super(name, options);
        int[] dims = config.dims;
        int total = Arrays.stream(config.depths).sum();
        int index = 0;
        for (int i = 0; i < dims.length; i++) {
            SequentialBlock down = new SequentialBlock();
            if (i == 0) {
                down.add(patchConv(dims[0], 4)).add(new ChannelLayerNorm(1e-6f));
            } else {
                down.add(new ChannelLayerNorm(1e-6f)).add(patchConv(dims[i], 2));
            }
            downsamples.add(addChildBlock(i == 0 ? "stem" : "downsample" + i, down));
            SequentialBlock stage = new SequentialBlock();
            for (int j = 0; j < config.depths[i]; j++) {
                float rate = total > 1 ? options.dropPathRate() * index / (total - 1) : 0;
                int mapSize = Math.max(1, (options.imageSize() / 4) >> i);
                stage.add(new ConvNextBlock(dims[i], tokenMixer.create(dims[i], mapSize), rate));
                index++;
            }
            stages.add(addChildBlock("stage" + i, stage));
        }
        headNorm = addChildBlock("head_norm", LayerNorm.builder().optEpsilon(1e-6f).build());
        head = addChildBlock("head", Linear.builder().setUnits(options.numClasses()).build());
        setInitializer(new TruncatedNormalInitializer(0.02f), Parameter.Type.WEIGHT);
    }

    /**
     * The default token mixer: a 7x7 depthwise conv with bias, 'same' padding.
     *
     * @param algorithm DIRECT, FFT or AUTO
     * @return a factory of mixers by width
     */
    public static MixerFactory depthwise7x7(ConvAlgorithm algorithm) {
        return (dim, mapSize) ->
                FftConv2d.builder()
                        .setKernelShape(new Shape(7, 7))
                        .setFilters(dim)
                        .optGroups(dim)
                        .optPadding(new Shape(3, 3))
                        .optAlgorithm(algorithm)
                        .build();
    }

    private static Conv2d patchConv(int out, int k) {
        return Conv2d.builder()
                .setKernelShape(new Shape(k, k))
                .setFilters(out)
                .optStride(new Shape(k, k))
                .build();
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
        NDArray pooled = Pooling.mean(features, false, 2, 3);
        NDList normed = headNorm.forward(ps, new NDList(pooled), training);
        return head.forward(ps, normed, training).singletonOrThrow();
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
        Shape pooled = new Shape(shapes[0].get(0), shapes[0].get(1));
        headNorm.initialize(manager, dataType, pooled);
        head.initialize(manager, dataType, pooled);
    }

    /** Depthwise mixer, then norm and MLP on channels-last, layer scale, drop path, residual. */
    static final class ConvNextBlock extends AbstractBlock {
        private final Block mixer;
        private final LayerNorm norm;
        private final Linear fc1;
        private final Linear fc2;
        private final LayerScale gamma;
        private final DropPath dropPath;

        ConvNextBlock(int dim, Block mixer, float dropRate) {
            this.mixer = addChildBlock("conv_dw", mixer);
            norm = addChildBlock("norm", LayerNorm.builder().axis(3).optEpsilon(1e-6f).build());
            fc1 = addChildBlock("fc1", Linear.builder().setUnits(4L * dim).build());
            fc2 = addChildBlock("fc2", Linear.builder().setUnits(dim).build());
            gamma = addChildBlock("gamma", new LayerScale(1e-6f, false));
            dropPath = addChildBlock("drop_path", new DropPath(dropRate));
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps,
                NDList inputs,
                boolean training,
                PairList<String, Object> params) {
            NDArray x = inputs.singletonOrThrow();
            NDArray h =
                    mixer.forward(ps, inputs, training).singletonOrThrow().transpose(0, 2, 3, 1);
            h = norm.forward(ps, new NDList(h), training).singletonOrThrow();
            h = Activation.gelu(fc1.forward(ps, new NDList(h), training).singletonOrThrow());
            NDList branch = gamma.forward(ps, fc2.forward(ps, new NDList(h), training), training);
            NDArray out =
                    dropPath.forward(ps, branch, training).singletonOrThrow().transpose(0, 3, 1, 2);
            return new NDList(x.add(out));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {inputShapes[0]};
        }

        @Override
        protected void initializeChildBlocks(
                NDManager manager, DataType dataType, Shape... inputShapes) {
            Shape in = inputShapes[0];
            mixer.initialize(manager, dataType, inputShapes);
            Shape last = new Shape(in.get(0), in.get(2), in.get(3), in.get(1));
            norm.initialize(manager, dataType, last);
            fc1.initialize(manager, dataType, last);
            Shape hidden = fc1.getOutputShapes(new Shape[] {last})[0];
            fc2.initialize(manager, dataType, hidden);
            gamma.initialize(manager, dataType, last);
            dropPath.initialize(manager, dataType, last);
        }
    }
}
