package org.fourier4j.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import org.fourier4j.fft.FftNorm;
import org.fourier4j.nn.FourierEncoderBlock;
import org.fourier4j.nn.PatchEmbedding;

/**
 * FiT, the seed report's Fourier Image Transformer, exactly as its {@code FiT.py}
 * (shared/specs/token-mixers.md section 1.2), and the same image skeleton with FNet's encoder
 * blocks ({@code fnet-*}).
 *
 * <ul>
 *   <li>Embedding: conv P x P stride P, class token (normal, std 1) prepended, learned position
 *       embedding (zeros), layer norm (eps 1e-5).
 *   <li>{@code depth} {@link FourierEncoderBlock}s: FiT's ({@code h = LN1(m + x)}, {@code out =
 *       LN2(FF(h) + m)}, m = Re(FFT_N(FFT_D(x))), exact GELU) or FNet's ({@code x1 = LN1(x + m)},
 *       {@code out = LN2(x1 + FF(x1))}, tanh GELU); no final norm.
 *   <li>The Fourier mixers are unnormalised as in both papers; override {@code fourier_norm=ortho}
 *       for the unitary DFT (output scaled by {@code 1/sqrt(N D)}).
 *   <li>Head on the class token: {@code tanh(Linear(x[:, 0]))} for FiT, as the seed code (so logits
 *       lie in [-1, 1]; override {@code head_tanh=false} to drop the tanh), a plain linear layer
 *       for the FNet variant.
 * </ul>
 *
 * No parameters mix tokens: cost O(N D log(N D)) per block instead of attention's O(N^2 D). Input
 * (B, 3, H, W), H and W multiples of the patch size; the position embedding is resized (bicubic)
 * for other resolutions.
 */
public final class FourierTransformer extends ImageClassifier {

    /** Width, feed-forward width, depth, patch size, block style, dropout, Fourier scaling. */
    public static final class Config {
        final int dim;
        final int feedForward;
        final int depth;
        final int patch;
        final FourierEncoderBlock.Style style;
        final float dropout;
        final FftNorm fourierNorm;

        Config(
                int dim,
                int feedForward,
                int depth,
                int patch,
                FourierEncoderBlock.Style style,
                float dropout) {
            this(dim, feedForward, depth, patch, style, dropout, FftNorm.BACKWARD);
        }

        Config(
                int dim,
                int feedForward,
                int depth,
                int patch,
                FourierEncoderBlock.Style style,
                float dropout,
                FftNorm fourierNorm) {
            this.dim = dim;
            this.feedForward = feedForward;
            this.depth = depth;
            this.patch = patch;
            this.style = style;
            this.dropout = dropout;
            this.fourierNorm = fourierNorm;
        }
    }

    /** The seed's config.json: D 768, FF 2048, 12 layers, dropout 0.1; patch 4 for 32x32. */
    static final Config FIT = new Config(768, 2048, 12, 4, FourierEncoderBlock.Style.FIT, 0.1f);

    /** A FiT small enough for CPU: 6 blocks of width 192, FF 768, patch 4. */
    static final Config FIT_TINY = new Config(192, 768, 6, 4, FourierEncoderBlock.Style.FIT, 0.1f);

    /** 8 blocks of width 384, FF 1536, patch 4. */
    static final Config FIT_SMALL =
            new Config(384, 1536, 8, 4, FourierEncoderBlock.Style.FIT, 0.1f);

    /** FNet blocks at FiT-tiny's size. */
    static final Config FNET_TINY =
            new Config(192, 768, 6, 4, FourierEncoderBlock.Style.FNET, 0.1f);

    /** FNet-Base blocks (D 768, FF 3072, 12 layers), patch 16. */
    static final Config FNET_BASE =
            new Config(768, 3072, 12, 16, FourierEncoderBlock.Style.FNET, 0.1f);

    private final PatchEmbedding embed;
    private final SequentialBlock blocks;
    private final Linear head;
    private final boolean headTanh;

    /**
     * Builds the model.
     *
     * @param name the zoo name
     * @param options classes, image size
     * @param config the configuration
     * @param headTanh whether the head squashes logits with tanh (the seed's FiT does)
     */
    public FourierTransformer(String name, ModelOptions options, Config config, boolean headTanh) {
        super(name, options);
        this.headTanh = headTanh;
        embed =
                addChildBlock(
                        "embed",
                        new PatchEmbedding(
                                config.dim,
                                config.patch,
                                options.imageSize(),
                                1f,
                                PatchEmbedding.PositionInit.ZEROS,
                                1e-5f));
        blocks = new SequentialBlock();
        for (int i = 0; i < config.depth; i++) {
            blocks.add(
                    FourierEncoderBlock.builder()
                            .setHiddenSize(config.dim)
                            .setFeedForwardSize(config.feedForward)
                            .optStyle(config.style)
                            .optDropout(config.dropout)
                            .optFourierNorm(config.fourierNorm)
                            .build());
        }
        addChildBlock("encoder", blocks);
        head = addChildBlock("head", Linear.builder().setUnits(options.numClasses()).build());
    }

    @Override
    public NDArray forwardFeatures(ParameterStore ps, NDArray images, boolean training) {
        NDList x = embed.forward(ps, new NDList(images), training);
        return blocks.forward(ps, x, training).singletonOrThrow();
    }

    @Override
    public NDArray forwardHead(ParameterStore ps, NDArray features, boolean training) {
        NDArray cls = features.get(new NDIndex().addAllDim().addIndices(0));
        NDArray logits = head.forward(ps, new NDList(cls), training).singletonOrThrow();
        return headTanh ? logits.tanh() : logits;
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        embed.initialize(manager, dataType, inputShapes);
        Shape[] tokens = embed.getOutputShapes(inputShapes);
        blocks.initialize(manager, dataType, tokens);
        head.initialize(manager, dataType, new Shape(tokens[0].get(0), tokens[0].get(2)));
    }
}
