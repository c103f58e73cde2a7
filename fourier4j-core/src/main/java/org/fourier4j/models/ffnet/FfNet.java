package org.fourier4j.models.ffnet;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.List;
import java.util.Map;
import org.fourier4j.models.AbstractModelFamily;
import org.fourier4j.models.ClassifierHead;
import org.fourier4j.models.MetaFormer;
import org.fourier4j.models.ModelOptions;
import org.fourier4j.models.NameMap;
import org.fourier4j.models.Variant;
import org.fourier4j.nn.Act;
import org.fourier4j.nn.FfnifiedAttention;
import org.fourier4j.nn.LayerScale;
import org.fourier4j.nn.Residual;
import org.fourier4j.nn.Sequence;
import org.fourier4j.reparam.BatchNormFolding;
import org.fourier4j.reparam.ConvSpec;
import org.fourier4j.reparam.FfNetUnits;
import org.fourier4j.reparam.Reparameterizer;

/**
 * FFNet (Yun, Lee and Ro 2024, "MetaMixer Is All You Need" / "FFNet: MetaMixer-based Efficient
 * Convolutional Mixer Design"; official code ysj9909/FFNet, {@code models/ffnet.py}) on the {@link
 * MetaFormer} skeleton.
 *
 * <ul>
 *   <li>{@code stem} (official {@code patch_embed}): {@code Conv2d_BN} 3x3 s2 (3 to {@code
 *       stem_dim}), GELU, {@code Conv2d_BN} 3x3 s2 (to C1): stride 4.
 *   <li>Stages after the first start with {@code PatchMerging} as their {@code downsample}: a
 *       {@code RepVGGDW} 7x7 s2 grouped by input channel (each input channel makes {@code C_{i+1} /
 *       C_i} outputs), then {@code Conv2d_BN_skip} ({@code y + c(bn(y))}).
 *   <li>FFBlock {@code blocks.j}: {@code token_mixer.0} = {@code x + DropPath(layer_scale *
 *       main(x))} with {@code main} = {@link FfnifiedAttention} (kernels {@code token_kernels[i]}),
 *       then {@code channel_mixer} = {@code x + DropPath(layer_scale * main(x))} with {@code main}
 *       = {@code fc2(GELU(fc1(conv(x))))} (1x1 convs with bias, hidden {@code expansion * C};
 *       {@code conv} a {@code RepVGGDW} when {@code channel_kernels[i] = 7}, else a depthwise
 *       {@code Conv2d_BN}). No pre-norm (the code has none); {@code layer_scale} ((C, 1, 1)) only
 *       when {@code layer_scale > 0} (FFNet-3/4: 1e-6).
 *   <li>Head: {@code norm} (batch norm), global average pool, {@code head.fc}.
 * </ul>
 *
 * <p><b>Training and inference forms.</b> Built by default in the training form; every {@code
 * Conv2d_BN}, {@code RepVGGDW} and {@code Conv2d_BN_skip} is a {@link
 * org.fourier4j.reparam.MultiBranchConv} ({@link FfNetUnits}), which {@link
 * Reparameterizer#toInferenceForm} fuses in place into one convolution with bias, as the official
 * {@code export_model.py} ({@code replace_batchnorm}) does; the result has exactly the parameter
 * names and shapes of the official deploy form and of the model built with {@code deploy=true}. The
 * final {@code norm} is not fused (neither is it in the official export). The parameter counts and
 * GFLOPs the paper reports are those of the inference form.
 *
 * <p>Weights of every conv and linear layer are truncated normal (std 0.02), biases 0, batch norm
 * gamma 1 and beta 0, as the official {@code _init_weights}. Drop-path rates grow linearly over all
 * blocks (the official recipes use 0.1/0.15/0.35/0.4). Any input size works; the network
 * downsamples by 32, so the zoo takes sizes from 32 up.
 */
public final class FfNet extends AbstractModelFamily<FfNetConfig> {

    static final FfNetConfig FFNET_1 =
            FfNetConfig.of(new int[] {2, 2, 8, 2}, new int[] {80, 160, 320, 640}, 3, 0);
    static final FfNetConfig FFNET_2 =
            FfNetConfig.of(new int[] {3, 3, 15, 3}, new int[] {88, 176, 352, 704}, 7, 0);
    static final FfNetConfig FFNET_3 =
            FfNetConfig.of(new int[] {4, 4, 22, 5}, new int[] {96, 192, 384, 768}, 7, 1e-6f);
    static final FfNetConfig FFNET_4 =
            FfNetConfig.of(new int[] {4, 4, 27, 3}, new int[] {128, 256, 512, 1024}, 7, 1e-6f);

    /**
     * The official names: {@code patch_embed} is the stem, a stage's {@code PatchMerging} is {@code
     * stages.{s}.0} and its FFBlocks follow it; inside the blocks the names are the official ones.
     */
    static final NameMap OFFICIAL =
            NameMap.builder("official")
                    .rule("patch_embed.", "stem.")
                    .rule("stages.0.{b}.", "stages.0.blocks.{b}.")
                    .rule("stages.{s}.0.proj.", "stages.{s}.downsample.")
                    .rule("stages.{s}.{b+1}.", "stages.{s}.blocks.{b}.")
                    .rule("head.", "head.fc.")
                    .skip("num_batches_tracked")
                    .build();

