package org.fourier4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Layer normalisation over the channel axis of a channels-first map (B, C, *spatial), as ConvNeXt's
 * {@code LayerNorm(data_format="channels_first")} and timm's {@code LayerNorm2d}: per position,
 * {@code (x - mean_c) / sqrt(var_c + eps)} with the biased variance, then a per-channel affine
 * {@code weight} (C), {@code bias} (C). DJL's {@code LayerNorm} normalises trailing axes only, so
 * it cannot do this on NCHW.
 *
 * <p>Named as timm names it. Not to be confused with ml-cvnets' {@code layer_norm_2d} (AFFNet's
 * code), which is GroupNorm with one group over (C, H, W): {@link ChannelNorm.Kind#GROUP_NORM_1}.
 */
public class LayerNorm2d extends ChannelsFirstNorm {

    private final float eps;

    /**
     * Creates the norm.
     *
     * @param eps added to the variance (ConvNeXt: 1e-6)
     */
    public LayerNorm2d(float eps) {
        super("LayerNorm2d");
        this.eps = eps;
    }

    /**
     * @return the epsilon added to the variance
     */
    public float getEpsilon() {
        return eps;
    }

    @Override
    Shape check(Shape s) {
        if (s.dimension() < 3) {
            throw new IllegalArgumentException(
                    "LayerNorm2d: expected a channels-first map (B, C, *spatial), got " + s);
        }
        return s;
    }

    @Override
    NDArray normalize(NDArray x) {
        NDArray centered = x.sub(x.mean(new int[] {1}, true));
        NDArray var = centered.square().mean(new int[] {1}, true);
        return centered.div(var.add(eps).sqrt());
    }
}
