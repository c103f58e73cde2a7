package org.fourier4j.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The training-time augmentation of one data set: per image RandAugment, then random crop with zero
 * padding, then a horizontal flip; per batch mixup or cutmix; and the label smoothing of the
 * targets. Images are normalised afterwards by {@link BatchLoader}.
 *
 * @param cropPadding zero padding of the random crop (0: no crop)
 * @param horizontalFlip flip with probability 1/2
 * @param randAugmentOps RandAugment operations per image (0: off)
 * @param randAugmentMagnitude RandAugment magnitude index
 * @param randAugmentBins RandAugment magnitude levels (torchvision: 31)
 * @param mixupAlpha Beta(alpha, alpha) of mixup (0: off)
 * @param cutmixAlpha Beta(alpha, alpha) of cutmix (0: off)
 * @param mixProb probability that a batch is mixed at all
 * @param switchProb with both on, probability of cutmix rather than mixup
 * @param labelSmoothing epsilon of label smoothing, in [0, 1)
 */
public record Augmentation(
        int cropPadding,
        boolean horizontalFlip,
        int randAugmentOps,
        int randAugmentMagnitude,
        int randAugmentBins,
        double mixupAlpha,
        double cutmixAlpha,
        double mixProb,
        double switchProb,
        double labelSmoothing) {

    /** Validates the ranges. */
    public Augmentation {
        if (cropPadding < 0) {
            throw new IllegalArgumentException("crop padding must be >= 0, got " + cropPadding);
        }
        if (randAugmentOps > 0) {
            new RandAugment(randAugmentOps, randAugmentMagnitude, randAugmentBins);
        } else if (randAugmentOps < 0) {
            throw new IllegalArgumentException(
                    "RandAugment operations must be >= 0, got " + randAugmentOps);
        }
        if (mixupAlpha < 0 || cutmixAlpha < 0) {
            throw new IllegalArgumentException(
                    "mixup/cutmix alpha must be >= 0, got " + mixupAlpha + ", " + cutmixAlpha);
        }
        if (mixProb < 0 || mixProb > 1 || switchProb < 0 || switchProb > 1) {
            throw new IllegalArgumentException(
                    "mix probabilities must be in [0, 1], got " + mixProb + ", " + switchProb);
        }
        if (labelSmoothing < 0 || labelSmoothing >= 1) {
            throw new IllegalArgumentException(
                    "label smoothing must be in [0, 1), got " + labelSmoothing);
        }
    }

    /**
     * @return no augmentation and no label smoothing (evaluation)
     */
    public static Augmentation none() {
        return new Augmentation(0, false, 0, 0, 31, 0, 0, 1, 0.5, 0);
    }

    /**
     * @return the usual CIFAR recipe: crop with padding 4 and flip, nothing else
     */
    public static Augmentation cifarBasic() {
        return new Augmentation(4, true, 0, 0, 31, 0, 0, 1, 0.5, 0);
    }

    /**
     * @return whether any batch-level mixing is configured
     */
    public boolean mixes() {
        return (mixupAlpha > 0 || cutmixAlpha > 0) && mixProb > 0;
    }

    /**
     * Applies the per-image operations (RandAugment, crop, flip, in that order) with the image's
     * own generator.
     *
     * @param img pixels (not modified)
     * @param c channels
     * @param h rows
     * @param w columns
     * @param rng the image's generator
     * @return the augmented pixels (a new array)
     */
    public byte[] applyToImage(byte[] img, int c, int h, int w, SplittableRandom rng) {
        byte[] x = img;
        if (randAugmentOps > 0) {
            x =
                    new RandAugment(randAugmentOps, randAugmentMagnitude, randAugmentBins)
                            .apply(x, c, h, w, rng);
        }
        if (cropPadding > 0) {
            int dy = rng.nextInt(2 * cropPadding + 1);
            int dx = rng.nextInt(2 * cropPadding + 1);
            x = ImageOps.padCrop(x, c, h, w, cropPadding, dy, dx);
        }
        if (horizontalFlip && rng.nextInt(2) == 1) {
            x = ImageOps.flipHorizontal(x, c, h, w);
        }
        return x == img ? img.clone() : x;
    }

    /**
     * @return a short description
     */
    public String describe() {
        List<String> parts = new ArrayList<>();
        if (randAugmentOps > 0) {
            parts.add(
                    "RandAugment(n="
                            + randAugmentOps
                            + ", m="
                            + randAugmentMagnitude
                            + "/"
                            + (randAugmentBins - 1)
                            + ")");
        }
        if (cropPadding > 0) {
            parts.add("crop(pad " + cropPadding + ")");
        }
        if (horizontalFlip) {
            parts.add("flip");
        }
        if (mixupAlpha > 0) {
            parts.add("mixup(" + mixupAlpha + ")");
        }
        if (cutmixAlpha > 0) {
            parts.add("cutmix(" + cutmixAlpha + ")");
        }
        if (labelSmoothing > 0) {
            parts.add("label smoothing " + labelSmoothing);
        }
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }
}
