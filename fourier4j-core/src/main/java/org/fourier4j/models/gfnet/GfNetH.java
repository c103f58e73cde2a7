package org.fourier4j.models.gfnet;

import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fourier4j.models.AbstractModelFamily;
import org.fourier4j.models.MetaFormer;
import org.fourier4j.models.ModelOptions;
import org.fourier4j.models.NameMap;
import org.fourier4j.models.Variant;
import org.fourier4j.models.WeightShapes;
import org.fourier4j.nn.Permute;
import org.fourier4j.nn.Sequence;
import org.fourier4j.nn.SquareConv;

/**
 * GFNet-H, the hierarchical GFNet (Rao et al., NeurIPS 2021; official code raoyongming/GFNet,
 * {@code gfnet.py}, class {@code GFNetPyramid}) on the {@link MetaFormer} skeleton.
 *
 * <ul>
 *   <li>{@code stem}: 4x4 conv, stride 4, plus a position embedding (the first stage only).
 *   <li>Four stages; each later one starts with a 2x2 stride-2 conv ({@code downsample.proj}, the
 *       code's {@code DownLayer}, no norm). Blocks as {@link GfNet}'s, with a layer scale {@code
 *       gamma} ({@code BlockLayerScale}), filters built for each stage's grid.
 *   <li>{@code norm} (eps 1e-6), mean over the tokens, linear head.
 * </ul>
 *
 * <p>Image sizes: 32 and up. The stem and each halving floor, as the official code's stride-4 and
 * stride-2 convs do (80 gives grids 20, 10, 5, 2), and each stage's filters are built for its grid,
 * as the code's {@code sizes[i] * img_size // 224}. The {@code official} name map reads the code's
 * {@code state_dict} ({@code patch_embed.0} the stem, {@code patch_embed.i} stage i's downsampling,
 * {@code blocks.s.b}).
 */
public final class GfNetH extends AbstractModelFamily<GfNetHConfig> {

    static final GfNetHConfig TI =
            new GfNetHConfig(new int[] {64, 128, 256, 512}, new int[] {3, 3, 10, 3}, 1e-3f, 4);
    static final GfNetHConfig S =
            new GfNetHConfig(new int[] {96, 192, 384, 768}, new int[] {3, 3, 10, 3}, 1e-5f, 4);
    static final GfNetHConfig B =
            new GfNetHConfig(new int[] {96, 192, 384, 768}, new int[] {3, 3, 27, 3}, 1e-6f, 4);

    /** The stem's patch size. */
    static final int PATCH = 4;

    /** The names of {@code gfnet.py}'s {@code GFNetPyramid}. */
    static final NameMap OFFICIAL =
            NameMap.builder("official")
                    .rule("pos_embed", "stem.pos_embed")
                    .rule("patch_embed.0.", "stem.")
                    .rule("patch_embed.{i}.", "stages.{i}.downsample.")
                    .rule("blocks.{s}.{b}.", "stages.{s}.blocks.{b}.")
                    .rule("head.", "head.fc.")
                    .build();

    /** The family, with its official name map. */
    public GfNetH() {
        super("GFNet-H", GfNetH::build, OFFICIAL);
    }

    @Override
    public List<Variant<?>> variants() {
        return List.of(
                variant("gfnet-h-ti", TI, 15.09, 2.0, "GFNet-H-Ti", "64-512"),
                variant("gfnet-h-s", S, 32.16, 4.5, "GFNet-H-S", "96-768"),
                variant("gfnet-h-b", B, 53.74, 8.4, "GFNet-H-B", "96-768"));
    }

    private Variant<GfNetHConfig> variant(
            String name, GfNetHConfig c, double params, double gflops, String title, String dims) {
        int[] d = c.depths();
        String description =
                String.format(
                        "%s: hierarchical, dims %s, depths %d/%d/%d/%d",
                        title, dims, d[0], d[1], d[2], d[3]);
        return variant(name, c)
                .description(description)
                .reported(params, gflops)
                .anySizeFrom(32)
                .build();
    }

    /**
     * Reads {@code dims} off the stem and the downsampling convs, {@code depths} off the blocks,
     * {@code num_classes} off the head, {@code image_size} off the position embedding and {@code
     * layer_scale=0} when the blocks have no {@code gamma}.
     */
    @Override
    public Map<String, Object> inferFromWeights(Map<String, Shape> shapes) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (WeightShapes.patchConv(shapes) != null) {
            out.put("dims", WeightShapes.downsamplingWidths(shapes, "proj.weight"));
            WeightShapes.putImageSize(shapes, PATCH, 0, out);
        }
        GfNet.putDepthsAndLayerScale(shapes, out);
        return out;
    }

    /**
     * Builds a GFNet-H.
     *
     * @param name the zoo name
     * @param options classes, image size, drop path
     * @param c the configuration
     * @return the model, not yet initialised
     */
    public static MetaFormer build(String name, ModelOptions options, GfNetHConfig c) {
        int[] dims = c.dims();
        MetaFormer.Builder b =
                MetaFormer.builder(name, options)
                        .stem(GfNet.stem(dims[0], PATCH, options.imageSize()));
        b.pyramid(
                c.depths(),
                i -> downsample(dims[i]),
                (i, j, rate) -> {
                    int grid = Math.max(1, (options.imageSize() / PATCH) >> i);
                    return GfNet.block(dims[i], grid, c.layerScale(), c.mlpRatio(), rate);
                });
        return GfNet.finish(b, options);
    }

    /** {@code DownLayer}: a 2x2 stride-2 conv on the token grid (B, h, w, C), no norm. */
    private static Sequence downsample(int dim) {
        return new Sequence()
                .add(new Permute(Permute.TO_CHANNELS_FIRST))
                .add("proj", SquareConv.of(dim, 2, 2, 0))
                .add(new Permute(Permute.TO_CHANNELS_LAST));
    }
}
