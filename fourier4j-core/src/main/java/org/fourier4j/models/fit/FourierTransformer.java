package org.fourier4j.models.fit;

import ai.djl.ndarray.types.Shape;
import java.util.Map;
import org.fourier4j.models.ClassifierHead;
import org.fourier4j.models.MetaFormer;
import org.fourier4j.models.ModelOptions;
import org.fourier4j.models.Variant;
import org.fourier4j.models.WeightShapes;
import org.fourier4j.nn.FourierEncoderBlock;
import org.fourier4j.nn.PatchEmbedding;

/**
 * The image skeleton FiT and FNet share on the {@link MetaFormer}: FiT's patch embedding ({@code
 * stem}: P x P conv, class token (normal, std 1) prepended, position embedding (zeros) added, layer
 * norm eps 1e-5), one stage of {@link FourierEncoderBlock}s in FiT's or FNet's wiring, no final
 * norm, a linear head on the class token, optionally squashed by tanh.
 *
 * <p>No parameters mix tokens: a block costs O(N D log(N D)) instead of attention's O(N^2 D). Any
 * image size from one patch up: the grid floors as the stride-P conv does, and the position
 * embedding is resized (bicubic) for grids other than the configured one. The blocks take no drop
 * path (neither paper has one): a drop-path rate above 0 is refused rather than ignored.
 */
public final class FourierTransformer {

    private FourierTransformer() {}

    /**
     * Builds a FiT or an FNet.
     *
     * @param name the zoo name
     * @param options classes, image size
     * @param c the configuration
     * @param style FiT's block or FNet's
     * @return the model, not yet initialised
     */
    public static MetaFormer build(
            String name,
            ModelOptions options,
            FourierTransformerConfig c,
            FourierEncoderBlock.Style style) {
        if (options.dropPathRate() > 0) {
            throw new IllegalArgumentException(
                    "model "
                            + name
                            + ": FiT and FNet blocks have no stochastic depth, drop_path_rate"
                            + " must be 0, got "
                            + options.dropPathRate());
        }
        int dim = c.embedDim();
        PatchEmbedding stem =
                PatchEmbedding.builder(dim, c.patchSize(), options.imageSize())
                        .optClassToken(1f)
                        .optPositions(PatchEmbedding.PositionInit.ZEROS)
                        .optNorm(1e-5f)
                        .build();
        return MetaFormer.builder(name, options)
                .stem(stem)
                .stage(
                        c.numLayers(),
                        (j, rate) ->
                                FourierEncoderBlock.builder()
                                        .setHiddenSize(dim)
                                        .setFeedForwardSize(c.dimFeedforward())
                                        .optStyle(style)
                                        .optDropout(c.dropoutRate())
                                        .optFourierNorm(c.fourierNorm())
                                        .build())
                .norm(null)
                .head(
                        ClassifierHead.builder(
                                        ClassifierHead.Pool.CLASS_TOKEN, options.numClasses())
                                .tanh(c.headTanh())
                                .build())
                .build();
    }

    /**
     * Adds the training recipe measured best for short CPU runs of the small 32x32 variants
     * (docs/training.md, "The per-model training recipe"): a unitary DFT (unnormalised, the mixer's
     * output is about sqrt(N D) times its input), a linear head (tanh caps every class probability
     * below 0.45), no dropout (a small model underfits in a few epochs), the one-cycle peak 5e-3
     * and no RandAugment (it slows convergence over a few epochs). The model keys are part of the
     * recipe rather than of the variant, so that a run saved with the variant's own settings still
     * loads as it was trained.
     */
    static Variant.Builder<FourierTransformerConfig> shortCpuRecipe(
            Variant.Builder<FourierTransformerConfig> variant) {
        return variant.trainWith("fourier_norm", "ortho")
                .trainWith("head_tanh", false)
                .trainWith("dropout_rate", 0.0)
                .trainWith("lr", 0.005)
                .trainWith("randaugment_ops", 0);
    }

    /** Completes a variant of either family: reported at 10 classes, any size from one patch up. */
    static Variant<FourierTransformerConfig> finish(
            Variant.Builder<FourierTransformerConfig> variant,
            double params,
            int size,
            String description) {
        return variant.description(description)
                .reported(params, Double.NaN, size, 10)
                .defaultImageSize(size)
                .sizes(cfg -> new Variant.Sizes(cfg.patchSize(), 1))
                .build();
    }

    /**
     * What the weights decide: {@code embed_dim}, {@code dim_feedforward}, {@code patch_size},
     * {@code num_layers}, {@code num_classes}, {@code image_size}.
     */
    static Map<String, Object> inferFromWeights(Map<String, Shape> shapes) {
        Map<String, Object> out = WeightShapes.classTokenModel(shapes);
        Shape ff = shapes.get("stages.0.blocks.0.ff.weight");
        if (ff != null && ff.dimension() == 2) {
            out.put("dim_feedforward", Math.toIntExact(ff.get(0)));
        }
        return out;
    }
}
