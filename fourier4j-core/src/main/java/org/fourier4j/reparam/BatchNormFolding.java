package org.fourier4j.reparam;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.util.PairList;

/**
 * Folds a batch norm's inference statistics into the convolution beside it, as RepLKNet's {@code
 * fuse_bn} (DingXiaoH/RepLKNet-pytorch, {@code replknet.py}) and FFNet's {@code Conv2d_BN.fuse} /
 * {@code BN_Conv2d.fuse} (ysj9909/FFNet, {@code models/ffnet.py}) do. In inference a batch norm is
 * {@code y = x * scale + shift} per channel, with {@code scale = gamma / sqrt(var + eps)} and
 * {@code shift = beta - mean * scale}.
 *
 * <p>Every result is detached from autograd and lives in the manager of the array it was computed
 * from; temporaries are freed. The arithmetic runs in the parameters' precision.
 */
public final class BatchNormFolding {

    /** PyTorch's batch norm epsilon ({@code nn.BatchNorm2d}'s default), used by both papers. */
    public static final float BN_EPS = 1e-5f;

    private BatchNormFolding() {}

    /**
     * A batch norm with PyTorch's defaults: eps {@link #BN_EPS}, running statistics updated by 10%
     * of each batch (DJL's momentum 0.9 is PyTorch's 0.1).
     *
     * @return a new batch norm over axis 1
     */
    public static BatchNorm batchNorm() {
        return batchNorm(BN_EPS);
    }

    /**
     * A batch norm with another epsilon.
     *
     * @param eps the epsilon
     * @return a new batch norm over axis 1
     */
    public static BatchNorm batchNorm(float eps) {
        return BatchNorm.builder().optEpsilon(eps).build();
    }

    /**
     * A batch norm in inference as an affine map per channel.
     *
     * @param scale {@code gamma / sqrt(var + eps)}
     * @param shift {@code beta - mean * scale}
     */
    public record Affine(NDArray scale, NDArray shift) implements AutoCloseable {
        /** Closes both arrays. */
        @Override
        public void close() {
            scale.close();
            shift.close();
        }
    }

    /**
     * The affine map a batch norm applies in inference (its running statistics).
     *
     * @param bn an initialised batch norm
     * @param eps its epsilon
     * @return scale and shift, (C) each, in the manager of the norm's gamma
     */
    public static Affine affine(BatchNorm bn, float eps) {
        NDArray gamma = parameter(bn, "gamma");
        try (NDManager tmp = gamma.getManager().newSubManager()) {
            Affine a = affine(bn, eps, tmp);
            a.scale.attach(gamma.getManager());
            a.shift.attach(gamma.getManager());
            return a;
        }
    }

    private static Affine affine(BatchNorm bn, float eps, NDManager scope) {
        NDArray gamma = detached(parameter(bn, "gamma"), scope);
        NDArray beta = detached(parameter(bn, "beta"), scope);
        NDArray mean = detached(parameter(bn, "runningMean"), scope);
        NDArray var = detached(parameter(bn, "runningVar"), scope);
        NDArray scale = gamma.div(var.add(eps).sqrt());
        return new Affine(scale, beta.sub(mean.mul(scale)));
    }

    /**
     * Folds a batch norm into the bias-free convolution before it (conv, then BN): {@code W' = W *
     * scale} per output channel, {@code b' = shift}. Exact for any kernel, stride and groups.
     *
     * @param weight the convolution's weight, (out, in / groups, kh, kw)
     * @param bn the batch norm over the out channels
     * @param eps its epsilon
     * @return the equal convolution, in the weight's manager
     */
    public static ConvWeights afterConv(NDArray weight, BatchNorm bn, float eps) {
        try (NDManager tmp = weight.getManager().newSubManager()) {
            Affine a = affine(bn, eps, tmp);
            checkChannels(a, weight.getShape().get(0), "output", weight.getShape());
            NDArray w = detached(weight, tmp).mul(a.scale.reshape(-1, 1, 1, 1));
            return attached(new ConvWeights(w, a.shift), weight.getManager());
        }
    }

    /**
     * Folds a batch norm into the bias-free convolution after it (BN, then conv; FFNet's {@code
     * BN_Conv2d}): {@code W' = W * scale} per input channel, {@code b'_o = sum_{i,y,x} W[o, i, y,
     * x] shift_i}. Exact when the convolution does not pad (a 1x1 convolution); groups must be 1.
     *
     * @param bn the batch norm over the in channels
     * @param eps its epsilon
     * @param weight the convolution's weight, (out, in, kh, kw)
     * @return the equal convolution, in the weight's manager
     */
    public static ConvWeights beforeConv(BatchNorm bn, float eps, NDArray weight) {
        try (NDManager tmp = weight.getManager().newSubManager()) {
            Affine a = affine(bn, eps, tmp);
            checkChannels(
                    a, weight.getShape().get(1), "input (groups must be 1)", weight.getShape());
            NDArray w = detached(weight, tmp);
            NDArray folded = w.mul(a.scale.reshape(1, -1, 1, 1));
            NDArray bias = w.mul(a.shift.reshape(1, -1, 1, 1)).sum(new int[] {1, 2, 3});
            return attached(new ConvWeights(folded, bias), weight.getManager());
        }
    }

    private static void checkChannels(Affine a, long channels, String which, Shape weight) {
        if (a.scale.getShape().get(0) != channels) {
            throw new IllegalArgumentException(
                    "BatchNormFolding: a batch norm over "
                            + a.scale.getShape().get(0)
                            + " channels does not match the "
                            + which
                            + " channels of a convolution weight "
                            + weight);
        }
    }

    private static NDArray parameter(BatchNorm bn, String name) {
        PairList<String, Parameter> p = bn.getDirectParameters();
        Parameter param = p.get(name);
        if (param == null || !param.isInitialized()) {
            throw new IllegalStateException(
                    "BatchNormFolding: the batch norm is not initialised (no " + name + ")");
        }
        return param.getArray();
    }

    private static NDArray detached(NDArray a, NDManager scope) {
        NDArray d = a.stopGradient();
        d.attach(scope);
        return d;
    }

    private static ConvWeights attached(ConvWeights w, NDManager owner) {
        w.weight().attach(owner);
        w.bias().attach(owner);
        return w;
    }
}
