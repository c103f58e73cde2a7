package org.fourier4j.models.gfnet;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.LayerNorm;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fourier4j.models.AbstractModelFamily;
import org.fourier4j.models.ClassifierHead;
import org.fourier4j.models.MetaFormer;
import org.fourier4j.models.ModelOptions;
import org.fourier4j.models.NameMap;
import org.fourier4j.models.Variant;
import org.fourier4j.models.WeightShapes;
import org.fourier4j.nn.GlobalFilter;
import org.fourier4j.nn.LayerScale;
import org.fourier4j.nn.Mlp;
import org.fourier4j.nn.PatchEmbedding;
import org.fourier4j.nn.Residual;

/**
 * GFNet (Rao et al., NeurIPS 2021, "Global Filter Networks for Image Classification"), the
 * isotropic model, as the official code (raoyongming/GFNet, {@code gfnet.py}, class {@code GFNet})
 * on the {@link MetaFormer} skeleton.
 *
 * <ul>
 *   <li>{@code stem}: P x P conv, stride P ({@code patch_embed}), plus a position embedding (no
 *       class token); the tokens stay on their grid (B, h, w, C), the layout of the filters.
 *   <li>Block: one residual around everything, as the code (not the paper's figure): {@code x +
 *       DropPath([gamma *] mlp(norm2(filter(norm1(x)))))}, a {@link GlobalFilter} built for the h x
 *       w grid, MLP ratio 4 with exact GELU, layer norms eps 1e-6.
 *   <li>{@code norm} (eps 1e-6), mean over the tokens, linear head.
 * </ul>
 *
 * <p>Linear and conv weights and the position embedding start truncated normal (std 0.02), biases
 * 0. Any image size from one patch up: the grid floors as the stride-P conv does, and the position
 * embedding and the filters are resized (bicubic) for grids other than the configured one, as GFNet
 * fine-tunes at higher resolution. The {@code official} name map reads the code's {@code
 * state_dict}.
 */
public final class GfNet extends AbstractModelFamily<GfNetConfig> {

    static final GfNetConfig TI = GfNetConfig.of(256, 12);
    static final GfNetConfig XS = GfNetConfig.of(384, 12);
    static final GfNetConfig S = GfNetConfig.of(384, 19);
    static final GfNetConfig B = GfNetConfig.of(512, 19);

    /** The names of {@code gfnet.py}'s {@code GFNet}. */
    static final NameMap OFFICIAL =
            NameMap.builder("official")
                    .rule("pos_embed", "stem.pos_embed")
                    .rule("patch_embed.", "stem.")
                    .rule("blocks.{b}.", "stages.0.blocks.{b}.")
                    .rule("head.", "head.fc.")
                    .build();

    /** The family, with its official name map. */
    public GfNet() {
        super("GFNet", GfNet::build, OFFICIAL);
    }

    // the exact counts (the README rounds them: 7/16/25/43M) and the README's GFLOPs, 1000
    // classes at 224
    @Override
    public List<Variant<?>> variants() {
        return List.of(
                variant("gfnet-ti", TI, 7.51, 1.3, "GFNet-Ti"),
                variant("gfnet-xs", XS, 15.99, 2.8, "GFNet-XS"),
                variant("gfnet-s", S, 24.87, 4.5, "GFNet-S"),
                variant("gfnet-b", B, 43.12, 7.9, "GFNet-B"));
    }

    private Variant<GfNetConfig> variant(
            String name, GfNetConfig c, double params, double gflops, String title) {
        String description =
                String.format(
                        "%s: isotropic, D %d, %d blocks, patch %d",
                        title, c.dims()[0], c.depths()[0], c.patchSize());
        return variant(name, c)
                .description(description)
                .reported(params, gflops)
                .sizes(cfg -> new Variant.Sizes(cfg.patchSize(), 1))
                .build();
    }

