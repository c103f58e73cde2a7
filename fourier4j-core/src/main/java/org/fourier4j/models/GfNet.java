package org.fourier4j.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
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
import org.fourier4j.nn.DropPath;
import org.fourier4j.nn.GlobalFilter;
import org.fourier4j.nn.LayerScale;
import org.fourier4j.nn.Mlp;
import org.fourier4j.nn.PatchEmbedding;
import org.fourier4j.nn.Pooling;

/**
 * GFNet (Rao et al., NeurIPS 2021, "Global Filter Networks"), as the official {@code gfnet.py}
 * (shared/specs/token-mixers.md section 2): isotropic ({@code GFNet}) and hierarchical ({@code
 * GFNetPyramid}, "GFNet-H").
 *
 * <ul>
 *   <li>Block: {@code x + DropPath([gamma *] MLP(LN2(GlobalFilter(LN1(x)))))} - a single residual
 *       around filter and MLP, as the code (not the paper's figure); layer norms eps 1e-6, MLP
 *       ratio 4; the hierarchical model's blocks carry a layer scale gamma.
 *   <li>Isotropic: patch embedding P x P (default 16) with a position embedding (no class token),
 *       {@code depth} blocks, layer norm, mean over tokens, linear head.
 *   <li>Hierarchical: a 4x4 stride-4 embedding with a position embedding (stage 1 only), then four
 *       stages separated by 2x2 stride-2 convolutions (no norm), layer norm, mean, head.
 * </ul>
 *
 * <p>Each {@link GlobalFilter} is built for the token grid of the configured image size and resized
 * bicubically when the model runs at another resolution, as GFNet fine-tunes at higher resolution;
 * so is the position embedding. Linear weights and the position embedding are initialised truncated
 * normal (std 0.02), biases 0. Input (B, 3, H, W): isotropic, H and W multiples of the patch size;
 * hierarchical, multiples of 32 (four halvings after the stride-4 stem).
 */
public final class GfNet extends ImageClassifier {

    /** Widths, depths, patch size and layer-scale init (0: isotropic blocks without it). */
    public static final class Config {
        final int[] dims;
        final int[] depths;
        final int patch;
        final float layerScale;

        Config(int[] dims, int[] depths, int patch, float layerScale) {
            if (dims.length != depths.length || dims.length == 0) {
                throw new IllegalArgumentException(
                        "GFNet: dims "
                                + Arrays.toString(dims)
                                + " and depths "
                                + Arrays.toString(depths)
                                + " must have the same, non-zero length");
            }
            this.dims = dims.clone();
            this.depths = depths.clone();
            this.patch = patch;
            this.layerScale = layerScale;
        }

        boolean isHierarchical() {
            return dims.length > 1;
        }
    }

    static final Config TI = new Config(new int[] {256}, new int[] {12}, 16, 0);
    static final Config XS = new Config(new int[] {384}, new int[] {12}, 16, 0);
    static final Config S = new Config(new int[] {384}, new int[] {19}, 16, 0);
    static final Config B = new Config(new int[] {512}, new int[] {19}, 16, 0);
    static final Config H_TI =
            new Config(new int[] {64, 128, 256, 512}, new int[] {3, 3, 10, 3}, 4, 1e-3f);
    static final Config H_S =
            new Config(new int[] {96, 192, 384, 768}, new int[] {3, 3, 10, 3}, 4, 1e-5f);
    static final Config H_B =
            new Config(new int[] {96, 192, 384, 768}, new int[] {3, 3, 27, 3}, 4, 1e-6f);

    private final PatchEmbedding embed;
    private final List<Block> downsamples = new ArrayList<>();
    private final List<Block> stages = new ArrayList<>();
    private final LayerNorm norm;
    private final Linear head;

    /**
     * Builds the model.
     *
     * @param name the zoo name
     * @param options classes, image size, drop path
     * @param config widths, depths, patch, layer scale
     */
    public GfNet(String name, ModelOptions options, Config config) {
        super(name, options);
        int[] dims = config.dims;
        embed =
                addChildBlock(
                        "patch_embed",
                        new PatchEmbedding(
                                dims[0],
                                config.patch,
                                options.imageSize(),
                                -1,
                                PatchEmbedding.PositionInit.TRUNCATED_NORMAL,
                                -1));
        int total = Arrays.stream(config.depths).sum();
        int grid = options.imageSize() / config.patch;
        int index = 0;
        for (int s = 0; s < dims.length; s++) {
            if (s > 0) {
                downsamples.add(addChildBlock("downsample" + s, new DownLayer(dims[s])));
                grid /= 2;
            }
            SequentialBlock stage = new SequentialBlock();
            for (int j = 0; j < config.depths[s]; j++) {
                float rate = total > 1 ? options.dropPathRate() * index / (total - 1) : 0;
                stage.add(new FilterBlock(dims[s], Math.max(grid, 1), config.layerScale, rate));
                index++;
            }
            stages.add(addChildBlock("stage" + s, stage));
        }
        norm = addChildBlock("norm", LayerNorm.builder().axis(3).optEpsilon(1e-6f).build());
        head = addChildBlock("head", Linear.builder().setUnits(options.numClasses()).build());
        setInitializer(
                new TruncatedNormalInitializer(0.02f),
                p -> p.getType() == Parameter.Type.WEIGHT && "weight".equals(p.getName()));
    }

