package org.fourier4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import org.fourier4j.fft.FftNorm;
import org.junit.jupiter.api.Test;

/**
 * FourierMixer against the real part of a naive multi-dimensional DFT sum (float64, relative error
 * <= 1e-10), and the two encoder wirings (FNet, FiT) against LayerNorm computed in Java.
 */
class FourierMixerTest {

    /** Re(sum_{idx} x[idx] exp(-2 pi i sum_a k_a idx_a / n_a)) over the given trailing dims. */
    static double[] naiveRealDft(double[] x, int batch, int[] dims) {
        int size = 1;
        for (int d : dims) {
            size *= d;
        }
        double[] out = new double[x.length];
        for (int b = 0; b < batch; b++) {
            for (int k = 0; k < size; k++) {
                int[] kk = unravel(k, dims);
                double s = 0;
                for (int n = 0; n < size; n++) {
                    int[] nn = unravel(n, dims);
                    double phase = 0;
                    for (int a = 0; a < dims.length; a++) {
                        phase += (double) kk[a] * nn[a] / dims[a];
                    }
                    s += x[b * size + n] * Math.cos(-2 * Math.PI * phase);
                }
                out[b * size + k] = s;
            }
        }
        return out;
    }

    private static int[] unravel(int i, int[] dims) {
        int[] idx = new int[dims.length];
        for (int a = dims.length - 1; a >= 0; a--) {
            idx[a] = i % dims[a];
            i /= dims[a];
        }
        return idx;
    }

    @Test
    void sequenceAndGridLayoutsAreTheRealPartOfTheDft() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray seq = BlockTesting.input(m, 1, DataType.FLOAT64, 2, 7, 6);
            FourierMixer s = FourierMixer.builder().build();
            double[] got = BlockTesting.forward(s, m, seq, false).toDoubleArray();
            double err =
                    BlockTesting.relativeError(
                            got, naiveRealDft(seq.toDoubleArray(), 2, new int[] {7, 6}));
            assertTrue(err <= 1e-10, "sequence: " + err);

            // even and odd first axes (the mirrored half of the spectrum), sizes 1 and 2 included
            for (int[] dims : new int[][] {{8, 5}, {1, 4}, {2, 3}}) {
                NDArray other = BlockTesting.input(m, 7, DataType.FLOAT64, 1, dims[0], dims[1]);
                double e =
                        BlockTesting.relativeError(
                                BlockTesting.forward(s, m, other, false).toDoubleArray(),
                                naiveRealDft(other.toDoubleArray(), 1, dims));
                assertTrue(e <= 1e-10, "sequence " + dims[0] + "x" + dims[1] + ": " + e);
            }

