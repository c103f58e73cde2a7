package org.fourier4j.data;

import java.util.List;
import java.util.SplittableRandom;

/**
 * RandAugment (Cubuk et al. 2020) with the operations, magnitude scale and sampling of
 * torchvision's {@code transforms.RandAugment(num_ops, magnitude, num_magnitude_bins=31)}, which is
 * what the seed project used ({@code RandAugment(magnitude=5)}): each image gets {@code numOps}
 * operations drawn uniformly with replacement from the 14 below, all at the same magnitude index
 * {@code m} of {@code bins} levels ({@code 0 <= m < bins}); a signed operation is negated with
 * probability 1/2.
 *
 * <table>
 *   <caption>Operations and their value at magnitude index m (k = m / (bins - 1))</caption>
 *   <tr><th>op</th><th>value</th><th>at m=5 of 31 bins, 32x32</th></tr>
 *   <tr><td>Identity</td><td>-</td><td>-</td></tr>
 *   <tr><td>ShearX, ShearY</td><td>&plusmn;0.3 k (shear factor)</td><td>&plusmn;0.05</td></tr>
 *   <tr><td>TranslateX, TranslateY</td><td>&plusmn;trunc(150/331 &middot; size &middot; k) px</td>
 *       <td>&plusmn;2 px</td></tr>
 *   <tr><td>Rotate</td><td>&plusmn;30 k degrees</td><td>&plusmn;5&deg;</td></tr>
 *   <tr><td>Brightness, Color, Contrast, Sharpness</td><td>factor 1 &plusmn; 0.9 k</td>
 *       <td>0.85 or 1.15</td></tr>
 *   <tr><td>Posterize</td><td>8 - round(4 k) bits</td><td>7 bits</td></tr>
 *   <tr><td>Solarize</td><td>threshold 255 (1 - k)</td><td>212.5</td></tr>
 *   <tr><td>AutoContrast, Equalize</td><td>-</td><td>-</td></tr>
 * </table>
 *
 * <p>Geometric operations sample nearest-neighbour and fill with 0; see {@link ImageOps} for the
 * exact pixel semantics.
 */
public final class RandAugment {

    /** The operations, in torchvision's order. */
    public enum Op {
        /** No change. */
        IDENTITY(false),
        /** Horizontal shear. */
        SHEAR_X(true),
        /** Vertical shear. */
        SHEAR_Y(true),
        /** Horizontal shift. */
        TRANSLATE_X(true),
        /** Vertical shift. */
        TRANSLATE_Y(true),
        /** Rotation about the centre. */
        ROTATE(true),
        /** Brightness factor. */
        BRIGHTNESS(true),
        /** Saturation factor. */
        COLOR(true),
        /** Contrast factor. */
        CONTRAST(true),
        /** Sharpness factor. */
        SHARPNESS(true),
        /** Fewer bits per channel. */
        POSTERIZE(false),
        /** Invert above a threshold. */
        SOLARIZE(false),
        /** Stretch each channel to 0..255. */
        AUTO_CONTRAST(false),
        /** Histogram equalisation. */
        EQUALIZE(false);

        private final boolean signed;

        Op(boolean signed) {
            this.signed = signed;
        }

        /**
         * @return whether the magnitude is negated with probability 1/2
         */
        public boolean signed() {
            return signed;
        }
    }

    private static final List<Op> OPS = List.of(Op.values());

    private final int numOps;
    private final int magnitude;
    private final int bins;

    /**
     * @param numOps operations per image, at least 0
     * @param magnitude magnitude index in {@code [0, bins)}
     * @param bins number of magnitude levels, at least 2 (torchvision: 31)
     */
    public RandAugment(int numOps, int magnitude, int bins) {
        if (numOps < 0) {
            throw new IllegalArgumentException(
                    "RandAugment needs at least 0 operations, got " + numOps);
        }
        if (bins < 2) {
            throw new IllegalArgumentException(
                    "RandAugment needs at least 2 magnitude bins, got " + bins);
        }
        if (magnitude < 0 || magnitude >= bins) {
            throw new IllegalArgumentException(
                    "RandAugment magnitude must be in 0.."
                            + (bins - 1)
                            + " for "
                            + bins
                            + " bins, got "
                            + magnitude);
        }
        this.numOps = numOps;
        this.magnitude = magnitude;
        this.bins = bins;
    }

    /**
     * The value an operation takes at this magnitude, before the random sign.
     *
     * @param op the operation
     * @param h image rows
     * @param w image columns
     * @return shear factor, pixels, degrees, enhancement delta, bits or threshold; 0 for operations
     *     without a magnitude
     */
    public double value(Op op, int h, int w) {
        double k = (double) magnitude / (bins - 1);
        return switch (op) {
            case SHEAR_X, SHEAR_Y -> 0.3 * k;
            case TRANSLATE_X -> 150.0 / 331.0 * w * k;
            case TRANSLATE_Y -> 150.0 / 331.0 * h * k;
            case ROTATE -> 30.0 * k;
            case BRIGHTNESS, COLOR, CONTRAST, SHARPNESS -> 0.9 * k;
            case POSTERIZE -> 8 - Math.rint(magnitude / ((bins - 1) / 4.0));
            case SOLARIZE -> 255.0 - 255.0 * k;
            case IDENTITY, AUTO_CONTRAST, EQUALIZE -> 0;
        };
    }

    /**
     * Applies one operation with the given signed value.
     *
     * @param op the operation
     * @param v its value (from {@link #value}, possibly negated)
     * @param img pixels
     * @param c channels
     * @param h rows
     * @param w columns
     * @return the new image
     */
    public static byte[] apply(Op op, double v, byte[] img, int c, int h, int w) {
        return switch (op) {
            case IDENTITY -> img.clone();
            case SHEAR_X -> ImageOps.shearX(img, c, h, w, v);
            case SHEAR_Y -> ImageOps.shearY(img, c, h, w, v);
            case TRANSLATE_X -> ImageOps.translate(img, c, h, w, (int) v, 0);
            case TRANSLATE_Y -> ImageOps.translate(img, c, h, w, 0, (int) v);
            case ROTATE -> ImageOps.rotate(img, c, h, w, v);
            case BRIGHTNESS -> ImageOps.brightness(img, 1 + v);
            case COLOR -> ImageOps.color(img, c, h, w, 1 + v);
            case CONTRAST -> ImageOps.contrast(img, c, h, w, 1 + v);
            case SHARPNESS -> ImageOps.sharpness(img, c, h, w, 1 + v);
            case POSTERIZE -> ImageOps.posterize(img, (int) v);
            case SOLARIZE -> ImageOps.solarize(img, v);
            case AUTO_CONTRAST -> ImageOps.autoContrast(img, c, h, w);
            case EQUALIZE -> ImageOps.equalize(img, c, h, w);
        };
    }

    /**
     * Applies {@code numOps} random operations.
     *
     * @param img pixels (not modified)
     * @param c channels
     * @param h rows
     * @param w columns
     * @param rng the image's generator
     * @return the augmented image
     */
    public byte[] apply(byte[] img, int c, int h, int w, SplittableRandom rng) {
        byte[] x = img;
        for (int i = 0; i < numOps; i++) {
            Op op = OPS.get(rng.nextInt(OPS.size()));
            double v = value(op, h, w);
            if (op.signed() && rng.nextInt(2) == 1) {
                v = -v;
            }
            x = apply(op, v, x, c, h, w);
        }
        return x == img ? img.clone() : x;
    }

    @Override
    public String toString() {
        return "RandAugment(ops=" + numOps + ", magnitude=" + magnitude + "/" + (bins - 1) + ")";
    }
}
