package org.fourier4j.models.dsm;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.norm.LayerNorm;
import java.util.List;
import java.util.Map;
import org.fourier4j.models.AbstractModelFamily;
import org.fourier4j.models.ClassifierHead;
import org.fourier4j.models.MetaFormer;
import org.fourier4j.models.ModelOptions;
import org.fourier4j.models.Variant;
import org.fourier4j.models.WeightShapes;
import org.fourier4j.nn.Act;
import org.fourier4j.nn.ChannelNorm;
import org.fourier4j.nn.LayerScale;
import org.fourier4j.nn.Residual;
import org.fourier4j.nn.Sequence;
import org.fourier4j.nn.SpectrumMixer;
import org.fourier4j.nn.SquareConv;

/**
 * A hierarchical MetaFormer built from {@link SpectrumMixer}, in the spirit of DSM (Hu and Yu 2023,
 * "Dynamic Spectrum Mixer for Visual Recognition", arXiv:2309.06721).
 *
 * <p><b>This network is our design, not the paper's.</b> No official code of DSM exists and only
 * the paper's abstract could be read: DCT token mixing, a dynamic spectrum weight generation layer
 * selecting frequency bands per image, 83.8% ImageNet top-1 for an unnamed model size. The mixer is
 * our DCT-band design ({@link SpectrumMixer}); the layout around it is the plain MetaFormer /
 * PoolFormer skeleton, chosen so that a DSM-style mixer can be compared with the other mixers on
 * equal terms:
 *
 * <ul>
 *   <li>{@code stem}: conv 7x7 stride 4 padding 2 (PoolFormer's), or with override {@code
 *       stem_stride} 2 / 1 a 3x3 conv of that stride (for small images); each later stage's {@code
 *       downsample}: conv 3x3 stride 2 padding 1. Convs with bias.
 *   <li>Block(C), two {@link org.fourier4j.nn.Residual} units: {@code x + DropPath(ls1 *
 *       token_mixer(norm1(x)))}, then {@code x + DropPath(ls2 * fc2(GELU(fc1(norm2(x)))))} with 1x1
 *       convs C to {@code mlp_ratio C} to C, the norms GroupNorm with one group (eps 1e-5), layer
 *       scale initialised to 1e-5.
 *   <li>Head: global average pool, layer norm over channels {@code head.norm} (eps 1e-5), linear
 *       {@code head.fc}.
 * </ul>
 *
 * <p>Parameter names are fourier4j's own ({@code stages.0.blocks.0.token_mixer.weight_generator.
 * fc1.weight}, {@code stages.0.blocks.0.ls1.gamma}, ...); with no official weights there is no
 * other naming scheme.
 *
 * <p>"DSM-T" ({@code dsm-t}): depths 3/3/9/3, widths 64/128/320/512, MLP ratio 4, K = 8 frequency
 * bands, generator reduction 4 - a "tiny" budget of 17.6M parameters and 2.7 GFLOPs at 224x224 (our
 * count; between GFNet-H-Ti's 15M/2.0G and PoolFormer-S24's 21M/3.4G). The paper reports no
 * parameter count or FLOPs for any size that could be checked, so the zoo reports none.
 *
 * <p>Sizes: every stage's grid must populate all K bands of its mixer (for K = 8, grids of 4x4 and
 * larger), so with the default stride-4 stem the smallest input is 99x99 (stage grids 25, 13, 7,
 * 4); {@code stem_stride=2} takes sizes from 49 and {@code stem_stride=1} from 25, so 32x32 CIFAR
 * images (grids 32, 16, 8, 4); fewer bands take smaller grids. {@link #minImageSize} computes the
 * bound for any configuration and the zoo rejects smaller sizes with a message saying which work.
 * Conv and linear weights are trunc-normal (std 0.02), biases 0; the spectrum mixer starts as the
 * identity (see there).
 */
public final class Dsm extends AbstractModelFamily<DsmConfig> {

    /** DSM-T (our design): depths 3/3/9/3, dims 64/128/320/512, 8 bands, stride-4 stem. */
    static final DsmConfig TINY =
            new DsmConfig(new int[] {3, 3, 9, 3}, new int[] {64, 128, 320, 512}, 4, 8, 4, 4, 1e-5f);

    /** The family, with no published weights. */
    public Dsm() {
        super("DSM", Dsm::build);
    }

    @Override
    public List<Variant<?>> variants() {
        // our design after DSM's abstract (no official code or model table): nothing reported
        return List.of(
                variant("dsm-t", TINY)
                        .description(
                                "DSM-T (our DCT spectrum-mixer MetaFormer): depths 3/3/9/3, dims"
                                        + " 64-512, 8 bands; stem_stride=1 takes 32x32")
                        .reported(Double.NaN, Double.NaN, 224, 1000)
                        .sizes(c -> new Variant.Sizes(minImageSize(c), 1))
                        .build());
    }