    @Override
    public NDArray forwardFeatures(ParameterStore ps, NDArray images, boolean training) {
        int[] grid = embed.grid(images.getShape());
        NDArray tokens = embed.forward(ps, new NDList(images), training).singletonOrThrow();
        Shape t = tokens.getShape();
        // the blocks work on the token grid (B, h, w, C): the filters need the 2-D layout
        NDList x = new NDList(tokens.reshape(t.get(0), grid[0], grid[1], t.get(2)));
        for (int s = 0; s < stages.size(); s++) {
            if (s > 0) {
                x = downsamples.get(s - 1).forward(ps, x, training);
            }
            x = stages.get(s).forward(ps, x, training);
        }
        return norm.forward(ps, x, training).singletonOrThrow();
    }

    @Override
    public NDArray forwardHead(ParameterStore ps, NDArray features, boolean training) {
        NDArray pooled = Pooling.mean(features, false, 1, 2);
        return head.forward(ps, new NDList(pooled), training).singletonOrThrow();
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        embed.initialize(manager, dataType, inputShapes);
        Shape t = embed.getOutputShapes(inputShapes)[0];
        int[] grid = embed.grid(inputShapes[0]);
        Shape[] x = {new Shape(t.get(0), grid[0], grid[1], t.get(2))};
        for (int s = 0; s < stages.size(); s++) {
            if (s > 0) {
                downsamples.get(s - 1).initialize(manager, dataType, x);
                x = downsamples.get(s - 1).getOutputShapes(x);
            }
            stages.get(s).initialize(manager, dataType, x);
        }
        norm.initialize(manager, dataType, x);
        head.initialize(manager, dataType, new Shape(x[0].get(0), x[0].get(3)));
    }

    /** Token grid (B, h, w, C) to (B, h/2, w/2, C'): a 2x2 stride-2 convolution, no norm. */
    static final class DownLayer extends AbstractBlock {
        private final Conv2d proj;

        DownLayer(long dim) {
            proj =
                    addChildBlock(
                            "proj",
                            Conv2d.builder()
                                    .setKernelShape(new Shape(2, 2))
                                    .optStride(new Shape(2, 2))
                                    .setFilters((int) dim)
                                    .build());
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps,
                NDList inputs,
                boolean training,
                PairList<String, Object> params) {
            NDArray map = inputs.singletonOrThrow().transpose(0, 3, 1, 2);
            NDArray y = proj.forward(ps, new NDList(map), training).singletonOrThrow();
            return new NDList(y.transpose(0, 2, 3, 1));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            Shape in = inputShapes[0];
            Shape channelsFirst = new Shape(in.get(0), in.get(3), in.get(1), in.get(2));
            Shape out = proj.getOutputShapes(new Shape[] {channelsFirst})[0];
            return new Shape[] {new Shape(out.get(0), out.get(2), out.get(3), out.get(1))};
        }

        @Override
        protected void initializeChildBlocks(
                NDManager manager, DataType dataType, Shape... inputShapes) {
            Shape in = inputShapes[0];
            proj.initialize(
                    manager, dataType, new Shape(in.get(0), in.get(3), in.get(1), in.get(2)));
        }
    }

    /**
     * GFNet's block on a token grid (B, h, w, C): {@code x + DropPath([gamma *]
     * MLP(LN2(GF(LN1(x)))))}.
     */
    static final class FilterBlock extends AbstractBlock {
        private final LayerNorm norm1;
        private final GlobalFilter filter;
        private final LayerNorm norm2;
        private final Mlp mlp;
        private final LayerScale gamma;
        private final DropPath dropPath;

        FilterBlock(long dim, int grid, float layerScale, float dropRate) {
            norm1 = addChildBlock("norm1", LayerNorm.builder().axis(3).optEpsilon(1e-6f).build());
            filter =
                    addChildBlock(
                            "filter",
                            GlobalFilter.builder()
                                    .optGridSize(grid, grid)
                                    .optChannels(dim)
                                    .build());
            norm2 = addChildBlock("norm2", LayerNorm.builder().axis(3).optEpsilon(1e-6f).build());
            mlp = addChildBlock("mlp", new Mlp(dim, 4 * dim, 0));
            gamma =
                    layerScale > 0
                            ? addChildBlock("gamma", new LayerScale(layerScale, false))
                            : null;
            dropPath = addChildBlock("drop_path", new DropPath(dropRate));
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps,
                NDList inputs,
                boolean training,
                PairList<String, Object> params) {
            NDList h = filter.forward(ps, norm1.forward(ps, inputs, training), training);
            NDList branch = mlp.forward(ps, norm2.forward(ps, h, training), training);
            if (gamma != null) {
                branch = gamma.forward(ps, branch, training);
            }
            NDArray x = inputs.singletonOrThrow();
            return new NDList(x.add(dropPath.forward(ps, branch, training).singletonOrThrow()));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {inputShapes[0]};
        }

        @Override
        protected void initializeChildBlocks(
                NDManager manager, DataType dataType, Shape... inputShapes) {
            for (Block b : getChildren().values()) {
                b.initialize(manager, dataType, inputShapes);
            }
        }
    }
}
