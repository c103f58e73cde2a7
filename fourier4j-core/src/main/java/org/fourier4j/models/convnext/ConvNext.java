package org.fourier4j.models.convnext;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fourier4j.models.AbstractModelFamily;
import org.fourier4j.models.ClassifierHead;
import org.fourier4j.models.MetaFormer;
import org.fourier4j.models.ModelOptions;
import org.fourier4j.models.NameMap;
import org.fourier4j.models.Variant;
import org.fourier4j.nn.Act;
import org.fourier4j.nn.FftConv2d;
import org.fourier4j.nn.LayerNorm2d;
import org.fourier4j.nn.LayerScale;
import org.fourier4j.nn.Permute;
import org.fourier4j.nn.Residual;
import org.fourier4j.nn.Sequence;
import org.fourier4j.nn.SgConvKernel;
import org.fourier4j.nn.SquareConv;

/**
 * ConvNeXt (Liu et al., CVPR 2022, "A ConvNet for the 2020s"; official code
 * facebookresearch/ConvNeXt, {@code models/convnext.py}) on the {@link MetaFormer} skeleton.
 *
 * <ul>
 *   <li>{@code stem}: conv 4x4 stride 4, channels-first layer norm (eps 1e-6). Each later stage's
 *       {@code downsample}: layer norm, conv 2x2 stride 2.
 *   <li>Block: one {@link Residual}, {@code dwconv} (7x7 depthwise with bias), channels-last,
 *       {@code norm} (eps 1e-6), {@code pwconv1} (C to 4C), GELU, {@code pwconv2}, layer scale
 *       {@code gamma} (1e-6), channels-first, drop path.
 *   <li>Head: global average pool, layer norm (eps 1e-6), linear.
 * </ul>
 *
 * <p>The depthwise mixer runs as an {@link FftConv2d} (AUTO by default, override {@code
 * conv_algorithm}); {@code token_mixer=sgconv} ({@code convnext-t-sgconv}) puts a global 2-D {@link
 * SgConvKernel} there instead, as large as the feature map, with a bias and without SGConv's skip
 * term (our reading of "SGConvNeXt", whose 2-D construction is not published). Conv and linear
 * weights are truncated normal (std 0.02), biases 0. Names follow the official code; the {@code
 * official} and {@code timm} name maps move only the outer structure.
 */
public final class ConvNext extends AbstractModelFamily<ConvNextConfig> {

    static final ConvNextConfig TINY =
            ConvNextConfig.of(new int[] {3, 3, 9, 3}, new int[] {96, 192, 384, 768});
    static final ConvNextConfig SMALL =
            ConvNextConfig.of(new int[] {3, 3, 27, 3}, new int[] {96, 192, 384, 768});
    static final ConvNextConfig BASE =
            ConvNextConfig.of(new int[] {3, 3, 27, 3}, new int[] {128, 256, 512, 1024});

    /** Official facebookresearch/ConvNeXt names. */
    static final NameMap OFFICIAL = NameMap.convNextLayout();

    /**
     * timm's names ({@code convnext.py}, as its {@code checkpoint_filter_fn} renames the official).
     */
    static final NameMap TIMM =
            NameMap.builder("timm")
                    .rule("stages.{s}.blocks.{b}.conv_dw.", "stages.{s}.blocks.{b}.dwconv.")
                    .rule("stages.{s}.blocks.{b}.mlp.fc1.", "stages.{s}.blocks.{b}.pwconv1.")
                    .rule("stages.{s}.blocks.{b}.mlp.fc2.", "stages.{s}.blocks.{b}.pwconv2.")
                    .build();

    /** The family, with its official and timm name maps. */
    public ConvNext() {
        super("ConvNeXt", ConvNext::build, OFFICIAL, TIMM);
    }

