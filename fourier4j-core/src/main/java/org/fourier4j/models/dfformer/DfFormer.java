package org.fourier4j.models.dfformer;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import java.util.Arrays;
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
import org.fourier4j.nn.Act;
import org.fourier4j.nn.DynamicFilter;
import org.fourier4j.nn.LayerNormNoBias;
import org.fourier4j.nn.LayerScale;
import org.fourier4j.nn.Permute;
import org.fourier4j.nn.Residual;
import org.fourier4j.nn.Sequence;
import org.fourier4j.nn.SquareConv;
import org.fourier4j.nn.StarReLU;

/**
 * DFFormer (Tatsunami and Taki, "FFT-based Dynamic Token Mixer for Vision", AAAI 2024; official
 * code okojoalg/dfformer, {@code models/dfformer.py}) on the {@link MetaFormer} skeleton: the
 * MetaFormer baselines' ConvFormer layout with the {@link DynamicFilter} as token mixer. Everything
 * is channels last (B, H, W, C) after the stem, as the official code.
 *
 * <ul>
 *   <li>{@code stem}: conv 7x7 stride 4 padding 2 (with bias), {@code post_norm}. Each later
 *       stage's {@code downsample}: {@code pre_norm}, conv 3x3 stride 2 padding 1. The norms are
 *       layer norms over channels without bias, eps 1e-6 ({@link LayerNormNoBias}).
 *   <li>Block: {@code res_scale1(x) + DropPath(token_mixer(norm1(x)))}, then {@code res_scale2(x) +
 *       DropPath(mlp(norm2(x)))}; {@code mlp} is fc1 (C to 4C), {@link StarReLU}, fc2, no biases;
 *       the res scales (per channel, init 1) only in the third and later stages (the official
 *       {@code res_scale_init_values=[None, None, 1.0, 1.0]}); no layer scale.
 *   <li>{@code head}: mean over (H, W), {@code norm} (layer norm with bias, eps 1e-6), then the MLP
 *       head {@code fc}: fc1 (C to 4C, bias), squared ReLU, norm (layer norm, eps 1e-5), fc2.
 * </ul>
 *
 * <p>Each dynamic filter is built for the grid its stage sees at the configured image size (conv
 * arithmetic: 56, 28, 14, 7 at 224, as the official {@code input_size // 2**(i+2)}; at sizes that
 * are not multiples of 32 the official formula would give a grid the stage never sees, e.g. 67 for
 * the 68 x 68 third stage at 1080, which its classification models would reject) and resized for
 * other inputs as the official {@code weight_resize=True} path does. Conv and linear weights are
 * truncated normal (std 0.02), biases 0, the filter banks {@code N(0, 0.02^2)} (official {@code
 * _init_weights}). Names follow the official code; the {@code official} name map moves only the
 * outer structure.
 */
public final class DfFormer extends AbstractModelFamily<DfFormerConfig> {

    static final int[] DEPTHS_18 = {3, 3, 9, 3};
    static final int[] DEPTHS_36 = {3, 12, 18, 3};

    /**
     * Official okojoalg/dfformer names ({@code models/dfformer.py}, class {@code MetaFormer}): the
     * ConvNeXt layout its MetaFormer baselines keep.
     */
    static final NameMap OFFICIAL = NameMap.convNextLayout();

    /** The family, with its official name map. */
    public DfFormer() {
        super("DFFormer", DfFormer::build, OFFICIAL);
    }

    @Override
    public List<Variant<?>> variants() {
        // parameters: the official constructors' exact counts at 224 / 1000 classes (the paper
        // rounds them to 30/46/65/115M); GFLOPs: the paper's MACs where we could confirm them
        // against the official code's conv and linear multiply-adds (3.79 G and 7.35 G)
        return List.of(
                anySizeVariant(
                        "dfformer-s18",
                        DfFormerConfig.of(DEPTHS_18, new int[] {64, 128, 320, 512}),
                        30.32,
                        3.8,
                        "DFFormer-S18: depths 3/3/9/3, dims 64-512, dynamic filters"),
                anySizeVariant(
                        "dfformer-s36",
                        DfFormerConfig.of(DEPTHS_36, new int[] {64, 128, 320, 512}),
                        45.61,
                        7.4,
                        "DFFormer-S36: depths 3/12/18/3, dims 64-512, dynamic filters"),
                anySizeVariant(
                        "dfformer-m36",
                        DfFormerConfig.of(DEPTHS_36, new int[] {96, 192, 384, 576}),
                        65.32,
                        Double.NaN,
                        "DFFormer-M36: depths 3/12/18/3, dims 96-576, dynamic filters"),
                anySizeVariant(
                        "dfformer-b36",
                        DfFormerConfig.of(DEPTHS_36, new int[] {128, 256, 512, 768}),
                        114.99,
                        Double.NaN,
                        "DFFormer-B36: depths 3/12/18/3, dims 128-768, dynamic filters"));
    }

