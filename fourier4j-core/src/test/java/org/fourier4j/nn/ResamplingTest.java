package org.fourier4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The resampling matrices against PyTorch's interpolation rules written out point by point (the
 * source coordinate of each output sample and the kernel evaluated at each distance), and {@link
 * Resampling#apply} against the plain matrix product.
 */
class ResamplingTest {

    /** PyTorch linear, align_corners=False: source x = max(0, (o + 0.5) in / out - 0.5). */
    static double linearAt(double[] x, int out, int o) {
        int in = x.length;
        double src = Math.max(0, (o + 0.5) * in / out - 0.5);
        int lo = (int) Math.floor(src);
        double frac = src - lo;
        return x[Math.min(lo, in - 1)] * (1 - frac) + x[Math.min(lo + 1, in - 1)] * frac;
    }

    /** Keys' cubic convolution kernel with a = -0.75, evaluated at a distance. */
    static double keys(double d) {
        double a = -0.75;
        double s = Math.abs(d);
        if (s <= 1) {
            return (a + 2) * s * s * s - (a + 3) * s * s + 1;
        }
        if (s < 2) {
            return a * s * s * s - 5 * a * s * s + 8 * a * s - 4 * a;
        }
        return 0;
    }

    /** PyTorch bicubic along one axis, align_corners=True, borders replicated. */
    static double cubicAt(double[] x, int out, int o) {
        int in = x.length;
        double src = out > 1 ? o * (in - 1.0) / (out - 1) : 0;
        int base = (int) Math.floor(src);
        double v = 0;
        for (int j = base - 1; j <= base + 2; j++) {
            v += keys(src - j) * x[Math.min(Math.max(j, 0), in - 1)];
        }
        return v;
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"4,8", "8,4", "5,13", "13,5", "7,7", "1,3", "3,1", "6,9"})
    void matricesFollowTheInterpolationRules(int in, int out) {
        Random r = new Random(in * 100 + out);
        double[] x = BlockTesting.gaussian(r, in);
        double[][] lin = Resampling.linear(in, out);
        double[][] cub = Resampling.cubic(in, out);
        for (int o = 0; o < out; o++) {
            double l = 0;
            double c = 0;
            for (int i = 0; i < in; i++) {
                l += lin[o][i] * x[i];
                c += cub[o][i] * x[i];
            }
            assertEquals(linearAt(x, out, o), l, 1e-12, "linear " + in + "->" + out + " at " + o);
            assertEquals(cubicAt(x, out, o), c, 1e-12, "cubic " + in + "->" + out + " at " + o);
        }
    }

    @Test
    void alignedCornersKeepTheEndsAndLinearRampsAreReproduced() {
        double[] ramp = {0, 1, 2, 3, 4, 5};
        double[][] cub = Resampling.cubic(6, 11);
        for (int o = 0; o < 11; o++) {
            double v = 0;
            for (int i = 0; i < 6; i++) {
                v += cub[o][i] * ramp[i];
            }
            if (o == 0 || o == 10 || (o >= 2 && o <= 8)) {
                // ends land on samples; away from the replicated border a cubic kernel is exact on
                // ramps
                assertEquals(o * 0.5, v, 1e-12, "at " + o);
            }
        }
    }

    @Test
    void applyEqualsTheMatrixProductOnAnyAxis() {
        Random r = new Random(4);
        try (NDManager m = NDManager.newBaseManager()) {
            double[] data = BlockTesting.gaussian(r, 2 * 3 * 4);
            NDArray a = m.create(data, new Shape(2, 3, 4));
            double[][] mat = Resampling.cubic(3, 5);
            double[] got = Resampling.apply(a, 1, mat).toDoubleArray();
            assertEquals(2 * 5 * 4, got.length);
            for (int b = 0; b < 2; b++) {
                for (int o = 0; o < 5; o++) {
                    for (int k = 0; k < 4; k++) {
                        double v = 0;
                        for (int i = 0; i < 3; i++) {
                            v += mat[o][i] * data[(b * 3 + i) * 4 + k];
                        }
                        assertEquals(v, got[(b * 5 + o) * 4 + k], 1e-12);
                    }
                }
            }
            assertTrue(
                    Resampling.apply(a, 2, Resampling.linear(4, 4)) == a,
                    "identity resampling is skipped");
        }
    }
}
