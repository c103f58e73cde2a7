package org.fourier4j.data;

import java.util.Arrays;
import java.util.Map;

/**
 * Per-channel mean and standard deviation of pixel values scaled to [0, 1], used to normalise
 * inputs as {@code (x / 255 - mean) / std}.
 *
 * @param mean per channel
 * @param std per channel, positive
 */
public record ChannelStats(double[] mean, double[] std) {

    /** Validates lengths and positivity. */
    public ChannelStats {
        if (mean.length != std.length || mean.length == 0) {
            throw new IllegalArgumentException(
                    "mean and std need one value per channel, got "
                            + mean.length
                            + " and "
                            + std.length);
        }
        for (int c = 0; c < std.length; c++) {
            if (!(std[c] > 0) || !Double.isFinite(std[c]) || !Double.isFinite(mean[c])) {
                throw new IllegalArgumentException(
                        "std must be positive and finite, got std[" + c + "]=" + std[c]);
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /**
     * Computes the statistics over every pixel of every image (population standard deviation). A
     * channel whose pixels are all equal gets std 1 so that normalisation stays finite.
     *
     * @param set the images, normally the training split only
     * @return the statistics
     */
    public static ChannelStats of(ImageSet set) {
        int c = set.channels();
        int plane = set.height() * set.width();
        long[] sum = new long[c];
        long[] sumSq = new long[c];
        for (int i = 0; i < set.size(); i++) {
            byte[] im = set.image(i);
            for (int ch = 0; ch < c; ch++) {
                long s = 0;
                long q = 0;
                for (int p = ch * plane, end = p + plane; p < end; p++) {
                    int v = im[p] & 0xFF;
                    s += v;
                    q += v * v;
                }
                sum[ch] += s;
                sumSq[ch] += q;
            }
        }
        double count = (double) set.size() * plane;
        double[] mean = new double[c];
        double[] std = new double[c];
        for (int ch = 0; ch < c; ch++) {
            double m = sum[ch] / count;
            double var = sumSq[ch] / count - m * m;
            mean[ch] = m / 255.0;
            std[ch] = var > 0 ? Math.sqrt(var) / 255.0 : 1.0;
        }
        return new ChannelStats(mean, std);
    }

    /**
     * @return the number of channels
     */
    public int channels() {
        return mean.length;
    }

    /**
     * @return {@code {"mean": [...], "std": [...]}}
     */
    public Map<String, Object> toMap() {
        return Map.of("mean", mean.clone(), "std", std.clone());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChannelStats s
                && Arrays.equals(mean, s.mean)
                && Arrays.equals(std, s.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "mean " + Arrays.toString(mean) + " std " + Arrays.toString(std);
    }
}