    @Override
    public List<Variant<?>> variants() {
        // timm's model-card counts (the paper rounds them to 28/50/89M) and the paper's GFLOPs
        return List.of(
                anySizeVariant(
                        "convnext-t",
                        TINY,
                        28.59,
                        4.5,
                        "ConvNeXt-T: depths 3/3/9/3, dims 96-768, 7x7 depthwise"),
                anySizeVariant(
                        "convnext-s",
                        SMALL,
                        50.22,
                        8.7,
                        "ConvNeXt-S: depths 3/3/27/3, dims 96-768, 7x7 depthwise"),
                anySizeVariant(
                        "convnext-b",
                        BASE,
                        88.59,
                        15.4,
                        "ConvNeXt-B: depths 3/3/27/3, dims 128-1024, 7x7 depthwise"),
                anySizeVariant(
                        "convnext-t-sgconv",
                        TINY.withMixer(ConvNextConfig.TokenMixer.SGCONV),
                        Double.NaN,
                        Double.NaN,
                        "ConvNeXt-T with every 7x7 depthwise conv replaced by a global 2-D SGConv"
                                + " kernel (our construction)"));
    }

    @Override
    public Map<String, Object> inferFromWeights(Map<String, Shape> shapes) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<Integer> depths = new ArrayList<>();
        List<Integer> dims = new ArrayList<>();
        for (int s = 0; shapes.containsKey("stages." + s + ".blocks.0.pwconv2.bias"); s++) {
            int b = 0;
            while (shapes.containsKey("stages." + s + ".blocks." + b + ".pwconv2.bias")) {
                b++;
            }
            depths.add(b);
            dims.add((int) shapes.get("stages." + s + ".blocks.0.pwconv2.bias").get(0));
        }
        if (!depths.isEmpty()) {
            out.put("depths", depths);
            out.put("dims", dims);
            boolean dw =
                    shapes.containsKey("stages.0.blocks.0.dwconv.weight")
                            && shapes.get("stages.0.blocks.0.dwconv.weight").dimension() == 4;
            out.put("token_mixer", dw ? "dwconv" : "sgconv");
        }
        Shape head = shapes.get("head.fc.weight");
        if (head != null) {
            out.put("num_classes", (int) head.get(0));
        }
        return out;
    }

    /**
     * Builds a ConvNeXt.
     *
     * @param name the zoo name
     * @param options classes, image size, drop path
     * @param c the configuration
     * @return the model, not yet initialised
     */
    public static MetaFormer build(String name, ModelOptions options, ConvNextConfig c) {
        int[] dims = c.dims();
        MetaFormer.Builder b =
                MetaFormer.builder(name, options)
                        .stem(Sequence.of(SquareConv.of(dims[0], 4, 4, 0), new LayerNorm2d(1e-6f)));
        b.pyramid(
                c.depths(),
                i -> Sequence.of(new LayerNorm2d(1e-6f), SquareConv.of(dims[i], 2, 2, 0)),
                (i, j, rate) -> {
                    int mapSize = Math.max(1, (options.imageSize() / 4) >> i);
                    return block(dims[i], mixer(c, dims[i], mapSize), rate);
                });
        return b.head(
                        ClassifierHead.builder(
                                        ClassifierHead.Pool.MEAN_CHANNELS_FIRST,
                                        options.numClasses())
                                .norm(LayerNorm.builder().optEpsilon(1e-6f).build())
                                .build())
                .truncatedNormalWeights()
                .build();
    }

    /** ConvNeXt's block: dwconv, norm, pwconv1, GELU, pwconv2, gamma on channels-last, residual. */
    static Residual block(int dim, Block mixer, float dropPath) {
        return Residual.builder()
                .add("dwconv", mixer)
                .add(new Permute(Permute.TO_CHANNELS_LAST))
                .add("norm", LayerNorm.builder().axis(3).optEpsilon(1e-6f).build())
                .add("pwconv1", Linear.builder().setUnits(4L * dim).build())
                .add(Act.gelu())
                .add("pwconv2", Linear.builder().setUnits(dim).build())
                .add("gamma", new LayerScale(1e-6f, false))
                .add(new Permute(Permute.TO_CHANNELS_FIRST))
                .dropPath(dropPath)
                .build();
    }

    private static Block mixer(ConvNextConfig c, int dim, int mapSize) {
        if (c.tokenMixer() == ConvNextConfig.TokenMixer.SGCONV) {
            return SgConvKernel.builder()
                    .setChannels(dim)
                    .setMaxLength(mapSize)
                    .optDims(2)
                    .optSkip(false)
                    .optBias(true)
                    .build();
        }
        return FftConv2d.builder()
                .setKernelShape(new Shape(7, 7))
                .setFilters(dim)
                .optGroups(dim)
                .optPadding(new Shape(3, 3))
                .optAlgorithm(c.convAlgorithm())
                .build();
    }
}
