package org.fourier4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.fourier4j.fft.EngineArrays;

/**
 * The two normalisations ml-cvnets (AFFNet's code base, {@code layers/normalization/layer_norm.py})
 * offers on (B, C, H, W) maps, with per-channel {@code weight} (ones) and {@code bias} (zeros):
 *
 * <ul>
 *   <li>{@link Kind#LAYER_NORM} (ml-cvnets {@code layer_norm} on a channels-first map): each pixel
 *       over its C channels, {@code (x - mean) / (std + eps)} - eps is added to the (biased)
 *       standard deviation, not the variance (so it is not {@link LayerNorm2d}).
 *   <li>{@link Kind#GROUP_NORM_1} (ml-cvnets {@code layer_norm_2d}, its class {@code
 *       LayerNorm2D_NCHW}, which despite the name is {@code nn.GroupNorm} with one group): each
 *       sample over all of (C, H, W), {@code (x - mean) / sqrt(var + eps)}; also PoolFormer's
 *       {@code GroupNorm(1, C)}.
 * </ul>
 *
 * eps = 1e-5. Public so that models built on ml-cvnets (AFFNet) and MetaFormer-style models can use
 * the same norms as the mixers.
 */
public final class ChannelNorm extends ChannelsFirstNorm {

    /** Which normalisation. */
    public enum Kind {
        /** ml-cvnets {@code layer_norm}: per pixel over C, eps added to the standard deviation. */
        LAYER_NORM,
        /**
         * GroupNorm with one group, per sample over (C, H, W): what ml-cvnets calls {@code
         * layer_norm_2d}.
         */
        GROUP_NORM_1
    }

    private static final double EPS = 1e-5;

    private final String owner;
    private final Kind kind;

    /**
     * Creates the norm; its per-channel {@code weight} and {@code bias} take C from the input.
     *
     * @param owner the name used in error messages (the block that owns the norm)
     * @param kind which normalisation
     */
    public ChannelNorm(String owner, Kind kind) {
        super(owner);
        this.owner = owner;
        this.kind = kind;
    }

    /**
     * @return which normalisation this is
     */
    public Kind getKind() {
        return kind;
    }

    /**
     * @return the epsilon (added to the standard deviation for LAYER_NORM, to the variance for
     *     GROUP_NORM_1)
     */
    public double getEpsilon() {
        return EPS;
    }

    @Override
    Shape check(Shape s) {
        BlockInputs.rank(owner, s, 4, "(B, C, H, W)");
        return s;
    }

    @Override
    NDArray normalize(NDArray x) {
        if (kind == Kind.LAYER_NORM) {
            NDArray centered = x.sub(x.mean(new int[] {1}, true));
            NDArray std = centered.square().mean(new int[] {1}, true).sqrt();
            return centered.div(std.add(EPS));
        }
        Shape s = x.getShape();
        double count = s.get(1) * s.get(2) * s.get(3);
        int[] axes = {1, 2, 3};
        NDArray perCount = EngineArrays.scalar(x, 1 / count);
        NDArray centered = x.sub(x.sum(axes, true).mul(perCount));
        NDArray variance = centered.square().sum(axes, true).mul(perCount);
        return centered.div(variance.add(EPS).sqrt());
    }
}
