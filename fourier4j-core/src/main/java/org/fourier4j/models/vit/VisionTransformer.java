package org.fourier4j.models.vit;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.LayerNorm;
import java.util.List;
import java.util.Map;
import org.fourier4j.models.AbstractModelFamily;
import org.fourier4j.models.ClassifierHead;
import org.fourier4j.models.MetaFormer;
import org.fourier4j.models.ModelOptions;
import org.fourier4j.models.NameMap;
import org.fourier4j.models.Variant;
import org.fourier4j.models.WeightShapes;
import org.fourier4j.nn.MetaFormerBlock;
import org.fourier4j.nn.MultiHeadSelfAttention;
import org.fourier4j.nn.PatchEmbedding;

/**
 * The Vision Transformer (Dosovitskiy et al., ICLR 2021, "An Image is Worth 16x16 Words"; DeiT
 * sizes, Touvron et al. 2021) as timm's {@code VisionTransformer} with {@code global_pool='token'}
 * (huggingface/pytorch-image-models, {@code timm/models/vision_transformer.py}), on the {@link
 * MetaFormer} skeleton: the quadratic baseline against which the Fourier mixers are compared.
 *
 * <ul>
 *   <li>{@code stem}: patch embedding (P x P conv, stride P), class token prepended, learned
 *       position embedding added.
 *   <li>One stage of {@link MetaFormerBlock}s: pre-norm, multi-head self-attention {@code attn},
 *       MLP (ratio 4, exact GELU), layer norms eps 1e-6, no layer scale.
 *   <li>{@code norm} (eps 1e-6) over every token; head: linear on the class token.
 * </ul>
 *
 * <p>Init as timm: linear and conv weights and the position embedding truncated normal (std 0.02),
 * class token normal (std 1e-6), biases 0, layer norms 1 and 0. Any image size from one patch up:
 * the grid floors as the stride-P conv does, and the position embedding is resized (bicubic) for
 * grids other than the configured one. Parameter names follow timm's but for the skeleton's outer
 * structure; the {@code timm} name map translates.
 */
public final class VisionTransformer extends AbstractModelFamily<VitConfig> {

    static final VitConfig TINY = new VitConfig(192, 12, 3, 16);
    static final VitConfig SMALL = new VitConfig(384, 12, 6, 16);
    static final VitConfig BASE = new VitConfig(768, 12, 12, 16);

    /** timm's names ({@code vision_transformer.py}). */
    static final NameMap TIMM =
            NameMap.builder("timm")
                    .rule("cls_token", "stem.cls_token")
                    .rule("pos_embed", "stem.pos_embed")
                    .rule("patch_embed.", "stem.")
                    .rule("blocks.{b}.", "stages.0.blocks.{b}.")
                    .rule("head.", "head.fc.")
                    .build();

    /** The family, with timm's name map. */
    public VisionTransformer() {
        super("ViT", VisionTransformer::build, TIMM);
    }

    // the exact counts at 224 with 1000 classes (DeiT sizes) and commonly cited GFLOPs; the -p4
    // variants take 32x32 images, ViT-B/4 counted as in the FiT report's CIFAR-10 comparison
    // (85.15M with 10 classes, "86M")
    @Override
    public List<Variant<?>> variants() {
        return List.of(
                variant("vit-tiny", TINY, 5.717416, 1.3, 224, 1000, "ViT-Ti/16"),
                variant("vit-small", SMALL, 22.050664, 4.6, 224, 1000, "ViT-S/16"),
                variant("vit-base", BASE, 86.567656, 17.5, 224, 1000, "ViT-B/16"),
                variant(
                        "vit-tiny-p4",
                        TINY.withPatch(4),
                        Double.NaN,
                        Double.NaN,
                        32,
                        10,
                        "ViT-Ti/4 for 32x32"),
                variant(
                        "vit-small-p4",
                        SMALL.withPatch(4),
                        Double.NaN,
                        Double.NaN,
                        32,
                        10,
                        "ViT-S/4 for 32x32"),
                variant(
                        "vit-base-p4",
                        BASE.withPatch(4),
                        85.15,
                        Double.NaN,
                        32,
                        10,
                        "ViT-B/4 for 32x32"));
    }

    private Variant<VitConfig> variant(
            String name,
            VitConfig c,
            double params,
            double gflops,
            int size,
            int classes,
            String title) {
        String description =
                String.format(
                        "%s: D %d, %d blocks, %d heads",
                        title, c.embedDim(), c.numLayers(), c.numHeads());
        Variant.Builder<VitConfig> v =
                variant(name, c)
                        .description(description)
                        .reported(params, gflops, size, classes)
                        .defaultImageSize(size)
                        .sizes(cfg -> new Variant.Sizes(cfg.patchSize(), 1));
        if (size == 32 && c.embedDim() < BASE.embedDim()) {
            // the small CIFAR variants train in minutes on a CPU: no RandAugment (it slows
            // convergence over a few epochs; configs/vit6-cifar10-1h.yaml)
            v.trainWith("randaugment_ops", 0);
        }
        return v.build();
    }

    /**
     * Reads {@code embed_dim} and {@code patch_size} off the patch embedding, {@code num_layers}
     * off the blocks, {@code num_classes} off the head and {@code image_size} off the position
     * embedding (its grid times the patch size). {@code num_heads} changes no shape and is not
     * inferred.
     */
    @Override
    public Map<String, Object> inferFromWeights(Map<String, Shape> shapes) {
        return WeightShapes.classTokenModel(shapes);
    }

    /**
     * Builds a Vision Transformer.
     *
     * @param name the zoo name
     * @param options classes, image size, drop path
     * @param c the configuration
     * @return the model, not yet initialised
     */
    public static MetaFormer build(String name, ModelOptions options, VitConfig c) {
        int dim = c.embedDim();
        PatchEmbedding stem =
                PatchEmbedding.builder(dim, c.patchSize(), options.imageSize())
                        .optClassToken(1e-6f)
                        .optPositions(PatchEmbedding.PositionInit.TRUNCATED_NORMAL)
                        .build();
        return MetaFormer.builder(name, options)
                .stem(stem)
                .stage(
                        c.numLayers(),
                        (j, rate) ->
                                MetaFormerBlock.builder(dim)
                                        .setMixer(
                                                "attn",
                                                MultiHeadSelfAttention.builder()
                                                        .setHiddenSize(dim)
                                                        .optHeads(c.numHeads())
                                                        .build())
                                        .optDropPath(rate)
                                        .build())
                .norm(LayerNorm.builder().axis(2).optEpsilon(1e-6f).build())
                .head(ClassifierHead.Pool.CLASS_TOKEN)
                .truncatedNormalWeights(p -> "weight".equals(p.getName()))
                .build();
    }
}
