package org.fourier4j.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Synthetic image sets for tests. */
final class TestImages {

    private TestImages() {}

    static List<String> classNames(int k) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            names.add("c" + i);
        }
        return names;
    }

    /** Random pixels; label i % k; image i starts with byte i for identification. */
    static ImageSet random(int n, int c, int h, int w, int k, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        byte[][] im = new byte[n][c * h * w];
        int[] lb = new int[n];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < im[i].length; p++) {
                im[i][p] = (byte) rng.nextInt(256);
            }
            lb[i] = i % k;
        }
        return new ImageSet(c, h, w, im, lb, classNames(k), "random(" + n + ")");
    }

    static ImageSet cifar(int n, long seed) {
        return random(n, 3, 32, 32, 10, seed);
    }
}
