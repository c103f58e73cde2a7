package org.fourier4j.inference;

import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Turns an image into a model's input exactly as its card says ({@link Preprocessing}): the shorter
 * side scaled, the centre cropped ({@link ImageResize}, the same code training uses), pixels scaled
 * to [0, 1] and normalised per channel. Works on any DJL {@link Image}; grey images are replicated
 * to RGB and alpha is ignored, as training's image reader does.
 */
public final class ImagePreprocessor {

    private final Preprocessing pre;

    /**
     * Creates the preprocessor.
     *
     * @param pre the card's preprocessing
     */
    public ImagePreprocessor(Preprocessing pre) {
        this.pre = pre;
    }

    /**
     * @return the preprocessing it applies
     */
    public Preprocessing preprocessing() {
        return pre;
    }

    /**
     * The resized and cropped pixels, channel-first bytes (before normalisation).
     *
     * @param argb row-major {@code 0xAARRGGBB} pixels
     * @param width columns
     * @param height rows
     * @return {@code byte[3 * crop * crop]}
     */
    public byte[] pixels(int[] argb, int width, int height) {
        return ImageResize.resizeCenterCrop(
                argb, width, height, pre.resize(), pre.crop(), pre.interpolation());
    }

    /**
     * Normalises channel-first bytes into floats: {@code (x / 255 - mean) / std}.
     *
     * @param chw {@code byte[3 * crop * crop]}
     * @return the normalised values, same layout
     */
    public float[] normalise(byte[] chw) {
        int plane = chw.length / 3;
        float[] out = new float[chw.length];
        for (int c = 0; c < 3; c++) {
            double mean = pre.mean()[c];
            double std = pre.std()[c];
            for (int i = c * plane, end = i + plane; i < end; i++) {
                out[i] = (float) (((chw[i] & 0xFF) / 255.0 - mean) / std);
            }
        }
        return out;
    }

    /**
     * Prepares a DJL image.
     *
     * @param manager where the array goes
     * @param image the image
     * @return (3, crop, crop) float32
     */
    public NDArray toInput(NDManager manager, Image image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] argb = argb(manager, image, w, h);
        return manager.create(normalise(pixels(argb, w, h)), new Shape(3, pre.crop(), pre.crop()));
    }

    private static int[] argb(NDManager manager, Image image, int w, int h) {
        Object wrapped = image.getWrappedImage();
        if (wrapped instanceof java.awt.image.BufferedImage) {
            return ((java.awt.image.BufferedImage) wrapped).getRGB(0, 0, w, h, null, 0, w);
        }
        try (NDManager scope = manager.newSubManager()) {
            NDArray hwc = image.toNDArray(scope, Image.Flag.COLOR).toType(DataType.INT32, false);
            int[] v = hwc.toIntArray();
            int[] out = new int[w * h];
            for (int i = 0; i < out.length; i++) {
                out[i] = 0xFF000000 | (v[3 * i] << 16) | (v[3 * i + 1] << 8) | v[3 * i + 2];
            }
            return out;
        }
    }
}
