package org.fourier4j.data;

import java.util.SplittableRandom;

/**
 * Batch-level mixup and cutmix in the manner of timm's {@code Mixup} (batch mode): one mixing ratio
 * {@code lambda ~ Beta(alpha, alpha)} per batch, each image mixed with the image at the mirrored
 * position of the batch ({@code i <-> n - 1 - i}), and the soft targets mixed with the same ratio.
 * For cutmix the ratio is corrected to the pasted box's actual area after clipping it to the image.
 * Targets that each sum to one stay so.
 */
public final class MixupCutmix {

    /** What was applied to a batch. */
    public enum Kind {
        /** Not mixed. */
        NONE,
        /** Pixel-wise convex combination. */
        MIXUP,
        /** A box pasted from the partner image. */
        CUTMIX
    }

    /**
     * The mixing applied to one batch.
     *
     * @param kind none, mixup or cutmix
     * @param lambda weight of the image's own target
     * @param y0 cutmix box top (inclusive)
     * @param y1 cutmix box bottom (exclusive)
     * @param x0 cutmix box left (inclusive)
     * @param x1 cutmix box right (exclusive)
     */
    public record Mix(Kind kind, double lambda, int y0, int y1, int x0, int x1) {}

    private MixupCutmix() {}

    /**
     * Draws this batch's mixing (all decisions from {@code rng}).
     *
     * @param aug the configuration
     * @param h image rows
     * @param w image columns
     * @param rng the batch's generator
     * @return the mixing to apply
     */
    public static Mix draw(Augmentation aug, int h, int w, SplittableRandom rng) {
        if (!aug.mixes() || rng.nextDouble() >= aug.mixProb()) {
            return new Mix(Kind.NONE, 1, 0, 0, 0, 0);
        }
        boolean cutmix;
        if (aug.mixupAlpha() > 0 && aug.cutmixAlpha() > 0) {
            cutmix = rng.nextDouble() < aug.switchProb();
        } else {
            cutmix = aug.cutmixAlpha() > 0;
        }
        double lam = Rngs.beta(cutmix ? aug.cutmixAlpha() : aug.mixupAlpha(), rng);
        if (!cutmix) {
            return new Mix(Kind.MIXUP, lam, 0, 0, 0, 0);
        }
        double ratio = Math.sqrt(1 - lam);
        int ch = (int) (h * ratio);
        int cw = (int) (w * ratio);
        int cy = rng.nextInt(h);
        int cx = rng.nextInt(w);
        int y0 = clamp(cy - ch / 2, h);
        int y1 = clamp(cy + ch / 2, h);
        int x0 = clamp(cx - cw / 2, w);
        int x1 = clamp(cx + cw / 2, w);
        double area = (double) (y1 - y0) * (x1 - x0);
        return new Mix(Kind.CUTMIX, 1 - area / ((double) h * w), y0, y1, x0, x1);
    }

    private static int clamp(int v, int n) {
        return Math.max(0, Math.min(n, v));
    }

    /**
     * Mixes a batch in place.
     *
     * @param mix the mixing
     * @param pixels {@code n * c * h * w} floats, image-major, channel-first
     * @param targets {@code n * k} floats, one target distribution per image
     * @param n images
     * @param c channels
     * @param h rows
     * @param w columns
     * @param k classes
     */
    public static void apply(
            Mix mix, float[] pixels, float[] targets, int n, int c, int h, int w, int k) {
        if (mix.kind() == Kind.NONE) {
            return;
        }
        int img = c * h * w;
        float lam = (float) mix.lambda();
        float[] src = pixels.clone();
        if (mix.kind() == Kind.MIXUP) {
            for (int i = 0; i < n; i++) {
                int a = i * img;
                int b = (n - 1 - i) * img;
                for (int p = 0; p < img; p++) {
                    pixels[a + p] = lam * src[a + p] + (1 - lam) * src[b + p];
                }
            }
        } else {
            for (int i = 0; i < n; i++) {
                int a = i * img;
                int b = (n - 1 - i) * img;
                for (int ch = 0; ch < c; ch++) {
                    for (int y = mix.y0(); y < mix.y1(); y++) {
                        int off = ch * h * w + y * w;
                        System.arraycopy(
                                src,
                                b + off + mix.x0(),
                                pixels,
                                a + off + mix.x0(),
                                mix.x1() - mix.x0());
                    }
                }
            }
        }
        float[] t = targets.clone();
        for (int i = 0; i < n; i++) {
            int a = i * k;
            int b = (n - 1 - i) * k;
            for (int j = 0; j < k; j++) {
                targets[a + j] = lam * t[a + j] + (1 - lam) * t[b + j];
            }
        }
    }
}