            FourierMixer g = FourierMixer.builder().optLayout(FourierMixer.Layout.GRID).build();
            for (int[] dims : new int[][] {{3, 5, 4}, {4, 3, 2}, {6, 1, 5}}) {
                NDArray grid =
                        BlockTesting.input(m, 2, DataType.FLOAT64, 2, dims[0], dims[1], dims[2]);
                double[] gotGrid = BlockTesting.forward(g, m, grid, false).toDoubleArray();
                double errGrid =
                        BlockTesting.relativeError(
                                gotGrid, naiveRealDft(grid.toDoubleArray(), 2, dims));
                assertTrue(
                        errGrid <= 1e-10,
                        "grid " + java.util.Arrays.toString(dims) + ": " + errGrid);
            }
        }
    }

    @Test
    void orthoIsTheUnitaryDft() {
        try (NDManager m = NDManager.newBaseManager()) {
            FourierMixer seq = FourierMixer.builder().optNorm(FftNorm.ORTHO).build();
            NDArray x = BlockTesting.input(m, 3, DataType.FLOAT64, 2, 7, 6);
            double[] want = naiveRealDft(x.toDoubleArray(), 2, new int[] {7, 6});
            for (int i = 0; i < want.length; i++) {
                want[i] /= Math.sqrt(7 * 6);
            }
            double err =
                    BlockTesting.relativeError(
                            BlockTesting.forward(seq, m, x, false).toDoubleArray(), want);
            assertTrue(err <= 1e-10, "sequence: " + err);

            FourierMixer grid =
                    FourierMixer.builder()
                            .optLayout(FourierMixer.Layout.GRID)
                            .optNorm(FftNorm.ORTHO)
                            .build();
            NDArray g = BlockTesting.input(m, 4, DataType.FLOAT64, 1, 4, 3, 5);
            double[] wantGrid = naiveRealDft(g.toDoubleArray(), 1, new int[] {4, 3, 5});
            for (int i = 0; i < wantGrid.length; i++) {
                wantGrid[i] /= Math.sqrt(4 * 3 * 5);
            }
            double errGrid =
                    BlockTesting.relativeError(
                            BlockTesting.forward(grid, m, g, false).toDoubleArray(), wantGrid);
            assertTrue(errGrid <= 1e-10, "grid: " + errGrid);

            // unitary: the real part keeps at most the input's energy, unnormalised it is N D times
            double in = x.square().sum().getDouble();
            double out = BlockTesting.forward(seq, m, x, false).square().sum().getDouble();
            assertTrue(out <= in * (1 + 1e-12), "energy " + out + " > " + in);
        }
    }

    @Test
    void onlyBackwardAndOrthoAreAccepted() {
        IllegalArgumentException e =
                org.junit.jupiter.api.Assertions.assertThrows(
                        IllegalArgumentException.class,
                        () -> FourierMixer.builder().optNorm(FftNorm.FORWARD).build());
        assertTrue(
                e.getMessage().contains("FourierMixer") && e.getMessage().contains("FORWARD"),
                e.getMessage());
    }

    /** Per-token LayerNorm over the last axis, eps 1e-12, gamma 1, beta 0. */
    static double[] layerNorm(double[] x, int d) {
        double[] y = new double[x.length];
        for (int t = 0; t < x.length / d; t++) {
            double mean = 0;
            for (int i = 0; i < d; i++) {
                mean += x[t * d + i];
            }
            mean /= d;
            double var = 0;
            for (int i = 0; i < d; i++) {
                var += Math.pow(x[t * d + i] - mean, 2);
            }
            var /= d;
            for (int i = 0; i < d; i++) {
                y[t * d + i] = (x[t * d + i] - mean) / Math.sqrt(var + 1e-12);
            }
        }
        return y;
    }

    @Test
    void fnetAndFitDifferInTheSecondResidual() {
        int d = 6;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = BlockTesting.input(m, 4, DataType.FLOAT64, 2, 5, d);
            double[] xs = x.toDoubleArray();
            double[] mix = naiveRealDft(xs, 2, new int[] {5, d});
            double[] sum = new double[xs.length];
            for (int i = 0; i < xs.length; i++) {
                sum[i] = xs[i] + mix[i];
            }
            for (FourierEncoderBlock.Style style : FourierEncoderBlock.Style.values()) {
                FourierEncoderBlock block =
                        BlockTesting.initialize(
                                FourierEncoderBlock.builder()
                                        .setHiddenSize(d)
                                        .setFeedForwardSize(10)
                                        .optStyle(style)
                                        .build(),
                                m,
                                DataType.FLOAT64,
                                x.getShape(),
                                2);
                // the feed-forward output is dense.bias when dense.weight = 0: a known constant b
                double[] bias = new double[d];
                for (Pair<String, Parameter> p : block.getParameters()) {
                    if (p.getKey().contains("dense_weight")) {
                        p.getValue()
                                .getArray()
                                .set(new double[(int) p.getValue().getArray().size()]);
                    }
                    if (p.getKey().contains("dense_bias")) {
                        for (int i = 0; i < d; i++) {
                            bias[i] = 0.1 * (i + 1);
                        }
                        p.getValue().getArray().set(bias);
                    }
                }
                double[] first = layerNorm(sum, d);
                double[] second = new double[xs.length];
                for (int i = 0; i < xs.length; i++) {
                    // FNet adds the feed-forward output to LN1's output, FiT to the Fourier output
                    double residual = style == FourierEncoderBlock.Style.FNET ? first[i] : mix[i];
                    second[i] = residual + bias[i % d];
                }
                double[] expected = layerNorm(second, d);
                double[] got = BlockTesting.forward(block, m, x, false).toDoubleArray();
                double err = BlockTesting.relativeError(got, expected);
                assertTrue(err <= 1e-9, style + ": relative error " + err);
                assertEquals(style, block.getStyle());
            }
        }
    }

    @Test
    void geluFormsDiffer() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new double[] {-2, -0.5, 0, 0.5, 2}, new Shape(5));
            double[] erf = Gelu.ERF.apply(x).toDoubleArray();
            double[] tanh = Gelu.TANH.apply(x).toDoubleArray();
            double[] in = x.toDoubleArray();
            for (int i = 0; i < 5; i++) {
                double t =
                        0.5
                                * in[i]
                                * (1
                                        + Math.tanh(
                                                Math.sqrt(2 / Math.PI)
                                                        * (in[i] + 0.044715 * Math.pow(in[i], 3))));
                assertEquals(t, tanh[i], 1e-12);
            }
            assertEquals(-0.0455002638963584, erf[0], 1e-12); // -2 * Phi(-2)
            assertTrue(Math.abs(erf[0] - tanh[0]) > 1e-5, "the two forms differ");
        }
    }
}
