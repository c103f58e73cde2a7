package org.fourier4j.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.TruncatedNormalInitializer;
import org.fourier4j.nn.MetaFormerBlock;
import org.fourier4j.nn.MultiHeadSelfAttention;
import org.fourier4j.nn.PatchEmbedding;

/**
 * The Vision Transformer (Dosovitskiy et al. 2021; DeiT sizes), timm's {@code VisionTransformer}
 * with {@code global_pool='token'} (shared/specs/token-mixers.md section 7): patch embedding, class
 * token, learned position embedding, pre-norm blocks of multi-head self-attention and MLP (ratio
 * 4), final layer norm (eps 1e-6), linear head on the class token. The quadratic baseline against
 * which the Fourier mixers are compared.
 *
 * <p>Init as timm: position embedding and linear/conv weights truncated normal (std 0.02), class
 * token normal (std 1e-6), biases 0, layer norms 1/0. Input (B, 3, H, W), H and W multiples of the
 * patch size; the position embedding is resized (bicubic) for other resolutions than the configured
 * one.
 */
public final class VisionTransformer extends ImageClassifier {

    /** Width, depth, heads and patch size. */
    public static final class Config {
        final int dim;
        final int depth;
        final int heads;
        final int patch;

        Config(int dim, int depth, int heads, int patch) {
            this.dim = dim;
            this.depth = depth;
            this.heads = heads;
            this.patch = patch;
        }

        Config withPatch(int p) {
            return new Config(dim, depth, heads, p);
        }
    }

    static final Config TINY = new Config(192, 12, 3, 16);
    static final Config SMALL = new Config(384, 12, 6, 16);
    static final Config BASE = new Config(768, 12, 12, 16);

    private final PatchEmbedding embed;
    private final SequentialBlock blocks;
    private final LayerNorm norm;
    private final Linear head;

    /**
     * Builds the model.
     *
     * @param name the zoo name
     * @param options classes, image size, drop path
     * @param config width, depth, heads, patch
     */
    public VisionTransformer(String name, ModelOptions options, Config config) {
        super(name, options);
        embed =
                addChildBlock(
                        "patch_embed",
                        new PatchEmbedding(
                                config.dim,
                                config.patch,
                                options.imageSize(),
                                1e-6f,
                                PatchEmbedding.PositionInit.TRUNCATED_NORMAL,
                                -1));
        blocks = new SequentialBlock();
        for (int i = 0; i < config.depth; i++) {
            float rate = config.depth > 1 ? options.dropPathRate() * i / (config.depth - 1) : 0;
            Block attention =
                    MultiHeadSelfAttention.builder()
                            .setHiddenSize(config.dim)
                            .optHeads(config.heads)
                            .build();
            blocks.add(new MetaFormerBlock(config.dim, attention, 4.0, 1e-6f, 0, 0, rate));
        }
        addChildBlock("blocks", blocks);
        norm = addChildBlock("norm", LayerNorm.builder().axis(2).optEpsilon(1e-6f).build());
        head = addChildBlock("head", Linear.builder().setUnits(options.numClasses()).build());
        setInitializer(
                new TruncatedNormalInitializer(0.02f),
                p -> p.getType() == Parameter.Type.WEIGHT && "weight".equals(p.getName()));
    }

    @Override
    public NDArray forwardFeatures(ParameterStore ps, NDArray images, boolean training) {
        NDList x = embed.forward(ps, new NDList(images), training);
        x = blocks.forward(ps, x, training);
        return norm.forward(ps, x, training).singletonOrThrow();
    }

    @Override
    public NDArray forwardHead(ParameterStore ps, NDArray features, boolean training) {
        NDArray cls = features.get(new NDIndex().addAllDim().addIndices(0));
        return head.forward(ps, new NDList(cls), training).singletonOrThrow();
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        embed.initialize(manager, dataType, inputShapes);
        Shape[] tokens = embed.getOutputShapes(inputShapes);
        blocks.initialize(manager, dataType, tokens);
        norm.initialize(manager, dataType, tokens);
        head.initialize(manager, dataType, new Shape(tokens[0].get(0), tokens[0].get(2)));
    }
}
