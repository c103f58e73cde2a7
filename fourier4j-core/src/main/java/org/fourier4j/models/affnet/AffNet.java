package org.fourier4j.models.affnet;

import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.fourier4j.models.AbstractModelFamily;
import org.fourier4j.models.ClassifierHead;
import org.fourier4j.models.DropPathSchedule;
import org.fourier4j.models.MetaFormer;
import org.fourier4j.models.ModelOptions;
import org.fourier4j.models.NameMap;
import org.fourier4j.models.Variant;
import org.fourier4j.models.WeightShapes;
import org.fourier4j.nn.AdaptiveFrequencyFilter;

/**
 * AFFNet (Huang et al., ICCV 2023, "Adaptive Frequency Filters As Efficient Global Token Mixers";
 * official code https://github.com/microsoft/TokenMixers, {@code Adaptive Frequency
 * Filters/affnet/models/classification/affnet.py} with {@code modules/aff_block.py} and {@code
 * modules/mobilenetv2.py}, built on Apple's ml-cvnets) on the {@link MetaFormer} skeleton: a
 * MobileViT-like network whose attention blocks are adaptive frequency filters.
 *
 * <ul>
 *   <li>{@code stem} (official {@code conv_1}): conv 3x3 stride 2 (3 to 16) with BatchNorm and the
 *       activation.
 *   <li>Stage i is the official {@code layer_<i+1>}, its blocks the layer's modules in order:
 *       stages 0 and 1 are MobileNetV2 {@link InvertedResidual}s (stage 1 starting with stride 2);
 *       stages 2 to 4 an inverted residual with stride 2, then an {@link AffBlock} whose AFF layers
 *       are {@link org.fourier4j.nn.Residual} units around the {@link AdaptiveFrequencyFilter} (8
 *       groups). No stage has a separate {@code downsample}: the strided units are blocks 0, as the
 *       official lists have them.
 *   <li>Features: {@code conv_1x1_exp} (1x1 conv to {@code min(4 C5, 960)} channels, BN,
 *       activation), kept under its official name after the last stage.
 *   <li>Head: global average pool, linear {@code head.fc} (official {@code classifier.fc}).
 * </ul>
 *
 * <p>The {@code official} name map is three rules: {@code conv_1.} is {@code stem.}, {@code
 * layer_{i+1}.} is {@code stages.{i}.blocks.} (so {@code layer_3.1.global_rep.0.filter.w1} is
 * {@code stages.2.blocks.1.global_rep.0.filter.w1}), {@code classifier.fc.} is {@code head.fc.};
 * {@code conv_1x1_exp.} is the same in both, and BatchNorm's {@code num_batches_tracked} is
 * skipped. Every tensor has the official layout.
 *
 * <p><b>Settings the released code leaves to unreleased YAML files.</b> The activation ({@code
 * activation}: relu, swish, gelu; also the AFF mask MLP's, which reads the same option) defaults to
 * <b>swish</b>: the code's fallback is ReLU, but AFFNet is trained with the ml-cvnets MobileViT
 * recipes, which all set swish. The AFF norm ({@code norm}) defaults to <b>{@code
 * layer_norm_2d}</b> (ml-cvnets' name for GroupNorm with one group), the value {@code AFFBlock} and
 * {@code _make_affnet_layer} fall back to; {@code norm=layer_norm} gives ml-cvnets' channels-first
 * layer norm (eps on the standard deviation). Both are proven equal to the official code on its
 * weights (relu with layer_norm_2d, swish with layer_norm). The official AFF layers have no drop
 * path; here {@link ModelOptions#dropPathRate()} adds one, growing linearly over the AFF layers. No
 * classifier dropout. Convolution and linear weights keep DJL's default initialisers (the official
 * {@code reset_parameters} turns out to be a no-op, leaving PyTorch's defaults); the AFF mask
 * weights are {@code 0.02 N(0, 1)} as in the code.
 *
 * <p>Input (B, 3, H, W), any H, W from 32: 'same'-padded stride-2 convs downsample by 32 and the
 * spectral filters take any grid. At 32x32 (CIFAR) the AFF stages see 4x4, 2x2 and 1x1 maps; at
 * 256x256, as in the paper, 32x32, 16x16 and 8x8.
 */
public final class AffNet extends AbstractModelFamily<AffNetConfig> {

    private static final int STEM_WIDTH = 16;
    private static final int LAST_EXPANSION = 4;

    /** AFFNet-ET (code mode {@code xx_small}): 32/48/64/104/144, MV2 expansion 2. */
    static final AffNetConfig ET = AffNetConfig.of(new int[] {32, 48, 64, 104, 144}, 2);

    /** AFFNet-T (code mode {@code x_small}): 32/48/96/160/192, MV2 expansion 4. */
    static final AffNetConfig T = AffNetConfig.of(new int[] {32, 48, 96, 160, 192}, 4);

    /** AFFNet (code mode {@code small}): 32/64/128/256/320, MV2 expansion 4. */
    static final AffNetConfig BASE = AffNetConfig.of(new int[] {32, 64, 128, 256, 320}, 4);

