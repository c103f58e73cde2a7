package org.fourier4j.data;

/**
 * Pixel operations on 8-bit channel-first images ({@code byte[c * h * w]}), the building blocks of
 * the augmentations. Each returns a new array and leaves its input alone.
 *
 * <p>Semantics follow torchvision's uint8 tensor implementations ({@code
 * torchvision.transforms.functional}): blends are {@code clamp(f * a + (1 - f) * b, 0, 255)}
 * truncated to an integer, grey is {@code trunc(0.2989 R + 0.587 G + 0.114 B)}, geometric
 * operations use nearest-neighbour sampling and fill uncovered pixels with 0. Colour operations
 * need 3 channels; the rest work on any number.
 */
public final class ImageOps {

    private ImageOps() {}

    private static int u(byte b) {
        return b & 0xFF;
    }

    private static byte clampTrunc(double v) {
        if (v <= 0) {
            return 0;
        }
        if (v >= 255) {
            return (byte) 255;
        }
        return (byte) (int) v;
    }

    /**
     * Pads by {@code pad} zero pixels on every side and crops the original size at offset {@code
     * (dy, dx)} of the padded image; {@code dy = dx = pad} returns the image unchanged.
     *
     * @param img pixels
     * @param c channels
     * @param h rows
     * @param w columns
     * @param pad padding
     * @param dy row offset in {@code [0, 2 * pad]}
     * @param dx column offset in {@code [0, 2 * pad]}
     * @return the crop
     */
    public static byte[] padCrop(byte[] img, int c, int h, int w, int pad, int dy, int dx) {
        byte[] out = new byte[img.length];
        int sy = dy - pad;
        int sx = dx - pad;
        for (int ch = 0; ch < c; ch++) {
            int base = ch * h * w;
            for (int y = 0; y < h; y++) {
                int yy = y + sy;
                if (yy < 0 || yy >= h) {
                    continue;
                }
                int x0 = Math.max(0, -sx);
                int x1 = Math.min(w, w - sx);
                if (x1 > x0) {
                    System.arraycopy(img, base + yy * w + x0 + sx, out, base + y * w + x0, x1 - x0);
                }
            }
        }
        return out;
    }

    /**
     * Mirrors left-right.
     *
     * @param img pixels
     * @param c channels
     * @param h rows
     * @param w columns
     * @return the mirrored image
     */
    public static byte[] flipHorizontal(byte[] img, int c, int h, int w) {
        byte[] out = new byte[img.length];
        for (int r = 0; r < c * h; r++) {
            int row = r * w;
            for (int x = 0; x < w; x++) {
                out[row + x] = img[row + w - 1 - x];
            }
        }
        return out;
    }

    /**
     * Stretches each channel so that its minimum becomes 0 and its maximum 255 (a constant channel
     * is left alone).
     *
     * @param img pixels
     * @param c channels
     * @param h rows
     * @param w columns
     * @return the stretched image
     */
    public static byte[] autoContrast(byte[] img, int c, int h, int w) {
        byte[] out = new byte[img.length];
        int plane = h * w;
        for (int ch = 0; ch < c; ch++) {
            int lo = 255;
            int hi = 0;
            for (int p = ch * plane; p < (ch + 1) * plane; p++) {
                lo = Math.min(lo, u(img[p]));
                hi = Math.max(hi, u(img[p]));
            }
            if (hi == lo) {
                System.arraycopy(img, ch * plane, out, ch * plane, plane);
                continue;
            }
            for (int p = ch * plane; p < (ch + 1) * plane; p++) {
                // multiply before dividing: (v - lo) * 255 / (hi - lo) is exact at v = hi
                out[p] = clampTrunc((u(img[p]) - lo) * 255.0 / (hi - lo));
            }
        }
        return out;
    }

    /**
     * Histogram equalisation per channel (the PIL/torchvision algorithm: a look-up table from the
     * cumulative histogram with step {@code (count - count of the last non-empty bin) / 255}).
     *
     * @param img pixels
     * @param c channels
     * @param h rows
     * @param w columns
     * @return the equalised image
     */
    public static byte[] equalize(byte[] img, int c, int h, int w) {
        byte[] out = new byte[img.length];
        int plane = h * w;
        for (int ch = 0; ch < c; ch++) {
            int[] hist = new int[256];
            for (int p = ch * plane; p < (ch + 1) * plane; p++) {
                hist[u(img[p])]++;
            }
            int last = 0;
            for (int v = 255; v >= 0; v--) {
                if (hist[v] != 0) {
                    last = hist[v];
                    break;
                }
            }
            int step = (plane - last) / 255;
            if (step == 0) {
                System.arraycopy(img, ch * plane, out, ch * plane, plane);
                continue;
            }
            int[] lut = new int[256];
            int cum = 0;
            for (int v = 0; v < 256; v++) {
                lut[v] = Math.min(255, (cum + step / 2) / step);
                cum += hist[v];
            }
            for (int p = ch * plane; p < (ch + 1) * plane; p++) {
                out[p] = (byte) lut[u(img[p])];
            }
        }
        return out;
    }

