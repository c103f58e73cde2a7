package org.fourier4j.models;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What the zoo knows about a named model: its family, a one-line description, the parameter count
 * and GFLOPs its paper (or the reference implementation's model card) reports, with the image size
 * they refer to (NaN where none is reported), the resolution it was designed for, the image sizes
 * it takes, and the override keys it accepts. Where the reported figures refer to a form of the
 * model other than the default one (FFNet's re-parameterised inference form, CAS-ViT with its
 * distillation head), {@link #reportedOverrides()} holds the overrides that build that form.
 */
public final class ModelInfo {

    private final String name;
    private final String family;
    private final String description;
    private final double reportedParamsM;
    private final double reportedGflops;
    private final int reportedImageSize;
    private final int reportedNumClasses;
    private final int defaultImageSize;
    private final int minImageSize;
    private final int sizeMultiple;
    private final Set<String> overrideKeys;
    private final Map<String, Object> reportedOverrides;
    private final Map<String, Object> trainingRecipe;

    ModelInfo(
            String name,
            String family,
            String description,
            double reportedParamsM,
            double reportedGflops,
            int reportedImageSize,
            int reportedNumClasses,
            int defaultImageSize,
            int minImageSize,
            int sizeMultiple,
            Set<String> overrideKeys,
            Map<String, Object> reportedOverrides,
            Map<String, Object> trainingRecipe) {
        for (String k : reportedOverrides.keySet()) {
            if (!overrideKeys.contains(k)) {
                throw new IllegalArgumentException(
                        name + ": reported override '" + k + "' is not an override key");
            }
        }
        this.name = name;
        this.family = family;
        this.description = description;
        this.reportedParamsM = reportedParamsM;
        this.reportedGflops = reportedGflops;
        this.reportedImageSize = reportedImageSize;
        this.reportedNumClasses = reportedNumClasses;
        this.defaultImageSize = defaultImageSize;
        this.minImageSize = minImageSize;
        this.sizeMultiple = sizeMultiple;
        this.overrideKeys = Set.copyOf(overrideKeys);
        this.reportedOverrides =
                Collections.unmodifiableMap(new LinkedHashMap<>(reportedOverrides));
        this.trainingRecipe = Collections.unmodifiableMap(new LinkedHashMap<>(trainingRecipe));
    }

    /**
     * @return the zoo name
     */
    public String name() {
        return name;
    }

    /**
     * @return the model family, e.g. RepLKNet
     */
    public String family() {
        return family;
    }

    /**
     * @return a one-line description of the configuration
     */
    public String description() {
        return description;
    }

    /**
     * @return the paper's parameter count in millions at the default size, or NaN
     */
    public double reportedParamsM() {
        return reportedParamsM;
    }

    /**
     * @return the paper's GFLOPs (multiply-adds) at {@link #reportedImageSize()}, or NaN
     */
    public double reportedGflops() {
        return reportedGflops;
    }

    /**
     * @return the image size the reported parameters and GFLOPs refer to
     */
    public int reportedImageSize() {
        return reportedImageSize;
    }

    /**
     * @return the number of classes the reported parameter count refers to
     */
    public int reportedNumClasses() {
        return reportedNumClasses;
    }

    /**
     * @return the resolution the configuration was designed for
     */
    public int defaultImageSize() {
        return defaultImageSize;
    }

    /**
     * @return the smallest image size the model takes
     */
    public int minImageSize() {
        return minImageSize;
    }

    /**
     * @return sizes must be a multiple of this (1 = any)
     */
    public int sizeMultiple() {
        return sizeMultiple;
    }

    /**
     * @return the override keys the model accepts
     */
    public Set<String> overrideKeys() {
        return overrideKeys;
    }

    /**
     * @return the overrides that build the form the reported parameters and GFLOPs refer to (empty
     *     when that is the default form), e.g. {@code deploy=true} for FFNet
     */
    public Map<String, Object> reportedOverrides() {
        return reportedOverrides;
    }

    /**
     * The training settings measured best for this model (training configuration keys such as
     * {@code lr} or {@code randaugment_ops}), which {@code fourier4j train} takes in place of its
     * defaults where the user sets nothing else; empty for most models.
     *
     * @return key to value
     */
    public Map<String, Object> trainingRecipe() {
        return trainingRecipe;
    }

    /**
     * Checks that the model takes images of this size.
     *
     * @param size height = width
     * @throws IllegalArgumentException saying which sizes work
     */
    public void checkImageSize(int size) {
        checkImageSize(size, minImageSize, sizeMultiple);
    }

    /**
     * Checks that the model takes images of this size when overrides change the smallest size and
     * the required multiple.
     *
     * @param size height = width
     * @param minSize the smallest size the configured model takes
     * @param multiple the required multiple
     * @throws IllegalArgumentException saying which sizes work
     */
    public void checkImageSize(int size, int minSize, int multiple) {
        int min = Math.max(minSize, multiple);
        if (size < min || size % multiple != 0) {
            String works =
                    multiple == 1
                            ? "sizes from " + min + " up"
                            : "multiples of " + multiple + " from " + min + " up";
            throw new IllegalArgumentException(
                    "model "
                            + name
                            + " cannot take "
                            + size
                            + "x"
                            + size
                            + " images: "
                            + works
                            + " work ("
                            + description
                            + ")");
        }
    }
}
