package org.fourier4j.fft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link RealFft2} against a naive 2-D DFT (double loops over the DFT sum) for every norm, odd and
 * even sizes, and two axis placements; float64, max|error| / max|reference| <= 1e-10.
 */
class RealFft2Test {

    private static NDManager manager;

    @BeforeAll
    static void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    /** Naive DFT of x (b, h, w) over (h, w), half spectrum, as interleaved (re, im). */
    static double[] naiveRfft2(double[] x, int b, int h, int w, double scale) {
        int wh = w / 2 + 1;
        double[] out = new double[b * h * wh * 2];
        for (int n = 0; n < b; n++) {
            for (int k = 0; k < h; k++) {
                for (int l = 0; l < wh; l++) {
                    double re = 0;
                    double im = 0;
                    for (int i = 0; i < h; i++) {
                        for (int j = 0; j < w; j++) {
                            double angle = -2 * Math.PI * ((double) k * i / h + (double) l * j / w);
                            double v = x[(n * h + i) * w + j];
                            re += v * Math.cos(angle);
                            im += v * Math.sin(angle);
                        }
                    }
                    int at = ((n * h + k) * wh + l) * 2;
                    out[at] = re * scale;
                    out[at + 1] = im * scale;
                }
            }
        }
        return out;
    }

    /**
     * Naive inverse: completes the half spectrum (b, h, w/2+1) Hermitian-wise and keeps the real
     * part of the inverse DFT sum.
     */
    static double[] naiveIrfft2(double[] z, int b, int h, int w, double scale) {
        int wh = w / 2 + 1;
        double[] out = new double[b * h * w];
        for (int n = 0; n < b; n++) {
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    double s = 0;
                    for (int k = 0; k < h; k++) {
                        for (int l = 0; l < w; l++) {
                            double re;
                            double im;
                            if (l < wh) {
                                int at = ((n * h + k) * wh + l) * 2;
                                re = z[at];
                                im = z[at + 1];
                            } else {
                                int at = ((n * h + (h - k) % h) * wh + (w - l)) * 2;
                                re = z[at];
                                im = -z[at + 1];
                            }
                            double angle = 2 * Math.PI * ((double) k * i / h + (double) l * j / w);
                            s += re * Math.cos(angle) - im * Math.sin(angle);
                        }
                    }
                    out[(n * h + i) * w + j] = s * scale;
                }
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0}x{1} {2}")
    @CsvSource({
        "4,6,BACKWARD",
        "5,7,ORTHO",
        "6,5,FORWARD",
        "1,4,ORTHO",
        "7,1,BACKWARD",
        "3,8,ORTHO"
    })
    void forwardAndInverseMatchTheDftSums(int h, int w, FftNorm norm) {
        Random r = new Random(h * 31 + w);
        int b = 2;
        double[] x = DctTest.random(r, b * h * w);
        double n = h * w;
        double fs = norm == FftNorm.BACKWARD ? 1 : norm == FftNorm.ORTHO ? 1 / Math.sqrt(n) : 1 / n;
        double is = norm == FftNorm.BACKWARD ? 1 / n : norm == FftNorm.ORTHO ? 1 / Math.sqrt(n) : 1;
        try (NDManager m = manager.newSubManager()) {
            NDArray xs = m.create(x, new Shape(b, h, w));
            NDArray spec = RealFft2.rfft2(xs, norm);
            assertEquals(new Shape(b, h, w / 2 + 1), spec.getShape());
            double[] got = spec.real().toDoubleArray();
            double err = DctTest.relativeError(got, naiveRfft2(x, b, h, w, fs));
            assertTrue(err <= 1e-10, "rfft2 error " + err);

            // an arbitrary (non-Hermitian) half spectrum: the inverse must equal the naive one
            double[] z = DctTest.random(r, b * h * (w / 2 + 1) * 2);
            NDArray zs = m.create(z, new Shape(b, h, w / 2 + 1, 2)).complex();
            double[] inv = RealFft2.irfft2(zs, h, w, norm).toDoubleArray();
            double ierr = DctTest.relativeError(inv, naiveIrfft2(z, b, h, w, is));
            assertTrue(ierr <= 1e-10, "irfft2 error " + ierr);

            double round =
                    DctTest.relativeError(RealFft2.irfft2(spec, h, w, norm).toDoubleArray(), x);
            assertTrue(round <= 1e-10, "round trip " + round);
        }
    }

