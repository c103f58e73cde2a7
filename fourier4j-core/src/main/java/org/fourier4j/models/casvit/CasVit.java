package org.fourier4j.models.casvit;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.TruncatedNormalInitializer;
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
import org.fourier4j.nn.AdditiveTokenMixer;
import org.fourier4j.nn.Residual;
import org.fourier4j.nn.Sequence;
import org.fourier4j.nn.SquareConv;
import org.fourier4j.reparam.BatchNormFolding;

/**
 * CAS-ViT (Zhang et al. 2024, "CAS-ViT: Convolutional Additive Self-attention Vision Transformers
 * for Efficient Mobile Applications"; official code https://github.com/Tianfang-Zhang/CAS-ViT,
 * {@code classification/model/rcvit.py}, code name RCViT) on the {@link MetaFormer} skeleton.
 *
 * <ul>
 *   <li>{@code stem} (official {@code patch_embed}): conv 3x3 stride 2 (3 to C1/2, bias), BN, ReLU,
 *       conv 3x3 stride 2 (to C1, bias), BN, ReLU: stride 4.
 *   <li>Stage i: {@code downsample} (from stage 1; the official {@code Embedding}: {@code proj}
 *       conv 3x3 stride 2 with bias, {@code norm} BN), then {@code depths[i]} {@code
 *       AdditiveBlock}s of three {@link Residual} units: {@code x + local_perception(x)} (the
 *       official {@code LocalIntegration}: {@code network} = 1x1 conv, BN, 3x3 depthwise, GELU, 1x1
 *       conv, all convs with bias; no drop path), {@code x + DropPath(attn(norm1(x)))} with the
 *       {@link AdditiveTokenMixer} and a BN {@code norm1}, {@code x + DropPath(mlp(norm2(x)))}
 *       ({@code fc1}, GELU, {@code fc2}: 1x1 convs C to {@code mlp_ratio C} to C with bias).
 *   <li>{@code norm}: BN after the last stage; head: global average pool, linear {@code head.fc}
 *       (official {@code head}) and, with {@code distillation}, {@code head.dist} (official {@code
 *       dist_head}).
 * </ul>
 *
 * <p>The {@code official} name map: {@code patch_embed.} is {@code stem.}; the official {@code
 * network} list interleaves stages and downsamplings, so {@code network.{2s}.} is {@code
 * stages.{s}.blocks.} and {@code network.{2s-1}.} is {@code stages.{s}.downsample.}; {@code head.}
 * is {@code head.fc.}, {@code dist_head.} is {@code head.dist.}; {@code norm} and everything inside
 * a block are named as in the official code, and BatchNorm's {@code num_batches_tracked} is
 * skipped. Every tensor has the official layout.
 *
 * <p><b>Distillation head.</b> The official factories default to {@code distillation=True} and the
 * model zoo's parameter counts (3.20/5.76/12.42/21.76M) include the {@code dist_head}, although the
 * training script builds the models with {@code distillation=False}. Here the override {@code
 * distillation} (default <b>false</b>, as trained) adds it; the zoo's reported figures refer to the
 * model with it. With the head, the official forward returns both logits in training (for a teacher
 * loss) and their average in inference; this single-output classifier returns the average in both
 * modes (so it trains with a plain loss and equals the official inference output), and {@link
 * ClassifierHead#heads} gives both logits for a DeiT-style distillation loss.
 *
 * <p>CAS-ViT has no multi-branch (re-parameterisable) units: nothing to fuse beyond the usual
 * conv-BN folding, which the paper does not describe.
 *
 * <p>Initialisation as the code: linear layers trunc-normal (std 0.02) with zero bias; every
 * convolution PyTorch's default (weights and biases uniform in {@code +-1/sqrt(fan_in)}); BN gamma
 * 1, beta 0. Drop path of block j (over all blocks) is {@code rate j / (blocks - 1)}. Input (B, 3,
 * H, W), any H, W ('same'-padded stride-2 convs, token mixer linear in H W); the network
 * downsamples by 32, so the zoo takes sizes from 32 up (at 32x32 the stages run at 8, 4, 2, 1
 * pixels).
 */
public final class CasVit extends AbstractModelFamily<CasVitConfig> {

    /** CAS-ViT-XS ({@code rcvit_xs}): depths 2/2/4/2, dims 48/56/112/220. */
    static final CasVitConfig XS =
            CasVitConfig.of(new int[] {2, 2, 4, 2}, new int[] {48, 56, 112, 220});

    /** CAS-ViT-S ({@code rcvit_s}): depths 3/3/6/3, dims 48/64/128/256. */
    static final CasVitConfig S =
            CasVitConfig.of(new int[] {3, 3, 6, 3}, new int[] {48, 64, 128, 256});

    /** CAS-ViT-M ({@code rcvit_m}): depths 3/3/6/3, dims 64/96/192/384. */
    static final CasVitConfig M =
            CasVitConfig.of(new int[] {3, 3, 6, 3}, new int[] {64, 96, 192, 384});

    /** CAS-ViT-T ({@code rcvit_t}): depths 3/3/6/3, dims 96/128/256/512. */
    static final CasVitConfig T =
            CasVitConfig.of(new int[] {3, 3, 6, 3}, new int[] {96, 128, 256, 512});

    /** The official names. */
    static final NameMap OFFICIAL =
            NameMap.builder("official")
                    .rule("patch_embed.", "stem.")
                    .rule("network.{2s}.", "stages.{s}.blocks.")
                    .rule("network.{2s-1}.", "stages.{s}.downsample.")
                    .rule("head.", "head.fc.")
                    .rule("dist_head.", "head.dist.")
                    .skip("num_batches_tracked")
                    .build();

