package org.fourier4j.models.replknet;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.fourier4j.fft.ConvAlgorithm;
import org.fourier4j.models.AbstractModelFamily;
import org.fourier4j.models.ClassifierHead;
import org.fourier4j.models.DropPathSchedule;
import org.fourier4j.models.MetaFormer;
import org.fourier4j.models.ModelOptions;
import org.fourier4j.models.NameMap;
import org.fourier4j.models.Variant;
import org.fourier4j.nn.Act;
import org.fourier4j.nn.FftConv2d;
import org.fourier4j.nn.Residual;
import org.fourier4j.nn.Sequence;
import org.fourier4j.reparam.BatchNormFolding;
import org.fourier4j.reparam.ConvBn;
import org.fourier4j.reparam.ConvSpec;
import org.fourier4j.reparam.MultiBranchConv;
import org.fourier4j.reparam.Reparameterizer;

/**
 * RepLKNet (Ding et al., CVPR 2022, "Scaling Up Your Kernels to 31x31: Revisiting Large Kernel
 * Design in CNNs"; official code DingXiaoH/RepLKNet-pytorch, {@code replknet.py}) on the {@link
 * MetaFormer} skeleton.
 *
 * <ul>
 *   <li>{@code stem}: four {@code conv_bn_relu} ({@link ConvBn} with ReLU, children {@code conv},
 *       {@code bn}): 3x3 s2 (3 to C0), depthwise 3x3, 1x1, depthwise 3x3 s2: stride 4.
 *   <li>Stage i: {@code layers[i]} pairs of blocks {@code blocks.2j} (RepLK block: {@code
 *       prelkb_bn}, {@code pw1} 1x1 conv-BN-ReLU to {@code int(C * dw_ratio)}, {@code
 *       large_kernel}, ReLU, {@code pw2} 1x1 conv-BN back, drop path, residual) and {@code
 *       blocks.2j+1} (ConvFFN: {@code preffn_bn}, {@code pw1} 1x1 conv-BN to 4C, GELU, {@code pw2}
 *       back, drop path, residual); both blocks of a pair share the pair's drop-path rate, linear
 *       over the pairs as the official code. Stages after the first start with the official {@code
 *       transitions} (1x1 conv-BN-ReLU to the new width, depthwise 3x3 s2 conv-BN-ReLU) as their
 *       {@code downsample}.
 *   <li>Head: {@code norm} (batch norm), global average pool, {@code head.fc}.
 * </ul>
 *
 * <p>The large-kernel unit is a {@link MultiBranchConv}: a K x K depthwise conv-BN {@code
 * lkb_origin} (an {@link FftConv2d}: DIRECT, FFT or AUTO by {@code large_kernel_algorithm}) plus a
 * parallel small-kernel conv-BN {@code small_conv}; {@link Reparameterizer#toInferenceForm} merges
 * them into one K x K depthwise conv with bias, {@code lkb_reparam}, exact in inference (the
 * official {@code structural_reparam()}); {@code deploy=true} builds that form directly (the
 * official {@code small_kernel_merged=True}). The other conv-BN pairs stay, as in the official
 * deploy form. Weights keep DJL's default initialisers (the official code keeps PyTorch's). Batch
 * norms use PyTorch's eps 1e-5.
 */
public final class RepLkNet extends AbstractModelFamily<RepLkNetConfig> {

    static final RepLkNetConfig B31 =
            RepLkNetConfig.of(
                    new int[] {128, 256, 512, 1024},
                    new int[] {2, 2, 18, 2},
                    new int[] {31, 29, 27, 13},
                    5,
                    1);
    static final RepLkNetConfig L31 =
            RepLkNetConfig.of(
                    new int[] {192, 384, 768, 1536},
                    new int[] {2, 2, 18, 2},
                    new int[] {31, 29, 27, 13},
                    5,
                    1);
    static final RepLkNetConfig XL =
            RepLkNetConfig.of(
                    new int[] {256, 512, 1024, 2048},
                    new int[] {2, 2, 18, 2},
                    new int[] {27, 27, 27, 13},
                    0,
                    1.5f);

    /**
     * The official names: the skeleton's {@code stages.{s}.blocks.{b}} are the official ones; only
     * the transitions and the classifier move.
     */
    static final NameMap OFFICIAL =
            NameMap.builder("official")
                    .rule("transitions.{i}.", "stages.{i+1}.downsample.")
                    .rule("head.", "head.fc.")
                    .skip("num_batches_tracked")
                    .build();

    /** The family, with its official name map. */
    public RepLkNet() {
        super("RepLKNet", RepLkNet::build, OFFICIAL);
    }

    @Override
    public List<Variant<?>> variants() {
        // mmpretrain's count of the training structure (79.86M, 15.64G) for 31B; the paper's
        // 172M/96.0G (at 384) for 31L and 335M/128.7G (at 320) for XL
        return List.of(
                variant(
                        "replknet-31b",
                        B31,
                        79.86,
                        15.64,
                        224,
                        "RepLKNet-31B: channels 128-1024, layers 2/2/18/2, kernels 31/29/27/13 +"
                                + " 5x5"),
                variant(
                        "replknet-31l",
                        L31,
                        172,
                        96.0,
                        384,
                        "RepLKNet-31L: channels 192-1536, layers 2/2/18/2, kernels 31/29/27/13 +"
                                + " 5x5"),
                variant(
                        "replknet-xl",
                        XL,
                        335,
                        128.7,
                        320,
                        "RepLKNet-XL: channels 256-2048, kernels 27/27/27/13, dw ratio 1.5, no"
                                + " small kernel"));
    }

