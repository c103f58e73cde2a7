package org.fourier4j.train;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.fourier4j.data.ChannelStats;
import org.fourier4j.data.ImageSet;

/** Synthetic, learnable image data for engine tests. */
public final class TestData {

    private TestData() {}

    /**
     * Images whose class brightens one horizontal band on a noisy background.
     *
     * @param n images
     * @param classes classes (at most the image side)
     * @param size image side
     * @param seed the seed
     * @return the images
     */
    public static ImageSet bands(int n, int classes, int size, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        byte[][] im = new byte[n][3 * size * size];
        int[] labels = new int[n];
        int band = size / classes;
        for (int i = 0; i < n; i++) {
            int k = rng.nextInt(classes);
            labels[i] = k;
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        int v = rng.nextInt(100);
                        if (y / band == k) {
                            v += 120;
                        }
                        im[i][c * size * size + y * size + x] = (byte) v;
                    }
                }
            }
        }
        List<String> names = new ArrayList<>();
        for (int k = 0; k < classes; k++) {
            names.add("band" + k);
        }
        return new ImageSet(
                3, size, size, im, labels, names, "bands(" + n + ", seed " + seed + ")");
    }

    /**
     * Training and validation band images.
     *
     * @param train training images
     * @param val validation images
     * @param classes classes
     * @param size image side
     * @return the data
     */
    public static TrainData bandsData(int train, int val, int classes, int size) {
        ImageSet tr = bands(train, classes, size, 1);
        ImageSet va = bands(val, classes, size, 2);
        return new TrainData(tr, va, ChannelStats.of(tr), "separate seeds");
    }
}
