package org.fourier4j.reparam;

import org.fourier4j.fft.ConvAlgorithm;

/**
 * FFNet's re-parameterisable units (ysj9909/FFNet, {@code models/ffnet.py}) as {@link
 * MultiBranchConv}s, with the official child names in both forms: the training form's, and the
 * deploy form of the official {@code export_model.py} ({@code replace_batchnorm}: each unit
 * replaced by one {@code Conv2d} with bias, so its parameters are the unit's own {@code weight} and
 * {@code bias}). All convolutions are direct.
 */
public final class FfNetUnits {

    private FfNetUnits() {}

    /**
     * {@code Conv2d_BN}: a bias-free convolution {@code c} and a batch norm {@code bn}.
     *
     * @param filters output channels
     * @param kernel odd kernel size (padding kernel / 2)
     * @param stride the stride
     * @param groups the groups
     * @param inference whether to build the fused form
     * @return the unit
     */
    public static MultiBranchConv convBn(
            int filters, int kernel, int stride, int groups, boolean inference) {
        ConvSpec spec = new ConvSpec(filters, kernel, stride, groups, ConvAlgorithm.DIRECT);
        MultiBranchConv.Builder b = MultiBranchConv.builder(spec);
        if (inference) {
            return b.buildInferenceForm();
        }
        return b.addOwnBranch(
                        ConvBn.builder(filters, kernel)
                                .optStride(stride)
                                .optGroups(groups)
                                .optNames("c", "bn"))
                .build();
    }

    /**
     * {@code RepVGGDW}: two {@code Conv2d_BN} branches grouped by input channel, {@code conv} (k x
     * k) and {@code conv1} ((k/2) x (k/2)), summed.
     *
     * @param in input channels (the groups)
     * @param out output channels, a multiple of {@code in}
     * @param kernel k, odd with k / 2 odd (FFNet: 7)
     * @param stride the stride
     * @param inference whether to build the fused form
     * @return the unit
     */
    public static MultiBranchConv repVggDw(
            int in, int out, int kernel, int stride, boolean inference) {
        if (kernel % 2 == 0 || (kernel / 2) % 2 == 0 || out % in != 0) {
            throw new IllegalArgumentException(
                    "RepVGGDW: need an odd kernel with an odd half and out channels a multiple of"
                            + " in channels, got kernel "
                            + kernel
                            + ", "
                            + in
                            + " to "
                            + out);
        }
        MultiBranchConv.Builder b =
                MultiBranchConv.builder(
                        new ConvSpec(out, kernel, stride, in, ConvAlgorithm.DIRECT));
        if (inference) {
            return b.buildInferenceForm();
        }
        for (int k : new int[] {kernel, kernel / 2}) {
            b.addBranch(
                    k == kernel ? "conv" : "conv1",
                    ConvBn.builder(out, k)
                            .optStride(stride)
                            .optGroups(in)
                            .optNames("c", "bn")
                            .build());
        }
        return b.build();
    }

    /**
     * {@code Conv2d_BN_skip}: {@code x + c(bn(x))}, the branch a {@code BN_Conv2d} named {@code
     * conv} with a 1x1 convolution.
     *
     * @param dim channels
     * @param inference whether to build the fused form
     * @return the unit
     */
    public static MultiBranchConv bnConvSkip(int dim, boolean inference) {
        MultiBranchConv.Builder b = MultiBranchConv.builder(ConvSpec.of(dim, 1)).optIdentity();
        return inference
                ? b.buildInferenceForm()
                : b.addBranch("conv", new BnConv(dim, "bn", "c")).build();
    }
}
