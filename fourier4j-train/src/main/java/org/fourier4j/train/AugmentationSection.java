package org.fourier4j.train;

import org.fourier4j.data.Augmentation;

/**
 * The augmentation keys of a training configuration, each described by its {@link Setting}.
 *
 * @param randomCropPadding zero padding of the random crop
 * @param hflip random horizontal flip
 * @param randaugmentOps RandAugment operations per image
 * @param randaugmentMagnitude RandAugment magnitude index
 * @param randaugmentBins RandAugment magnitude levels
 * @param mixupAlpha mixup's Beta parameter
 * @param cutmixAlpha cutmix's Beta parameter
 * @param mixProb probability that a batch is mixed
 * @param mixSwitchProb with both on: probability of cutmix
 * @param labelSmoothing label smoothing epsilon
 */
public record AugmentationSection(
        @Setting(value = "zero padding of the random crop (0: off)", min = 0) int randomCropPadding,
        @Setting("random horizontal flip") boolean hflip,
        @Setting(value = "RandAugment operations per image (0: off)", min = 0) int randaugmentOps,
        @Setting(value = "RandAugment magnitude index (the seed used 5)", min = 0)
                int randaugmentMagnitude,
        @Setting(value = "RandAugment magnitude levels (torchvision: 31)", min = 2)
                int randaugmentBins,
        @Setting(value = "mixup Beta(alpha, alpha) (0: off)", min = 0) double mixupAlpha,
        @Setting(value = "cutmix Beta(alpha, alpha) (0: off)", min = 0) double cutmixAlpha,
        @Setting(value = "probability that a batch is mixed", min = 0, max = 1) double mixProb,
        @Setting(value = "with both on: probability of cutmix", min = 0, max = 1)
                double mixSwitchProb,
        @Setting(value = "label smoothing epsilon", min = 0, max = 1, maxExclusive = true)
                double labelSmoothing) {

    /** The defaults. */
    public static final AugmentationSection DEFAULTS =
            new AugmentationSection(4, true, 2, 5, 31, 0.0, 0.0, 1.0, 0.5, 0.1);

    /**
     * @return the training augmentation these keys describe
     */
    public Augmentation augmentation() {
        return new Augmentation(
                randomCropPadding,
                hflip,
                randaugmentOps,
                randaugmentMagnitude,
                randaugmentBins,
                mixupAlpha,
                cutmixAlpha,
                mixProb,
                mixSwitchProb,
                labelSmoothing);
    }
}
