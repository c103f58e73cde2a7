package org.fourier4j.data;

/**
 * Resizes RGB images to a fixed size: the shorter side is scaled to the target and the centre is
 * cropped (aspect ratio kept, nothing stretched). Resampling is separable with a triangle
 * (bilinear) filter whose support widens with the reduction factor, i.e. antialiased when shrinking
 * (the filter PIL's {@code Image.resize(BILINEAR)} uses).
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
        float[][] planes = new float[3][width * height];
        for (int i = 0; i < argb.length; i++) {
            int p = argb[i];
            planes[0][i] = (p >> 16) & 0xFF;
            planes[1][i] = (p >> 8) & 0xFF;
            planes[2][i] = p & 0xFF;
        }
        double scale = Math.max((double) outWidth / width, (double) outHeight / height);
        double boxW = outWidth / scale;
        double boxH = outHeight / scale;
        double x0 = (width - boxW) / 2;
        double y0 = (height - boxH) / 2;
        Weights wx = weights(width, x0, boxW, outWidth);
        Weights wy = weights(height, y0, boxH, outHeight);
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

    private static Weights weights(int inSize, double start, double length, int outSize) {
        double scale = length / outSize;
        double filterScale = Math.max(1.0, scale);
        double support = filterScale;
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
                double v = t < 1 ? 1 - t : 0;
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
}
