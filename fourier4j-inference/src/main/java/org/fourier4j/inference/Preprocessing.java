package org.fourier4j.inference;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;
import java.util.Locale;

/**
 * How an image becomes a model's input: the shorter side is scaled to {@code resize} (aspect ratio
 * kept, antialiased), the centre {@code crop} x {@code crop} is cut out, pixels are scaled to [0,
 * 1] and normalised per channel as {@code (x - mean) / std}. A model trained here records its data
 * set's statistics with {@code resize = crop}; an imported ImageNet model records the evaluation
 * transform of its paper's code (timm's: resize to crop / 0.875, bicubic, ImageNet mean and std).
 *
 * @param resize the shorter side before cropping, in pixels
 * @param crop the side of the centre crop, in pixels (the model's input size)
 * @param interpolation the resampling filter
 * @param mean per-channel mean of [0, 1] pixels
 * @param std per-channel standard deviation of [0, 1] pixels
 */
public record Preprocessing(
        @JsonProperty("resize") int resize,
        @JsonProperty("crop") int crop,
        @JsonProperty("interpolation") Interpolation interpolation,
        @JsonProperty("mean") double[] mean,
        @JsonProperty("std") double[] std) {

    /** ImageNet's mean, as timm's {@code IMAGENET_DEFAULT_MEAN}. */
    public static final double[] IMAGENET_MEAN = {0.485, 0.456, 0.406};

    /** ImageNet's standard deviation, as timm's {@code IMAGENET_DEFAULT_STD}. */
    public static final double[] IMAGENET_STD = {0.229, 0.224, 0.225};

    /** The resampling filter (both antialiased when shrinking, as PIL's). */
    public enum Interpolation {
        /** A triangle filter (PIL's BILINEAR). */
        BILINEAR,
        /** A cubic filter with a = -0.5 (PIL's BICUBIC). */
        BICUBIC;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Checks the values. */
    public Preprocessing {
        if (crop < 1 || resize < crop) {
            throw new IllegalArgumentException(
                    "preprocessing: need 1 <= crop <= resize, got crop "
                            + crop
                            + " and resize "
                            + resize);
        }
        if (mean == null || std == null || mean.length != std.length || mean.length == 0) {
            throw new IllegalArgumentException(
                    "preprocessing: mean "
                            + Arrays.toString(mean)
                            + " and std "
                            + Arrays.toString(std)
                            + " need one value per channel");
        }
        for (double s : std) {
            if (!(s > 0) || !Double.isFinite(s)) {
                throw new IllegalArgumentException(
                        "preprocessing: std must be positive, got " + Arrays.toString(std));
            }
        }
        interpolation = interpolation == null ? Interpolation.BILINEAR : interpolation;
        mean = mean.clone();
        std = std.clone();
    }

    /**
     * The usual ImageNet evaluation transform for a model of this input size: resize to {@code size
     * / 0.875}, centre crop, bicubic, ImageNet statistics.
     *
     * @param size the model's input size
     * @return the preprocessing
     */
    public static Preprocessing imagenet(int size) {
        return new Preprocessing(
                (int) Math.floor(size / 0.875),
                size,
                Interpolation.BICUBIC,
                IMAGENET_MEAN,
                IMAGENET_STD);
    }

    /**
     * The transform of a model trained by fourier4j: the shorter side scaled to the input size,
     * centre crop, bilinear, the training data's statistics.
     *
     * @param size the model's input size
     * @param mean per-channel mean
     * @param std per-channel std
     * @return the preprocessing
     */
    public static Preprocessing trained(int size, double[] mean, double[] std) {
        return new Preprocessing(size, size, Interpolation.BILINEAR, mean, std);
    }
}
