package org.fourier4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.junit.jupiter.api.Test;

/**
 * SpectrumMixer (our DSM-style design) against its definition computed in Java doubles: naive 2-D
 * DCT, radial band membership, band amplitudes, softmax band weights, filtered naive inverse DCT;
 * float64, relative error <= 1e-10. With zero logits the block is the identity.
 */
class SpectrumMixerTest {

    /** A parameter-free generator: logits = scale * amplitudes. */
    static final class ScaledAmplitudes extends AbstractBlock {
        private final double scale;

        ScaledAmplitudes(double scale) {
            this.scale = scale;
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList in, boolean training, PairList<String, Object> p) {
            return new NDList(in.head().mul(scale));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return inputShapes;
        }
    }

    static double alpha(int k, int n) {
        return k == 0 ? Math.sqrt(1.0 / n) : Math.sqrt(2.0 / n);
    }

    static double[][] dct2(double[][] x, boolean inverse) {
        int h = x.length;
        int w = x[0].length;
        double[][] y = new double[h][w];
        for (int a = 0; a < h; a++) {
            for (int b = 0; b < w; b++) {
                double s = 0;
                for (int i = 0; i < h; i++) {
                    for (int j = 0; j < w; j++) {
                        // forward: y[k] = a_k sum_n x[n] cos(pi (2n+1) k / 2N); inverse: the
                        // transpose
                        int n1 = inverse ? a : i;
                        int k1 = inverse ? i : a;
                        int n2 = inverse ? b : j;
                        int k2 = inverse ? j : b;
                        s +=
                                x[i][j]
                                        * alpha(k1, h)
                                        * alpha(k2, w)
                                        * Math.cos(Math.PI * (2 * n1 + 1) * k1 / (2.0 * h))
                                        * Math.cos(Math.PI * (2 * n2 + 1) * k2 / (2.0 * w));
                    }
                }
                y[a][b] = s;
            }
        }
        return y;
    }

    @Test
    void matchesTheDefinition() {
        int c = 3;
        int h = 6;
        int w = 5;
        int bands = 4;
        double scale = 3;
        try (NDManager m = NDManager.newBaseManager()) {
            SpectrumMixer mixer =
                    BlockTesting.initialize(
                            SpectrumMixer.builder()
                                    .setChannels(c)
                                    .optBands(bands)
                                    .optWeightGenerator(new ScaledAmplitudes(scale))
                                    .build(),
                            m,
                            DataType.FLOAT64,
                            new Shape(2, c, h, w),
                            1);
            NDArray x = BlockTesting.input(m, 3, DataType.FLOAT64, 2, c, h, w);
            double[] xs = x.toDoubleArray();
            // radial band membership, from the definition
            double[][] member = new double[h * w][bands];
            double[] rho = new double[h * w];
            double max = 0;
            for (int u = 0; u < h; u++) {
                for (int v = 0; v < w; v++) {
                    double a = (double) u / (h - 1);
                    double b = (double) v / (w - 1);
                    rho[u * w + v] = Math.sqrt((a * a + b * b) / 2);
                    max = Math.max(max, rho[u * w + v]);
                }
            }
            double[] mass = new double[bands];
            for (int i = 0; i < h * w; i++) {
                for (int k = 0; k < bands; k++) {
                    member[i][k] = Math.max(0, 1 - Math.abs(rho[i] / (max / (bands - 1)) - k));
                    mass[k] += member[i][k];
                }
            }
            double[] expected = new double[xs.length];
            for (int b = 0; b < 2; b++) {
                for (int ch = 0; ch < c; ch++) {
                    double[][] plane = new double[h][w];
                    int base = (b * c + ch) * h * w;
                    for (int i = 0; i < h * w; i++) {
                        plane[i / w][i % w] = xs[base + i];
                    }
                    double[][] spec = dct2(plane, false);
                    double[] logits = new double[bands];
                    double top = Double.NEGATIVE_INFINITY;
                    for (int k = 0; k < bands; k++) {
                        for (int i = 0; i < h * w; i++) {
                            logits[k] += member[i][k] * Math.abs(spec[i / w][i % w]) / mass[k];
                        }
                        logits[k] *= scale;
                        top = Math.max(top, logits[k]);
                    }
                    double total = 0;
                    for (int k = 0; k < bands; k++) {
                        total += Math.exp(logits[k] - top);
                    }
                    double[][] filtered = new double[h][w];
                    for (int i = 0; i < h * w; i++) {
                        double f = 0;
                        for (int k = 0; k < bands; k++) {
                            f += member[i][k] * bands * Math.exp(logits[k] - top) / total;
                        }
                        filtered[i / w][i % w] = spec[i / w][i % w] * f;
                    }
                    double[][] back = dct2(filtered, true);
                    for (int i = 0; i < h * w; i++) {
                        expected[base + i] = back[i / w][i % w];
                    }
                }
            }
            double[] got = BlockTesting.forward(mixer, m, x, false).toDoubleArray();
            double err = BlockTesting.relativeError(got, expected);
            assertTrue(err <= 1e-10, "relative error " + err);
            assertEquals(bands, mixer.getBands());
        }
    }

    @Test
    void zeroLogitsGiveTheIdentity() {
        try (NDManager m = NDManager.newBaseManager()) {
            SpectrumMixer mixer =
                    BlockTesting.initialize(
                            SpectrumMixer.builder()
                                    .setChannels(4)
                                    .optWeightGenerator(new ScaledAmplitudes(0))
                                    .build(),
                            m,
                            DataType.FLOAT64,
                            new Shape(1, 4, 9, 7),
                            1);
            NDArray x = BlockTesting.input(m, 3, DataType.FLOAT64, 1, 4, 9, 7);
            double err =
                    BlockTesting.relativeError(
                            BlockTesting.forward(mixer, m, x, false).toDoubleArray(),
                            x.toDoubleArray());
            assertTrue(err <= 1e-12, "identity: " + err);
        }
    }

    @Test
    void bandsPartitionUnity() {
        SpectralBands bands = new SpectralBands(7, 10, 6);
        double[] a = bands.assignment();
        for (int i = 0; i < 70; i++) {
            double s = 0;
            for (int k = 0; k < 6; k++) {
                s += a[i * 6 + k];
            }
            assertEquals(1, s, 1e-12);
        }
        assertEquals(-1, bands.firstEmptyBand());
        assertEquals(1, new SpectralBands(3, 3, 8).firstEmptyBand());
        assertEquals(-1, new SpectralBands(4, 4, 8).firstEmptyBand());
    }
}
