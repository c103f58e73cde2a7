package org.fourier4j.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * AdaptiveFrequencyFilter against the official code's computation written out in Java doubles:
 * naive 2-D DFT, the grouped complex two-layer mask MLP, soft-shrink, product, naive inverse
 * (Hermitian completion, real part), residual; float64, relative error <= 1e-10.
 */
class AdaptiveFrequencyFilterTest {

    private static double shrink(double v, double lambda) {
        return v > lambda ? v - lambda : v < -lambda ? v + lambda : 0;
    }

    @Test
    void matchesTheReferenceComputation() {
        int c = 8;
        int g = 2;
        int cg = c / g;
        int h = 5;
        int w = 6;
        int wh = w / 2 + 1;
        double lambda = 0.01;
        try (NDManager m = NDManager.newBaseManager()) {
            AdaptiveFrequencyFilter aff =
                    BlockTesting.initialize(
                            AdaptiveFrequencyFilter.builder().optGroups(g).build(),
                            m,
                            DataType.FLOAT64,
                            new Shape(1, c, h, w),
                            4);
            Random r = new Random(12);
            // order-1 weights so that both the ReLUs and the soft-shrink cut some values and pass
            // others
            double[][] p = new double[4][];
            String[] names = {"w1", "b1", "w2", "b2"};
            for (int i = 0; i < 4; i++) {
                NDArray a = aff.getParameters().get(names[i]).getArray();
                p[i] = BlockTesting.gaussian(r, a.size());
                for (int j = 0; j < p[i].length; j++) {
                    p[i][j] *= 0.3;
                }
                a.set(p[i]);
            }
            double[] w1 = p[0];
            double[] b1 = p[1];
            double[] w2 = p[2];
            double[] b2 = p[3];
            NDArray x = BlockTesting.input(m, 6, DataType.FLOAT64, 1, c, h, w);
            double[] xs = x.toDoubleArray();
            double norm = 1 / Math.sqrt(h * w);

            double[][][] re = new double[c][h][wh];
            double[][][] im = new double[c][h][wh];
            for (int ch = 0; ch < c; ch++) {
                for (int k = 0; k < h; k++) {
                    for (int l = 0; l < wh; l++) {
                        for (int i = 0; i < h; i++) {
                            for (int j = 0; j < w; j++) {
                                double angle =
                                        -2 * Math.PI * ((double) k * i / h + (double) l * j / w);
                                double v = xs[(ch * h + i) * w + j];
                                re[ch][k][l] += v * Math.cos(angle) * norm;
                                im[ch][k][l] += v * Math.sin(angle) * norm;
                            }
                        }
                    }
                }
            }
            double[][][] yr = new double[c][h][wh];
            double[][][] yi = new double[c][h][wh];
            for (int grp = 0; grp < g; grp++) {
                for (int k = 0; k < h; k++) {
                    for (int l = 0; l < wh; l++) {
                        double[] r1 = new double[cg];
                        double[] i1 = new double[cg];
                        for (int o = 0; o < cg; o++) {
                            double sr = b1[(0 * g + grp) * cg + o];
                            double si = b1[(1 * g + grp) * cg + o];
                            for (int i = 0; i < cg; i++) {
                                double zr = re[grp * cg + i][k][l];
                                double zi = im[grp * cg + i][k][l];
                                double wr = w1[((0 * g + grp) * cg + i) * cg + o];
                                double wi = w1[((1 * g + grp) * cg + i) * cg + o];
                                sr += zr * wr - zi * wi;
                                si += zi * wr + zr * wi;
                            }
                            r1[o] = Math.max(0, sr);
                            i1[o] = Math.max(0, si);
                        }
                        for (int o = 0; o < cg; o++) {
                            double sr = b2[(0 * g + grp) * cg + o];
                            double si = b2[(1 * g + grp) * cg + o];
                            for (int i = 0; i < cg; i++) {
                                double wr = w2[((0 * g + grp) * cg + i) * cg + o];
                                double wi = w2[((1 * g + grp) * cg + i) * cg + o];
                                sr += r1[i] * wr - i1[i] * wi;
                                si += i1[i] * wr + r1[i] * wi;
                            }
                            double mr = shrink(sr, lambda);
                            double mi = shrink(si, lambda);
                            int ch = grp * cg + o;
                            yr[ch][k][l] = mr * re[ch][k][l] - mi * im[ch][k][l];
                            yi[ch][k][l] = mr * im[ch][k][l] + mi * re[ch][k][l];
                        }
                    }
                }
            }
            double[] expected = new double[xs.length];
            for (int ch = 0; ch < c; ch++) {
                for (int i = 0; i < h; i++) {
                    for (int j = 0; j < w; j++) {
                        double s = 0;
                        for (int k = 0; k < h; k++) {
                            for (int l = 0; l < w; l++) {
                                double zr = l < wh ? yr[ch][k][l] : yr[ch][(h - k) % h][w - l];
                                double zi = l < wh ? yi[ch][k][l] : -yi[ch][(h - k) % h][w - l];
                                double angle =
                                        2 * Math.PI * ((double) k * i / h + (double) l * j / w);
                                s += zr * Math.cos(angle) - zi * Math.sin(angle);
                            }
                        }
                        int at = (ch * h + i) * w + j;
                        expected[at] = s * norm + xs[at];
                    }
                }
            }
            double[] got = BlockTesting.forward(aff, m, x, false).toDoubleArray();
            double err = BlockTesting.relativeError(got, expected);
            assertTrue(err <= 1e-10, "relative error " + err);
        }
    }
}