    /** The family, with its official name map. */
    public FfNet() {
        super("FFNet", FfNet::build, OFFICIAL);
    }

    @Override
    public List<Variant<?>> variants() {
        // the README's parameters and FLOPs, which are those of the fused inference form (exact
        // deploy-form counts 13.66/26.91/48.33/79.20M); at 256x256 except FFNet-4, reported at
        // 384x384 only
        return List.of(
                variant(
                        "ffnet-1",
                        FFNET_1,
                        13.66,
                        2.9,
                        256,
                        "FFNet-1: depths 2/2/8/2, dims 80-640, channel-mixer kernel 3"),
                variant(
                        "ffnet-2",
                        FFNET_2,
                        26.91,
                        6.0,
                        256,
                        "FFNet-2: depths 3/3/15/3, dims 88-704, channel-mixer kernel 7"),
                variant(
                        "ffnet-3",
                        FFNET_3,
                        48.33,
                        10.1,
                        256,
                        "FFNet-3: depths 4/4/22/5, dims 96-768, kernel 7, layer scale"),
                variant(
                        "ffnet-4",
                        FFNET_4,
                        79.20,
                        43.1,
                        384,
                        "FFNet-4: depths 4/4/27/3, dims 128-1024, kernel 7, layer scale"));
    }

    private Variant<FfNetConfig> variant(
            String name, FfNetConfig config, double params, double gflops, int size, String desc) {
        return variant(name, config)
                .description(desc)
                .reported(params, gflops, size, 1000)
                .reportedWith("deploy", true)
                .defaultImageSize(256)
                .anySizeFrom(32)
                .build();
    }

    @Override
    public Map<String, Object> inferFromWeights(Map<String, Shape> shapes) {
        return FfNetWeights.infer(shapes);
    }

    /**
     * Builds an FFNet.
     *
     * @param name the zoo name
     * @param options classes, image size, drop path
     * @param c the configuration
     * @return the model, not yet initialised
     */
    public static MetaFormer build(String name, ModelOptions options, FfNetConfig c) {
        boolean deploy = c.deploy();
        int[] dims = c.dims();
        MetaFormer.Builder b =
                MetaFormer.builder(name, options)
                        .stem(
                                Sequence.of(
                                        FfNetUnits.convBn(c.stemDim(), 3, 2, 1, deploy),
                                        Act.gelu(),
                                        FfNetUnits.convBn(dims[0], 3, 2, 1, deploy)));
        b.pyramid(
                c.depths(),
                i ->
                        Sequence.of(
                                FfNetUnits.repVggDw(dims[i - 1], dims[i], 7, 2, deploy),
                                FfNetUnits.bnConvSkip(dims[i], deploy)),
                (i, j, rate) -> ffBlock(c, i, rate));
        return b.norm(BatchNormFolding.batchNorm())
                .head(ClassifierHead.Pool.MEAN_CHANNELS_FIRST)
                .truncatedNormalWeights()
                .build();
    }

    /** FFBlock: the token-mixer residual, then the channel-mixer residual. */
    private static Block ffBlock(FfNetConfig c, int stage, float dropPath) {
        int dim = c.dims()[stage];
        int k = c.tokenKernels()[stage];
        FfnifiedAttention.Builder tm =
                FfnifiedAttention.builder().setChannels(dim).optKernelSizes(k, k);
        Residual token = residual(c.deploy() ? tm.buildInferenceForm() : tm.build(), c, dropPath);
        Residual channel = residual(channelMixer(c, stage), c, dropPath);
        // official: token_mixer = Sequential(ResidualBlock, SE or Identity); channel_mixer =
        // ResidualBlock. A Residual is transparent in names, so the channel mixer's sits in a
        // named container to keep the level
        return new Sequence()
                .add("token_mixer", Sequence.of(token))
                .add("channel_mixer", new Sequence().add("residual", channel));
    }

    /** The official {@code ResidualBlock}: {@code x + DropPath(main(x) * layer_scale)}. */
    private static Residual residual(Block main, FfNetConfig c, float dropPath) {
        Residual.Builder r = Residual.builder().add("main", main);
        if (c.layerScale() > 0) {
            r.add("layer_scale", LayerScale.ofMaps("layer_scale", c.layerScale()));
        }
        return r.dropPath(dropPath).build();
    }

    /** {@code Channel_Mixer}: depthwise unit, 1x1 conv to {@code e C}, GELU, 1x1 conv back. */
    private static Block channelMixer(FfNetConfig c, int stage) {
        int dim = c.dims()[stage];
        int k = c.channelKernels()[stage];
        boolean deploy = c.deploy();
        return new Sequence()
                .add(
                        "conv",
                        k == 7
                                ? FfNetUnits.repVggDw(dim, dim, k, 1, deploy)
                                : FfNetUnits.convBn(dim, k, 1, dim, deploy))
                .add("fc1", ConvSpec.of(dim * c.expansion(), 1).conv(true))
                .add("act", Act.gelu())
                .add("fc2", ConvSpec.of(dim, 1).conv(true));
    }
}