    /**
     * Classes, depths, widths, the MLP ratio, the bands, the generator's reduction, a 7x7 stem's
     * stride (a 3x3 stem has stride 1 or 2: the shapes do not tell) and a missing layer scale.
     */
    @Override
    public Map<String, Object> inferFromWeights(Map<String, Shape> shapes) {
        Map<String, Object> out = WeightShapes.classes(shapes);
        Shape stem = shapes.get("stem.weight");
        if (stem != null && stem.get(2) == 7) {
            out.put("stem_stride", 4);
        }
        int[] dims = WeightShapes.putStages(shapes, "norm1.weight", out);
        if (dims.length == 0) {
            return out;
        }
        String block = "stages.0.blocks.0.";
        Shape fc1 = shapes.get(block + "fc1.weight");
        if (fc1 != null) {
            out.put("mlp_ratio", (int) (fc1.get(0) / dims[0]));
        }
        Shape bandBias = shapes.get(block + "token_mixer.weight_generator.band_bias");
        if (bandBias != null) {
            out.put("bands", (int) bandBias.get(0));
        }
        Shape hidden = shapes.get(block + "token_mixer.weight_generator.fc1.weight");
        if (hidden != null) {
            out.put("reduction", reduction(dims[0], (int) hidden.get(0)));
        }
        if (!shapes.containsKey(block + "ls1.gamma")) {
            out.put("layer_scale", 0f);
        }
        return out;
    }

    /** A reduction r with {@code max(1, C / r) == hidden}, the generator's hidden width. */
    private static int reduction(int channels, int hidden) {
        int r = Math.max(1, channels / hidden);
        while (r <= channels && Math.max(1, channels / r) > hidden) {
            r++;
        }
        return r;
    }

    /**
     * Builds the network.
     *
     * @param name the zoo name
     * @param options classes, image size, drop path
     * @param c the configuration
     * @return the model, not yet initialised
     */
    public static MetaFormer build(String name, ModelOptions options, DsmConfig c) {
        int[] dims = c.dims();
        MetaFormer.Builder b =
                MetaFormer.builder(name, options)
                        .stem(
                                c.stemStride() == 4
                                        ? SquareConv.of(dims[0], 7, 4, 2)
                                        : SquareConv.of(dims[0], 3, c.stemStride(), 1));
        b.pyramid(
                c.depths(),
                i -> SquareConv.of(dims[i], 3, 2, 1),
                (i, j, rate) -> block(dims[i], c, rate));
        return b.head(
                        ClassifierHead.builder(
                                        ClassifierHead.Pool.MEAN_CHANNELS_FIRST,
                                        options.numClasses())
                                .norm(LayerNorm.builder().optEpsilon(1e-5f).build())
                                .build())
                .truncatedNormalWeights()
                .build();
    }

    /** The MetaFormer block with the spectrum mixer, channels-first: two residual units. */
    static Block block(int dim, DsmConfig c, float dropPath) {
        Residual.Builder mixer =
                Residual.builder()
                        .add("norm1", new ChannelNorm("DSM", ChannelNorm.Kind.GROUP_NORM_1))
                        .add(
                                "token_mixer",
                                SpectrumMixer.builder()
                                        .setChannels(dim)
                                        .optBands(c.bands())
                                        .optReduction(c.reduction())
                                        .build());
        Residual.Builder mlp =
                Residual.builder()
                        .add("norm2", new ChannelNorm("DSM", ChannelNorm.Kind.GROUP_NORM_1))
                        .add("fc1", SquareConv.of(dim * c.mlpRatio(), 1, 1, 0))
                        .add(Act.gelu())
                        .add("fc2", SquareConv.of(dim, 1, 1, 0));
        if (c.layerScale() > 0) {
            mixer.add("ls1", new LayerScale(c.layerScale(), true));
            mlp.add("ls2", new LayerScale(c.layerScale(), true));
        }
        return new Sequence()
                .add("mixer_unit", mixer.dropPath(dropPath).build())
                .add("mlp_unit", mlp.dropPath(dropPath).build());
    }

    /**
     * Returns the smallest square input this configuration takes: the size from which every stage's
     * grid (and every larger one) populates all frequency bands.
     *
     * @param config the configuration
     * @return the smallest image size
     */
    static int minImageSize(DsmConfig config) {
        int grid = minGrid(config.bands());
        for (int size = 1; ; size++) {
            if (lastGrid(size, config) >= grid) {
                return size;
            }
        }
    }

    /** The grid of the last stage for a square input of this size (0 if the stem cannot run). */
    static int lastGrid(int size, DsmConfig config) {
        int kernel = config.stemStride() == 4 ? 7 : 3;
        int padding = config.stemStride() == 4 ? 2 : 1;
        if (size + 2 * padding < kernel) {
            return 0;
        }
        int g = (size + 2 * padding - kernel) / config.stemStride() + 1;
        for (int i = 1; i < config.dims().length; i++) {
            g = (g - 1) / 2 + 1;
        }
        return g;
    }

    /** The smallest grid side from which every square grid populates all bands (checked to 64). */
    static int minGrid(int bands) {
        SpectrumMixer probe = SpectrumMixer.builder().setChannels(1).optBands(bands).build();
        int ok = 65;
        for (int g = 64; g >= 1; g--) {
            try {
                probe.getOutputShapes(new Shape[] {new Shape(1, 1, g, g)});
                ok = g;
            } catch (IllegalArgumentException e) {
                break;
            }
        }
        if (ok > 64) {
            throw new IllegalArgumentException(
                    "DSM: " + bands + " bands do not fit any grid up to 64x64");
        }
        return ok;
    }
}