    /** The family, with its official name map. */
    public CasVit() {
        super("CAS-ViT", CasVit::build, OFFICIAL);
    }

    // MODEL_ZOO.md's parameter counts, which include the distillation head (the factories'
    // default); no FLOPs could be confirmed from the repository
    @Override
    public List<Variant<?>> variants() {
        return List.of(
                variant("casvit-xs", XS, 3.20, "CAS-ViT-XS: depths 2/2/4/2, dims 48/56/112/220"),
                variant("casvit-s", S, 5.76, "CAS-ViT-S: depths 3/3/6/3, dims 48/64/128/256"),
                variant("casvit-m", M, 12.42, "CAS-ViT-M: depths 3/3/6/3, dims 64/96/192/384"),
                variant("casvit-t", T, 21.76, "CAS-ViT-T: depths 3/3/6/3, dims 96/128/256/512"));
    }

    private Variant<CasVitConfig> variant(
            String name, CasVitConfig config, double params, String description) {
        return variant(name, config)
                .description(description)
                .reported(params, Double.NaN)
                .reportedWith("distillation", true)
                .anySizeFrom(32)
                .build();
    }

    /** Classes, depths, widths, the MLP ratio and whether there is a distillation head. */
    @Override
    public Map<String, Object> inferFromWeights(Map<String, Shape> shapes) {
        Map<String, Object> out = WeightShapes.classes(shapes);
        out.put("distillation", shapes.containsKey("head.dist.weight"));
        int[] dims = WeightShapes.putStages(shapes, "norm1.weight", out);
        if (dims.length == 0) {
            return out;
        }
        Shape fc1 = shapes.get("stages.0.blocks.0.mlp.fc1.weight");
        if (fc1 != null) {
            out.put("mlp_ratio", (int) (fc1.get(0) / dims[0]));
        }
        return out;
    }

    /**
     * Builds a CAS-ViT.
     *
     * @param name the zoo name
     * @param options classes, image size, drop path
     * @param c the configuration
     * @return the model, not yet initialised
     */
    public static MetaFormer build(String name, ModelOptions options, CasVitConfig c) {
        int[] dims = c.dims();
        int half = dims[0] / 2;
        MetaFormer.Builder b =
                MetaFormer.builder(name, options)
                        .stem(
                                Sequence.of(
                                        conv(half, 3, 2, 1, 3 * 9),
                                        batchNorm(),
                                        Act.relu(),
                                        conv(dims[0], 3, 2, 1, half * 9),
                                        batchNorm(),
                                        Act.relu()));
        b.pyramid(
                c.depths(),
                i ->
                        new Sequence()
                                .add("proj", conv(dims[i], 3, 2, 1, dims[i - 1] * 9L))
                                .add("norm", batchNorm()),
                (i, j, rate) -> additiveBlock(dims[i], c.mlpRatio(), rate));
        ClassifierHead head =
                ClassifierHead.builder(
                                ClassifierHead.Pool.MEAN_CHANNELS_FIRST, options.numClasses())
                        .distillation(c.distillation())
                        .build();
        head.setInitializer(new TruncatedNormalInitializer(0.02f), Parameter.Type.WEIGHT);
        head.setInitializer(Initializer.ZEROS, Parameter.Type.BIAS);
        return b.norm(batchNorm()).head(head).build();
    }

    /**
     * The official {@code AdditiveBlock}: local integration, additive attention and MLP, each a
     * residual unit.
     */
    static Sequence additiveBlock(int dim, int mlpRatio, float dropPath) {
        Sequence local =
                Sequence.of(
                        conv(dim, 1, 1, 1, dim),
                        batchNorm(),
                        conv(dim, 3, 1, dim, 9),
                        Act.gelu(),
                        conv(dim, 1, 1, 1, dim));
        int hidden = dim * mlpRatio;
        Sequence mlp =
                new Sequence()
                        .add("fc1", conv(hidden, 1, 1, 1, dim))
                        .add("act", Act.gelu())
                        .add("fc2", conv(dim, 1, 1, 1, hidden));
        return new Sequence()
                .add(
                        "local_unit",
                        Residual.builder()
                                .add("local_perception", new Sequence().add("network", local))
                                .build())
                .add(
                        "attn_unit",
                        Residual.builder()
                                .add("norm1", batchNorm())
                                .add("attn", AdditiveTokenMixer.builder().setChannels(dim).build())
                                .dropPath(dropPath)
                                .build())
                .add(
                        "mlp_unit",
                        Residual.builder()
                                .add("norm2", batchNorm())
                                .add("mlp", mlp)
                                .dropPath(dropPath)
                                .build());
    }

    private static BatchNorm batchNorm() {
        return BatchNorm.builder().optEpsilon(BatchNormFolding.BN_EPS).build();
    }

    /**
     * A 'same'-padded convolution with bias and PyTorch's default initialisation: weight and bias
     * uniform in {@code +-1/sqrt(fan_in)}, fan_in = (C_in / groups) k k.
     */
    static Conv2d conv(int out, int kernel, int stride, int groups, long fanIn) {
        Conv2d conv = SquareConv.centred(out, kernel, stride, groups, true);
        float bound = (float) (1 / Math.sqrt(Math.max(1, fanIn)));
        Initializer uniform =
                (manager, shape, dataType) ->
                        manager.randomUniform(-bound, bound, shape, dataType, manager.getDevice());
        conv.setInitializer(uniform, Parameter.Type.WEIGHT);
        conv.setInitializer(uniform, Parameter.Type.BIAS);
        return conv;
    }
}
