package org.fourier4j.inference;

/**
 * Resizes RGB images to a fixed size: the shorter side is scaled (aspect ratio kept, nothing
 * stretched) and the centre is cropped. Resampling is separable with a triangle (bilinear) or cubic
 * (a = -0.5, bicubic) filter whose support widens with the reduction factor, i.e. antialiased when
 * shrinking (the filters of PIL's {@code Image.resize(BILINEAR / BICUBIC)}). Used by training,
 * evaluation and prediction alike, so a model sees the same pixels in all three.
 */
public final class ImageResize {

    private ImageResize() {}

    /**
     * Resizes packed RGB pixels (as {@code BufferedImage.getRGB} returns them, alpha ignored) to
     * {@code outHeight x outWidth} and returns them channel-first as bytes.
     *
     * @param argb row-major {@code 0xAARRGGBB} pixels
     * @param width source columns
     * @param height source rows
     * @param outHeight target rows
     * @param outWidth target columns
     * @return {@code byte[3 * outHeight * outWidth]}, channel-first
     */
    public static byte[] resizeCenterCrop(
            int[] argb, int width, int height, int outHeight, int outWidth) {
        double scale = Math.max((double) outWidth / width, (double) outHeight / height);
        return resample(argb, width, height, scale, outHeight, outWidth, false);
    }

    /**
     * Scales the shorter side to {@code resize} and cuts out the centre {@code crop x crop}, as
     * torchvision's {@code Resize(resize)} then {@code CenterCrop(crop)} but in one resampling.
     *
     * @param argb row-major {@code 0xAARRGGBB} pixels
     * @param width source columns
     * @param height source rows
     * @param resize the shorter side after scaling
     * @param crop the output side
     * @param interpolation the filter
     * @return {@code byte[3 * crop * crop]}, channel-first
     */
    public static byte[] resizeCenterCrop(
            int[] argb,
            int width,
            int height,
            int resize,
            int crop,
            Preprocessing.Interpolation interpolation) {
        if (resize < crop) {
            throw new IllegalArgumentException(
                    "resize " + resize + " is smaller than the crop " + crop);
        }
        double scale = (double) resize / Math.min(width, height);
        return resample(
                argb,
                width,
                height,
                scale,
                crop,
                crop,
                interpolation == Preprocessing.Interpolation.BICUBIC);
    }

    private static byte[] resample(
            int[] argb,
            int width,
            int height,
            double scale,
            int outHeight,
            int outWidth,
            boolean cubic) {
        float[][] planes = new float[3][width * height];
        for (int i = 0; i < argb.length; i++) {
            int p = argb[i];
            planes[0][i] = (p >> 16) & 0xFF;
            planes[1][i] = (p >> 8) & 0xFF;
            planes[2][i] = p & 0xFF;
        }
        double boxW = outWidth / scale;
        double boxH = outHeight / scale;
        double x0 = (width - boxW) / 2;
        double y0 = (height - boxH) / 2;
        Weights wx = weights(width, x0, boxW, outWidth, cubic);
        Weights wy = weights(height, y0, boxH, outHeight, cubic);
        byte[] out = new byte[3 * outHeight * outWidth];
        float[] tmp = new float[height * outWidth];
        for (int c = 0; c < 3; c++) {
            float[] src = planes[c];
            for (int y = 0; y < height; y++) {
                int row = y * width;
                for (int x = 0; x < outWidth; x++) {
                    double s = 0;
                    int first = wx.first[x];
                    double[] w = wx.w[x];
                    for (int k = 0; k < w.length; k++) {
                        s += w[k] * src[row + first + k];
                    }
                    tmp[y * outWidth + x] = (float) s;
                }
            }
            int base = c * outHeight * outWidth;
            for (int y = 0; y < outHeight; y++) {
                int first = wy.first[y];
                double[] w = wy.w[y];
                for (int x = 0; x < outWidth; x++) {
                    double s = 0;
                    for (int k = 0; k < w.length; k++) {
                        s += w[k] * tmp[(first + k) * outWidth + x];
                    }
                    out[base + y * outWidth + x] = (byte) clampRound(s);
                }
            }
        }
        return out;
    }

    private static int clampRound(double v) {
        long r = Math.round(v);
        return (int) Math.max(0, Math.min(255, r));
    }

    /** Per output sample: first source index and normalised filter weights. */
    private record Weights(int[] first, double[][] w) {}

    private static Weights weights(
            int inSize, double start, double length, int outSize, boolean cubic) {
        double scale = length / outSize;
        double filterScale = Math.max(1.0, scale);
        double support = filterScale * (cubic ? 2 : 1);
        int[] first = new int[outSize];
        double[][] w = new double[outSize][];
        for (int i = 0; i < outSize; i++) {
            double center = start + (i + 0.5) * scale;
            int lo = (int) Math.max(0, Math.floor(center - support));
            int hi = (int) Math.min(inSize, Math.ceil(center + support));
            double[] k = new double[Math.max(1, hi - lo)];
            double total = 0;
            for (int j = lo; j < hi; j++) {
                double t = Math.abs((j + 0.5 - center) / filterScale);
                double v = cubic ? cubic(t) : (t < 1 ? 1 - t : 0);
                k[j - lo] = v;
                total += v;
            }
            if (total == 0) {
                int nearest = (int) Math.min(inSize - 1, Math.max(0, Math.floor(center)));
                lo = nearest;
                k = new double[] {1};
                total = 1;
            }
            for (int j = 0; j < k.length; j++) {
                k[j] /= total;
            }
            first[i] = lo;
            w[i] = k;
        }
        return new Weights(first, w);
    }

    /** PIL's bicubic kernel, a = -0.5. */
    private static double cubic(double t) {
        double a = -0.5;
        if (t < 1) {
            return ((a + 2) * t - (a + 3)) * t * t + 1;
        }
        if (t < 2) {
            return (((t - 5) * t + 8) * t - 4) * a;
        }
        return 0;
    }
}