    /**
     * What DFFormer weights decide: {@code num_classes} (the head's fc2), {@code dims} and {@code
     * depths} (per stage), {@code num_filters} and {@code reweight_expansion_ratio} (the first
     * dynamic filter), and {@code image_size} (4 x the first stage's filter grid, the size it was
     * built for when that is a multiple of 32).
     */
    @Override
    public Map<String, Object> inferFromWeights(Map<String, Shape> shapes) {
        Map<String, Object> out = new LinkedHashMap<>();
        Shape fc2 = shapes.get("head.fc.fc2.weight");
        if (fc2 != null) {
            out.put("num_classes", (int) fc2.get(0));
        }
        List<Integer> dims = WeightShapes.downsamplingWidths(shapes, "conv.weight");
        if (!dims.isEmpty()) {
            out.put("dims", dims);
        }
        int[] depths = WeightShapes.depths(shapes, "token_mixer.complex_weights");
        if (depths.length > 0) {
            out.put("depths", Arrays.stream(depths).boxed().toList());
        }
        Shape bank = shapes.get("stages.0.blocks.0.token_mixer.complex_weights");
        Shape route = shapes.get("stages.0.blocks.0.token_mixer.reweight.fc1.weight");
        if (bank != null) {
            out.put("image_size", (int) bank.get(0) * 4);
            out.put("num_filters", (int) bank.get(2));
        }
        if (route != null && !dims.isEmpty()) {
            out.put("reweight_expansion_ratio", (double) route.get(0) / dims.get(0));
        }
        return out;
    }

    /**
     * Builds a DFFormer.
     *
     * @param name the zoo name
     * @param options classes, image size, drop path
     * @param c the configuration
     * @return the model, not yet initialised
     */
    public static MetaFormer build(String name, ModelOptions options, DfFormerConfig c) {
        int[] dims = c.dims();
        MetaFormer.Builder b =
                MetaFormer.builder(name, options)
                        .stem(
                                new Sequence()
                                        .add("conv", SquareConv.of(dims[0], 7, 4, 2))
                                        .add(new Permute(Permute.TO_CHANNELS_LAST))
                                        .add("post_norm", new LayerNormNoBias(1e-6f)));
        int[] grids = new int[dims.length]; // the stem: 7x7 stride 4 pad 2; then 3x3 stride 2 pad 1
        grids[0] = (options.imageSize() + 2 * 2 - 7) / 4 + 1;
        for (int i = 1; i < dims.length; i++) {
            grids[i] = (grids[i - 1] + 2 - 3) / 2 + 1;
        }
        b.pyramid(
                c.depths(),
                i -> downsample(dims[i]),
                (i, j, rate) -> block(c, dims[i], grids[i], i >= 2, rate));
        int last = dims[dims.length - 1];
        return b.head(
                        ClassifierHead.builder(
                                        ClassifierHead.Pool.MEAN_CHANNELS_LAST,
                                        options.numClasses())
                                .norm(LayerNorm.builder().optEpsilon(1e-6f).build())
                                .fc(mlpHead(last, options.numClasses()))
                                .build())
                .truncatedNormalWeights(p -> !p.getName().equals("complex_weights"))
                .build();
    }

    /** One DFFormer block: the token-mixing unit, then the MLP unit. */
    static Block block(DfFormerConfig c, int dim, int grid, boolean resScale, float dropPath) {
        DynamicFilter mixer =
                DynamicFilter.builder()
                        .setChannels(dim)
                        .optFilters(c.numFilters())
                        .optRouteRatio(c.reweightExpansionRatio())
                        .optGridSize(grid, grid)
                        .build();
        return new Sequence()
                .add(
                        "token_mixing",
                        unit("norm1", "token_mixer", mixer, "res_scale1", resScale, dropPath))
                .add(
                        "channel_mixing",
                        unit("norm2", "mlp", mlp(dim), "res_scale2", resScale, dropPath));
    }

    private static Residual unit(
            String normName,
            String stepName,
            Block step,
            String scaleName,
            boolean resScale,
            float dropPath) {
        Residual.Builder r =
                Residual.builder().add(normName, new LayerNormNoBias(1e-6f)).add(stepName, step);
        if (resScale) {
            r.skip(scaleName, new LayerScale("scale", 1f, false));
        }
        return r.dropPath(dropPath).build();
    }

    /** The MetaFormer baselines' MLP: fc1 (C to 4C), StarReLU, fc2, no biases. */
    private static Sequence mlp(int dim) {
        return new Sequence()
                .add("fc1", Linear.builder().setUnits(4L * dim).optBias(false).build())
                .add("act", new StarReLU())
                .add("fc2", Linear.builder().setUnits(dim).optBias(false).build());
    }

    /** The MetaFormer baselines' MlpHead: fc1 (C to 4C), squared ReLU, layer norm, fc2. */
    private static Sequence mlpHead(int dim, int classes) {
        return new Sequence()
                .add("fc1", Linear.builder().setUnits(4L * dim).build())
                .add(new Act(Act.Kind.SQUARED_RELU))
                .add("norm", LayerNorm.builder().build())
                .add("fc2", Linear.builder().setUnits(classes).build());
    }

    private static Sequence downsample(int dim) {
        return new Sequence()
                .add("pre_norm", new LayerNormNoBias(1e-6f))
                .add(new Permute(Permute.TO_CHANNELS_FIRST))
                .add("conv", SquareConv.of(dim, 3, 2, 1))
                .add(new Permute(Permute.TO_CHANNELS_LAST));
    }
}
