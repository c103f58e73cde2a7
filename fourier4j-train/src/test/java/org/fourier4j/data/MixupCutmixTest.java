package org.fourier4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MixupCutmixTest {

    private static float[] oneHot(int[] labels, int k, double eps) {
        float[] t = new float[labels.length * k];
        for (int i = 0; i < labels.length; i++) {
            for (int j = 0; j < k; j++) {
                t[i * k + j] = (float) (eps / k + (j == labels[i] ? 1 - eps : 0));
            }
        }
        return t;
    }

    @Test
    void mixupCombinesImagesAndTargetsWithLambda() {
        int n = 3;
        float[] px = {1, 1, 2, 2, 4, 4}; // 3 images of 2 pixels
        float[] t = oneHot(new int[] {0, 1, 2}, 3, 0);
        MixupCutmix.Mix mix = new MixupCutmix.Mix(MixupCutmix.Kind.MIXUP, 0.75, 0, 0, 0, 0);
        MixupCutmix.apply(mix, px, t, n, 1, 1, 2, 3);
        // image 0 pairs with image 2, image 1 with itself
        assertEquals(0.75f * 1 + 0.25f * 4, px[0], 1e-6);
        assertEquals(2f, px[2], 1e-6);
        assertEquals(0.75f * 4 + 0.25f * 1, px[4], 1e-6);
        assertEquals(0.75f, t[0], 1e-6);
        assertEquals(0.25f, t[2], 1e-6);
        assertEquals(1f, t[4], 1e-6);
    }

    @Test
    void cutmixPastesTheBoxAndLambdaIsTheKeptArea() {
        int n = 2;
        int h = 4;
        int w = 4;
        float[] px = new float[n * h * w];
        for (int p = 0; p < h * w; p++) {
            px[p] = 1;
            px[h * w + p] = 2;
        }
        float[] t = oneHot(new int[] {0, 1}, 2, 0);
        MixupCutmix.Mix mix = new MixupCutmix.Mix(MixupCutmix.Kind.CUTMIX, 0.75, 1, 3, 0, 2);
        MixupCutmix.apply(mix, px, t, n, 1, h, w, 2);
        int pasted = 0;
        for (int p = 0; p < h * w; p++) {
            if (px[p] == 2) {
                pasted++;
                int y = p / w;
                int x = p % w;
                assertTrue(y >= 1 && y < 3 && x < 2);
            }
        }
        assertEquals(4, pasted);
        assertEquals(0.75f, t[0], 1e-6);
        assertEquals(0.25f, t[1], 1e-6);
    }

    @Test
    void drawnCutmixBoxesMatchTheirLambdaAndTargetsSumToOne() {
        Augmentation aug = new Augmentation(0, false, 0, 0, 31, 0.2, 1.0, 1.0, 0.5, 0.1);
        SplittableRandom rng = new SplittableRandom(3);
        int cut = 0;
        int mixed = 0;
        for (int trial = 0; trial < 400; trial++) {
            MixupCutmix.Mix m = MixupCutmix.draw(aug, 32, 32, rng);
            assertTrue(m.lambda() >= 0 && m.lambda() <= 1);
            if (m.kind() == MixupCutmix.Kind.CUTMIX) {
                cut++;
                double area = (double) (m.y1() - m.y0()) * (m.x1() - m.x0());
                assertEquals(1 - area / 1024, m.lambda(), 1e-12);
            } else if (m.kind() == MixupCutmix.Kind.MIXUP) {
                mixed++;
            }
            int n = 4;
            float[] px = new float[n * 3 * 32 * 32];
            float[] t = oneHot(new int[] {trial % 10, 3, 7, 9}, 10, aug.labelSmoothing());
            MixupCutmix.apply(m, px, t, n, 3, 32, 32, 10);
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int k = 0; k < 10; k++) {
                    s += t[i * 10 + k];
                }
                assertEquals(1.0, s, 1e-5, "label mass of image " + i);
            }
        }
        assertEquals(400, cut + mixed, "mix_prob 1: every batch is mixed");
        assertTrue(cut > 150 && cut < 250, "switch_prob 0.5: cutmix " + cut + " of 400");
    }

    @Test
    void mixProbabilityZeroNeverMixes() {
        Augmentation aug = new Augmentation(0, false, 0, 0, 31, 1.0, 1.0, 0.0, 0.5, 0);
        assertEquals(
                MixupCutmix.Kind.NONE,
                MixupCutmix.draw(aug, 32, 32, new SplittableRandom(1)).kind());
    }

    @Test
    void betaSamplesHaveTheRightMoments() {
        for (double alpha : new double[] {0.2, 1.0, 4.0}) {
            SplittableRandom rng = new SplittableRandom(42);
            int n = 20000;
            double sum = 0;
            double sq = 0;
            for (int i = 0; i < n; i++) {
                double x = Rngs.beta(alpha, rng);
                sum += x;
                sq += x * x;
            }
            double mean = sum / n;
            double var = sq / n - mean * mean;
            // Beta(a, a): mean 1/2, variance 1 / (4 (2a + 1))
            assertEquals(0.5, mean, 0.01, "mean for alpha " + alpha);
            assertEquals(1 / (4 * (2 * alpha + 1)), var, 0.01, "variance for alpha " + alpha);
        }
    }
}
