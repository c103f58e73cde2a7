package org.fourier4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/**
 * GlobalFilter equals the circular convolution of each channel with the filter's inverse transform,
 * computed here with a naive inverse DFT (Hermitian completion of the half spectrum, real part) and
 * a direct circular convolution loop; float64, relative error <= 1e-10. The resized path is checked
 * the same way with the filter resized point by point (bicubic, aligned corners).
 */
class GlobalFilterTest {

    /**
     * Spatial kernel k[c][i][j] = Re(1/(HW) sum_{u,v} Kfull[u, v] exp(2 pi i (u i / H + v j / W))).
     */
    static double[][][] inverseTransform(double[] filter, int h, int w, int channels) {
        int wh = w / 2 + 1;
        double[][][] k = new double[channels][h][w];
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    double s = 0;
                    for (int u = 0; u < h; u++) {
                        for (int v = 0; v < w; v++) {
                            double re;
                            double im;
                            if (v < wh) {
                                int at = ((u * wh + v) * channels + c) * 2;
                                re = filter[at];
                                im = filter[at + 1];
                            } else {
                                int at = ((((h - u) % h) * wh + (w - v)) * channels + c) * 2;
                                re = filter[at];
                                im = -filter[at + 1];
                            }
                            double angle = 2 * Math.PI * ((double) u * i / h + (double) v * j / w);
                            s += re * Math.cos(angle) - im * Math.sin(angle);
                        }
                    }
                    k[c][i][j] = s / (h * w);
                }
            }
        }
        return k;
    }

    /** y[b, i, j, c] = sum_{p, q} x[b, p, q, c] k[c][(i - p) mod H][(j - q) mod W]. */
    static double[] circularConvolution(
            double[] x, int batch, int h, int w, int channels, double[][][] k) {
        double[] y = new double[x.length];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    for (int c = 0; c < channels; c++) {
                        double s = 0;
                        for (int p = 0; p < h; p++) {
                            for (int q = 0; q < w; q++) {
                                s +=
                                        x[((b * h + p) * w + q) * channels + c]
                                                * k[c][Math.floorMod(i - p, h)][
                                                        Math.floorMod(j - q, w)];
                            }
                        }
                        y[((b * h + i) * w + j) * channels + c] = s;
                    }
                }
            }
        }
        return y;
    }

    /**
     * A (fh, pw, channels, 2) half spectrum resized to (h, wh, channels, 2) point by point: each
     * (channel, part) plane bicubically with aligned corners, rows first.
     */
    static double[] resizedHalfSpectrum(
            double[] param, int fh, int pw, int channels, int h, int wh) {
        double[] resized = new double[h * wh * channels * 2];
        for (int c = 0; c < channels; c++) {
            for (int part = 0; part < 2; part++) {
                double[][] rows = new double[h][pw];
                for (int v = 0; v < pw; v++) {
                    double[] column = new double[fh];
                    for (int u = 0; u < fh; u++) {
                        column[u] = param[((u * pw + v) * channels + c) * 2 + part];
                    }
                    for (int u = 0; u < h; u++) {
                        rows[u][v] = ResamplingTest.cubicAt(column, h, u);
                    }
                }
                for (int u = 0; u < h; u++) {
                    for (int v = 0; v < wh; v++) {
                        resized[((u * wh + v) * channels + c) * 2 + part] =
                                ResamplingTest.cubicAt(rows[u], wh, v);
                    }
                }
            }
        }
        return resized;
    }

    @Test
    void equalsCircularConvolutionWithTheFiltersInverseTransform() {
        int batch = 2;
        int channels = 3;
        for (int[] hw : new int[][] {{6, 6}, {5, 7}, {4, 5}}) {
            int h = hw[0];
            int w = hw[1];
            try (NDManager m = NDManager.newBaseManager()) {
                GlobalFilter gf =
                        BlockTesting.initialize(
                                GlobalFilter.builder().build(),
                                m,
                                DataType.FLOAT64,
                                new Shape(batch, h, w, channels),
                                21);
                NDArray weight = gf.getParameters().get("complex_weight").getArray();
                assertEquals(new Shape(h, w / 2 + 1, channels, 2), weight.getShape());
                // a filter of order 1 makes the check sensitive (the 0.02 init would give tiny
                // outputs)
                weight.set(
                        BlockTesting.gaussian(
                                new java.util.Random(h * w), weight.getShape().size()));
                NDArray x = BlockTesting.input(m, 8, DataType.FLOAT64, batch, h, w, channels);
                double[] got = BlockTesting.forward(gf, m, x, false).toDoubleArray();
                double[][][] k = inverseTransform(weight.toDoubleArray(), h, w, channels);
                double[] expected =
                        circularConvolution(x.toDoubleArray(), batch, h, w, channels, k);
                double err = BlockTesting.relativeError(got, expected);
                assertTrue(err <= 1e-10, h + "x" + w + ": relative error " + err);
            }
        }
    }

    @Test
    void otherGridsUseTheBicubicallyResizedFilter() {
        int channels = 2;
        int fh = 4;
        int fw = 6; // spectrum 4 x 4
        int h = 7;
        int w = 9; // spectrum 7 x 5
        try (NDManager m = NDManager.newBaseManager()) {
            GlobalFilter gf =
                    BlockTesting.initialize(
                            GlobalFilter.builder().optGridSize(fh, fw).build(),
                            m,
                            DataType.FLOAT64,
                            new Shape(1, h, w, channels),
                            5);
            assertArrayEquals(new int[] {fh, fw}, gf.getGridSize());
            NDArray weight = gf.getParameters().get("complex_weight").getArray();
            assertEquals(new Shape(fh, fw / 2 + 1, channels, 2), weight.getShape());
            weight.set(BlockTesting.gaussian(new java.util.Random(3), weight.getShape().size()));
            double[] param = weight.toDoubleArray();
            // each (channel, part) plane: rows 4 -> 7, then columns 4 -> 5, point by point
            double[] resized = resizedHalfSpectrum(param, fh, fw / 2 + 1, channels, h, w / 2 + 1);
            NDArray x = BlockTesting.input(m, 9, DataType.FLOAT64, 1, h, w, channels);
            double[] got = BlockTesting.forward(gf, m, x, false).toDoubleArray();
            double[] expected =
                    circularConvolution(
                            x.toDoubleArray(),
                            1,
                            h,
                            w,
                            channels,
                            inverseTransform(resized, h, w, channels));
            double err = BlockTesting.relativeError(got, expected);
            assertTrue(err <= 1e-10, "resized filter: relative error " + err);
            // W = 7 has the same half spectrum (4 bins) as W = 6: the filter is used as is
            NDArray same = BlockTesting.input(m, 10, DataType.FLOAT64, 1, fh, 7, channels);
            double[] direct =
                    circularConvolution(
                            same.toDoubleArray(),
                            1,
                            fh,
                            7,
                            channels,
                            inverseTransform(param, fh, 7, channels));
            assertTrue(
                    BlockTesting.relativeError(
                                    BlockTesting.forward(gf, m, same, false).toDoubleArray(),
                                    direct)
                            <= 1e-10);
        }
    }
}