    /**
     * Reads {@code dims} and {@code patch_size} off the patch embedding, {@code depths} off the
     * blocks, {@code num_classes} off the head, {@code image_size} off the position embedding and
     * {@code mlp_ratio} off the first MLP, {@code layer_scale=0} when the blocks have no {@code
     * gamma} (with one, its initial value is not in the weights: any positive {@code layer_scale}
     * builds it).
     */
    @Override
    public Map<String, Object> inferFromWeights(Map<String, Shape> shapes) {
        Map<String, Object> out = new LinkedHashMap<>();
        Shape proj = WeightShapes.patchConv(shapes);
        if (proj != null) {
            int patch = Math.toIntExact(proj.get(2));
            out.put("dims", List.of(Math.toIntExact(proj.get(0))));
            out.put("patch_size", patch);
            WeightShapes.putImageSize(shapes, patch, 0, out);
        }
        putDepthsAndLayerScale(shapes, out);
        return out;
    }

    static void putDepthsAndLayerScale(Map<String, Shape> shapes, Map<String, Object> out) {
        int[] depths = WeightShapes.depths(shapes);
        if (depths.length > 0) {
            out.put("depths", java.util.Arrays.stream(depths).boxed().toList());
            if (!shapes.containsKey("stages.0.blocks.0.gamma")) {
                out.put("layer_scale", 0f);
            }
            Shape fc1 = shapes.get("stages.0.blocks.0.mlp.fc1.weight");
            if (fc1 != null && fc1.get(0) % fc1.get(1) == 0) {
                out.put("mlp_ratio", Math.toIntExact(fc1.get(0) / fc1.get(1)));
            }
        }
        WeightShapes.putClasses(shapes, out);
    }

    /**
     * Builds an isotropic GFNet.
     *
     * @param name the zoo name
     * @param options classes, image size, drop path
     * @param c the configuration
     * @return the model, not yet initialised
     */
    public static MetaFormer build(String name, ModelOptions options, GfNetConfig c) {
        int dim = c.dims()[0];
        int grid = Math.max(1, options.imageSize() / c.patchSize());
        MetaFormer.Builder b =
                MetaFormer.builder(name, options)
                        .stem(stem(dim, c.patchSize(), options.imageSize()))
                        .stage(
                                c.depths()[0],
                                (j, rate) -> block(dim, grid, c.layerScale(), c.mlpRatio(), rate));
        return finish(b, options);
    }

    /** The patch embedding with a position embedding, handing out the token grid. */
    static PatchEmbedding stem(int dim, int patch, int imageSize) {
        return PatchEmbedding.builder(dim, patch, imageSize)
                .optPositions(PatchEmbedding.PositionInit.TRUNCATED_NORMAL)
                .optTokenGrid(true)
                .build();
    }

    /**
     * GFNet's block ({@code Block}, or {@code BlockLayerScale} with a layer scale) on a token grid
     * (B, h, w, C).
     */
    static Residual block(int dim, int grid, float layerScale, int mlpRatio, float dropPath) {
        Residual.Builder r =
                Residual.builder()
                        .add("norm1", norm())
                        .add(
                                "filter",
                                GlobalFilter.builder()
                                        .optGridSize(grid, grid)
                                        .optChannels(dim)
                                        .build())
                        .add("norm2", norm())
                        .add("mlp", new Mlp(dim, (long) mlpRatio * dim, 0));
        if (layerScale > 0) {
            r.add("gamma", new LayerScale(layerScale, false));
        }
        return r.dropPath(dropPath).build();
    }

    /** The final norm, the mean over the grid, the head and the initialisation. */
    static MetaFormer finish(MetaFormer.Builder b, ModelOptions options) {
        return b.norm(norm())
                .head(ClassifierHead.Pool.MEAN_CHANNELS_LAST)
                .truncatedNormalWeights(p -> "weight".equals(p.getName()))
                .build();
    }

    private static LayerNorm norm() {
        return LayerNorm.builder().axis(3).optEpsilon(1e-6f).build();
    }
}