    /**
     * Inverts every pixel at or above the threshold ({@code v -> 255 - v}).
     *
     * @param img pixels
     * @param threshold in [0, 256]
     * @return the solarised image
     */
    public static byte[] solarize(byte[] img, double threshold) {
        byte[] out = new byte[img.length];
        for (int p = 0; p < img.length; p++) {
            int v = u(img[p]);
            out[p] = (byte) (v >= threshold ? 255 - v : v);
        }
        return out;
    }

    /**
     * Keeps the top {@code bits} bits of every pixel.
     *
     * @param img pixels
     * @param bits in [0, 8]
     * @return the posterised image
     */
    public static byte[] posterize(byte[] img, int bits) {
        if (bits < 0 || bits > 8) {
            throw new IllegalArgumentException("posterize bits must be in 0..8, got " + bits);
        }
        int mask = (0xFF << (8 - bits)) & 0xFF;
        byte[] out = new byte[img.length];
        for (int p = 0; p < img.length; p++) {
            out[p] = (byte) (img[p] & mask);
        }
        return out;
    }

    /**
     * Scales every pixel: {@code clamp(f * v)}.
     *
     * @param img pixels
     * @param factor 1 is the identity
     * @return the brightened or darkened image
     */
    public static byte[] brightness(byte[] img, double factor) {
        byte[] out = new byte[img.length];
        for (int p = 0; p < img.length; p++) {
            out[p] = clampTrunc(factor * u(img[p]));
        }
        return out;
    }

    /**
     * The grey level of each pixel of an RGB image, {@code trunc(0.2989 R + 0.587 G + 0.114 B)}.
     *
     * @param img 3-channel pixels
     * @param h rows
     * @param w columns
     * @return {@code h * w} grey levels
     */
    public static int[] grey(byte[] img, int h, int w) {
        int plane = h * w;
        int[] g = new int[plane];
        for (int p = 0; p < plane; p++) {
            g[p] =
                    (int)
                            (0.2989 * u(img[p])
                                    + 0.587 * u(img[plane + p])
                                    + 0.114 * u(img[2 * plane + p]));
        }
        return g;
    }

    private static void requireRgb(int c, String op) {
        if (c != 3) {
            throw new IllegalArgumentException(op + " needs 3 channels, got " + c);
        }
    }

    /**
     * Saturation: blends each pixel with its grey level, {@code clamp(f * v + (1 - f) * grey)}.
     *
     * @param img RGB pixels
     * @param c channels (3)
     * @param h rows
     * @param w columns
     * @param factor 0 gives grey, 1 the identity
     * @return the adjusted image
     */
    public static byte[] color(byte[] img, int c, int h, int w, double factor) {
        requireRgb(c, "color");
        int plane = h * w;
        int[] g = grey(img, h, w);
        byte[] out = new byte[img.length];
        for (int ch = 0; ch < 3; ch++) {
            for (int p = 0; p < plane; p++) {
                int i = ch * plane + p;
                out[i] = clampTrunc(factor * u(img[i]) + (1 - factor) * g[p]);
            }
        }
        return out;
    }

    /**
     * Contrast: blends each pixel with the mean grey level of the image.
     *
     * @param img RGB pixels
     * @param c channels (3)
     * @param h rows
     * @param w columns
     * @param factor 0 gives a uniform grey, 1 the identity
     * @return the adjusted image
     */
    public static byte[] contrast(byte[] img, int c, int h, int w, double factor) {
        requireRgb(c, "contrast");
        int[] g = grey(img, h, w);
        double mean = 0;
        for (int v : g) {
            mean += v;
        }
        mean /= g.length;
        byte[] out = new byte[img.length];
        for (int i = 0; i < img.length; i++) {
            out[i] = clampTrunc(factor * u(img[i]) + (1 - factor) * mean);
        }
        return out;
    }