    @Test
    void channelsLastAxesAndGradient() {
        Random r = new Random(1);
        int b = 2;
        int h = 5;
        int w = 4;
        int c = 3;
        double[] x = DctTest.random(r, b * h * w * c);
        try (NDManager m = manager.newSubManager()) {
            NDArray xs = m.create(x, new Shape(b, h, w, c));
            NDArray first = RealFft2.rfft2(xs, 1, 2, FftNorm.ORTHO);
            NDArray moved =
                    RealFft2.rfft2(xs.transpose(0, 3, 1, 2), FftNorm.ORTHO).transpose(0, 2, 3, 1);
            assertTrue(
                    DctTest.relativeError(
                                    first.real().toDoubleArray(), moved.real().toDoubleArray())
                            <= 1e-12);
            assertTrue(
                    DctTest.relativeError(
                                    RealFft2.irfft2(first, h, w, 1, 2, FftNorm.ORTHO)
                                            .toDoubleArray(),
                                    x)
                            <= 1e-10);

            // d/dx sum(irfft2(rfft2(x)) * wt) = wt for the round trip
            double[] wt = DctTest.random(r, x.length);
            NDArray weights = m.create(wt, new Shape(b, h, w, c));
            xs.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y =
                        RealFft2.irfft2(
                                RealFft2.rfft2(xs, 1, 2, FftNorm.BACKWARD),
                                h,
                                w,
                                1,
                                2,
                                FftNorm.BACKWARD);
                gc.backward(y.mul(weights).sum());
            }
            assertTrue(DctTest.relativeError(xs.getGradient().toDoubleArray(), wt) <= 1e-10);
        }
    }

    @Test
    void inverseSurvivesABroadcastGradient() {
        // sum(y) hands back a stride-0 gradient, on which libtorch 2.7.1's irfft backward fails
        // unless something dense stands in between (RealFft2.irfft2 ends with a multiply)
        try (NDManager m = manager.newSubManager()) {
            NDArray x =
                    m.randomNormal(
                            0, 1, new Shape(1, 6, 5, 3), ai.djl.ndarray.types.DataType.FLOAT32);
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y =
                        RealFft2.irfft2(
                                RealFft2.rfft2(x, 1, 2, FftNorm.BACKWARD),
                                6,
                                5,
                                1,
                                2,
                                FftNorm.BACKWARD);
                gc.backward(y.sum());
            }
            // the round trip is the identity, so d sum / dx = 1 everywhere
            for (float g : x.getGradient().toFloatArray()) {
                assertEquals(1f, g, 1e-5f);
            }
        }
    }

    @Test
    void rejectsMismatchedSpectra() {
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.ones(new Shape(2, 4, 6));
            NDArray spec = RealFft2.rfft2(x, FftNorm.ORTHO);
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> RealFft2.irfft2(spec, 4, 8, FftNorm.ORTHO));
            assertTrue(e.getMessage().contains("(2, 4, 4)"), e.getMessage());
            assertThrows(
                    IllegalArgumentException.class, () -> RealFft2.irfft2(x, 4, 10, FftNorm.ORTHO));
            assertThrows(IllegalArgumentException.class, () -> RealFft2.rfft2(spec, FftNorm.ORTHO));
            assertThrows(
                    IllegalArgumentException.class, () -> RealFft2.rfft2(x, 1, 1, FftNorm.ORTHO));
        }
    }
}