    private Variant<RepLkNetConfig> variant(
            String name,
            RepLkNetConfig config,
            double params,
            double gflops,
            int size,
            String description) {
        return variant(name, config)
                .description(description)
                .reported(params, gflops, size, 1000)
                .defaultImageSize(size)
                .sizes(c -> new Variant.Sizes(4 << (c.channels().length - 1), 1))
                .build();
    }

    @Override
    public Map<String, Object> inferFromWeights(Map<String, Shape> shapes) {
        return RepLkNetWeights.infer(shapes);
    }

    /**
     * Builds a RepLKNet.
     *
     * @param name the zoo name
     * @param options classes, image size, drop path
     * @param c the configuration
     * @return the model, not yet initialised
     */
    public static MetaFormer build(String name, ModelOptions options, RepLkNetConfig c) {
        int[] ch = c.channels();
        MetaFormer.Builder b =
                MetaFormer.builder(name, options)
                        .stem(
                                Sequence.of(
                                        convBnRelu(ch[0], 3, 2, 1),
                                        convBnRelu(ch[0], 3, 1, ch[0]),
                                        convBnRelu(ch[0], 1, 1, 1),
                                        convBnRelu(ch[0], 3, 2, ch[0])));
        float[] pairRates =
                DropPathSchedule.linear(options.dropPathRate(), Arrays.stream(c.layers()).sum());
        int first = 0;
        for (int i = 0; i < ch.length; i++) {
            int stage = i;
            int offset = first;
            Block down =
                    i == 0
                            ? null
                            : Sequence.of(
                                    convBnRelu(ch[i], 1, 1, 1), convBnRelu(ch[i], 3, 2, ch[i]));
            b.stage(
                    down,
                    2 * c.layers()[i],
                    (j, ignored) ->
                            j % 2 == 0
                                    ? repLkBlock(c, stage, pairRates[offset + j / 2])
                                    : convFfn(ch[stage], c.ffnRatio(), pairRates[offset + j / 2]));
            first += c.layers()[i];
        }
        return b.norm(BatchNormFolding.batchNorm())
                .head(ClassifierHead.Pool.MEAN_CHANNELS_FIRST)
                .build();
    }

    /** The RepLK block: pre-BN, 1x1 up, large-kernel unit, ReLU, 1x1 back, residual. */
    private static Residual repLkBlock(RepLkNetConfig c, int stage, float dropPath) {
        int dw = c.dwChannels(stage);
        return Residual.builder()
                .add("prelkb_bn", BatchNormFolding.batchNorm())
                .add("pw1", convBnRelu(dw, 1, 1, 1))
                .add("large_kernel", largeKernel(c, stage))
                .add("lk_nonlinear", Act.relu())
                .add("pw2", ConvBn.builder(c.channels()[stage], 1).build())
                .dropPath(dropPath)
                .build();
    }

    /** ConvFFN: pre-BN, 1x1 conv-BN to ffn_ratio C, GELU, 1x1 conv-BN back, residual. */
    private static Residual convFfn(int channels, int ffnRatio, float dropPath) {
        return Residual.builder()
                .add("preffn_bn", BatchNormFolding.batchNorm())
                .add("pw1", ConvBn.builder(ffnRatio * channels, 1).build())
                .add("nonlinear", Act.gelu())
                .add("pw2", ConvBn.builder(channels, 1).build())
                .dropPath(dropPath)
                .build();
    }

    /** {@code ReparamLargeKernelConv}: lkb_origin (+ small_conv), or lkb_reparam when deployed. */
    private static MultiBranchConv largeKernel(RepLkNetConfig c, int stage) {
        int dw = c.dwChannels(stage);
        int k = c.largeKernels()[stage];
        ConvAlgorithm algorithm = c.largeKernelAlgorithm();
        MultiBranchConv.Builder unit =
                MultiBranchConv.builder(new ConvSpec(dw, k, 1, dw, algorithm))
                        .optFusedName("lkb_reparam");
        if (c.deploy()) {
            return unit.buildInferenceForm();
        }
        unit.addBranch(
                "lkb_origin", ConvBn.builder(dw, k).optGroups(dw).optAlgorithm(algorithm).build());
        if (c.smallKernel() > 0) {
            unit.addBranch("small_conv", ConvBn.builder(dw, c.smallKernel()).optGroups(dw).build());
        }
        return unit.build();
    }

    private static ConvBn convBnRelu(int out, int kernel, int stride, int groups) {
        return ConvBn.builder(out, kernel)
                .optStride(stride)
                .optGroups(groups)
                .optActivation(Act.Kind.RELU)
                .build();
    }

    /**
     * The large-kernel units of a RepLKNet, in order: in training form their {@code lkb_origin}
     * branch holds the large convolution ({@link ConvBn#conv()}), once fused their {@link
     * MultiBranchConv#fusedConv()}.
     *
     * @param model a RepLKNet (or any block containing its units)
     * @return the units
     */
    public static List<MultiBranchConv> largeKernelConvs(Block model) {
        List<MultiBranchConv> out = new ArrayList<>();
        Reparameterizer.units(model).stream()
                .filter(MultiBranchConv.class::isInstance)
                .forEach(u -> out.add((MultiBranchConv) u));
        return out;
    }
}