    /**
     * Sharpness: blends with a smoothed copy (3x3 kernel {@code [[1,1,1],[1,5,1],[1,1,1]] / 13},
     * rounded; border pixels are not smoothed). Factors above 1 sharpen.
     *
     * @param img pixels
     * @param c channels
     * @param h rows
     * @param w columns
     * @param factor 0 gives the smoothed image, 1 the identity
     * @return the adjusted image
     */
    public static byte[] sharpness(byte[] img, int c, int h, int w, double factor) {
        byte[] out = new byte[img.length];
        int plane = h * w;
        for (int ch = 0; ch < c; ch++) {
            int base = ch * plane;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int i = base + y * w + x;
                    int v = u(img[i]);
                    int degenerate = v;
                    if (y > 0 && y < h - 1 && x > 0 && x < w - 1) {
                        int s = 4 * v;
                        for (int yy = y - 1; yy <= y + 1; yy++) {
                            for (int xx = x - 1; xx <= x + 1; xx++) {
                                s += u(img[base + yy * w + xx]);
                            }
                        }
                        degenerate = (int) Math.rint(s / 13.0);
                    }
                    out[i] = clampTrunc(factor * v + (1 - factor) * degenerate);
                }
            }
        }
        return out;
    }

    /**
     * Samples the image through an inverse affine map: output pixel {@code (x, y)} takes source
     * pixel {@code (a*x + b*y + tx, d*x + e*y + ty)} rounded to the nearest; outside is 0.
     */
    private static byte[] inverseAffine(
            byte[] img,
            int c,
            int h,
            int w,
            double a,
            double b,
            double tx,
            double d,
            double e,
            double ty) {
        byte[] out = new byte[img.length];
        int plane = h * w;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                long sx = Math.round(a * x + b * y + tx);
                long sy = Math.round(d * x + e * y + ty);
                if (sx < 0 || sy < 0 || sx >= w || sy >= h) {
                    continue;
                }
                int src = (int) sy * w + (int) sx;
                int dst = y * w + x;
                for (int ch = 0; ch < c; ch++) {
                    out[ch * plane + dst] = img[ch * plane + src];
                }
            }
        }
        return out;
    }

    /**
     * Rotates counter-clockwise (as displayed) by {@code degrees} about the image centre.
     *
     * @param img pixels
     * @param c channels
     * @param h rows
     * @param w columns
     * @param degrees angle; positive is counter-clockwise
     * @return the rotated image
     */
    public static byte[] rotate(byte[] img, int c, int h, int w, double degrees) {
        double t = Math.toRadians(degrees);
        double cos = Math.cos(t);
        double sin = Math.sin(t);
        double cx = (w - 1) / 2.0;
        double cy = (h - 1) / 2.0;
        // source = centre + R(-t) (output - centre), with y pointing down
        return inverseAffine(
                img,
                c,
                h,
                w,
                cos,
                -sin,
                cx - cos * cx + sin * cy,
                sin,
                cos,
                cy - sin * cx - cos * cy);
    }

    /**
     * Shears along x about the top-left corner: output {@code (x, y)} takes source {@code (x + m *
     * y, y)}.
     *
     * @param img pixels
     * @param c channels
     * @param h rows
     * @param w columns
     * @param m shear factor (tangent of the shear angle)
     * @return the sheared image
     */
    public static byte[] shearX(byte[] img, int c, int h, int w, double m) {
        return inverseAffine(img, c, h, w, 1, m, 0, 0, 1, 0);
    }

    /**
     * Shears along y about the top-left corner: output {@code (x, y)} takes source {@code (x, y + m
     * * x)}.
     *
     * @param img pixels
     * @param c channels
     * @param h rows
     * @param w columns
     * @param m shear factor
     * @return the sheared image
     */
    public static byte[] shearY(byte[] img, int c, int h, int w, double m) {
        return inverseAffine(img, c, h, w, 1, 0, 0, m, 1, 0);
    }

    /**
     * Moves the content right by {@code dx} and down by {@code dy} whole pixels.
     *
     * @param img pixels
     * @param c channels
     * @param h rows
     * @param w columns
     * @param dx columns to the right (negative: left)
     * @param dy rows down (negative: up)
     * @return the translated image
     */
    public static byte[] translate(byte[] img, int c, int h, int w, int dx, int dy) {
        return inverseAffine(img, c, h, w, 1, 0, -dx, 0, 1, -dy);
    }
}