    /** The official (ml-cvnets) names. */
    static final NameMap OFFICIAL =
            NameMap.builder("official")
                    .rule("conv_1.", "stem.")
                    .rule("layer_{i+1}.", "stages.{i}.blocks.")
                    .rule("classifier.fc.", "head.fc.")
                    .skip("num_batches_tracked")
                    .build();

    /** The family, with its official name map. */
    public AffNet() {
        super("AFFNet", AffNet::build, OFFICIAL);
    }

    // exact parameter counts of the official code's three modes (the README rounds them to
    // 1.4/2.6/5.5M) and the README's FLOPs, at 256x256, 1000 classes
    @Override
    public List<Variant<?>> variants() {
        return List.of(
                variant(
                        "affnet-et",
                        ET,
                        1.44,
                        0.4,
                        "AFFNet-ET: widths 32/48/64/104/144, AFF layers 2/4/3, MV2 expansion 2"),
                variant(
                        "affnet-t",
                        T,
                        2.65,
                        0.8,
                        "AFFNet-T: widths 32/48/96/160/192, AFF layers 2/4/3, MV2 expansion 4"),
                variant(
                        "affnet",
                        BASE,
                        5.57,
                        1.5,
                        "AFFNet: widths 32/64/128/256/320, AFF layers 2/4/3, MV2 expansion 4"));
    }

    private Variant<AffNetConfig> variant(
            String name, AffNetConfig config, double params, double gflops, String description) {
        return variant(name, config)
                .description(description)
                .reported(params, gflops, 256, 1000)
                .defaultImageSize(256)
                .anySizeFrom(32)
                .build();
    }

    /**
     * Widths, block counts, the MobileNetV2 expansion, the AFF groups and the classes; the
     * activation and the norm leave no trace in the shapes.
     */
    @Override
    public Map<String, Object> inferFromWeights(Map<String, Shape> shapes) {
        Map<String, Object> out = WeightShapes.classes(shapes);
        // block 0 of every stage is an inverted residual; stages 0 and 1 are nothing else
        String unit = "block.red_1x1.block.conv.weight";
        int[] channels = WeightShapes.widths(shapes, unit);
        if (channels.length != 5) {
            return out;
        }
        int[] mv2 = WeightShapes.depths(shapes, unit);
        int[] aff = new int[3];
        for (int s = 0; s < 3; s++) {
            String layers = "stages." + (s + 2) + ".blocks.1.global_rep.";
            while (shapes.containsKey(layers + aff[s] + ".filter.w1")) {
                aff[s]++;
            }
        }
        out.put("channels", channels);
        out.put("mv2_blocks", new int[] {mv2[0], mv2[1]});
        out.put("aff_blocks", aff);
        Shape expand = shapes.get("stages.1.blocks.0.block.exp_1x1.block.conv.weight");
        out.put("mv2_expand", expand == null ? 1 : expansion(channels[0], (int) expand.get(0)));
        Shape w1 = shapes.get("stages.2.blocks.1.global_rep.0.filter.w1");
        if (w1 != null) {
            out.put("groups", (int) w1.get(1));
        }
        return out;
    }

    /** The smallest integer expansion giving this hidden width (the hidden width rounds to 8). */
    private static int expansion(int in, int hidden) {
        for (int e = 1; e <= 64; e++) {
            if (InvertedResidual.makeDivisible(Math.round((double) in * e)) == hidden) {
                return e;
            }
        }
        return Math.max(1, hidden / in);
    }

    /**
     * Builds an AFFNet.
     *
     * @param name the zoo name
     * @param options classes, image size, drop path
     * @param c the configuration
     * @return the model, not yet initialised
     */
    public static MetaFormer build(String name, ModelOptions options, AffNetConfig c) {
        int[] widths = c.channels();
        int e = c.mv2Expand();
        MetaFormer.Builder b =
                MetaFormer.builder(name, options)
                        .stem(InvertedResidual.convLayer(STEM_WIDTH, 3, 2, 1, c.activation().kind));
        for (int i = 0; i < 2; i++) {
            int width = widths[i];
            int in = i == 0 ? STEM_WIDTH : widths[0];
            int stride = i == 0 ? 1 : 2;
            b.stage(
                    c.mv2Blocks()[i],
                    (j, rate) ->
                            new InvertedResidual(
                                    j == 0 ? in : width,
                                    width,
                                    j == 0 ? stride : 1,
                                    e,
                                    c.activation().kind));
        }
        // the official AFF layers have none; our option grows linearly over them
        float[] rates =
                DropPathSchedule.linear(options.dropPathRate(), Arrays.stream(c.affBlocks()).sum());
        int first = 0;
        for (int s = 2; s < 5; s++) {
            int width = widths[s];
            int in = widths[s - 1];
            float[] mine = Arrays.copyOfRange(rates, first, first + c.affBlocks()[s - 2]);
            first += mine.length;
            b.stage(
                    2,
                    (j, rate) ->
                            j == 0
                                    ? new InvertedResidual(in, width, 2, e, c.activation().kind)
                                    : new AffBlock(width, mine, c));
        }
        int last = Math.min(LAST_EXPANSION * widths[4], 960);
        return b.features(
                        "conv_1x1_exp",
                        InvertedResidual.convLayer(last, 1, 1, 1, c.activation().kind))
                .head(ClassifierHead.Pool.MEAN_CHANNELS_FIRST)
                .build();
    }
}
