package org.fourier4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

/**
 * SGConv and S4D: (1) the generated kernels against their formulas evaluated in Java doubles
 * (linear interpolation point by point, decays, norms; complex Vandermonde sums), and (2) the FFT
 * path against the direct long convolution computed by a naive loop with those kernels (causal,
 * bidirectional, 2-D 'same'), including the skip term and bias; float64, relative error <= 1e-10.
 */
class LongConvolutionTest {

    /** y = causal (+ anti-causal) 1-D convolution + D u + bias, by loops; k0/k1 (C, L). */
    static double[] direct1d(
            double[] u,
            int batch,
            int c,
            int l,
            double[][] k0,
            double[][] k1,
            double[] d,
            double[] bias) {
        double[] y = new double[u.length];
        for (int b = 0; b < batch; b++) {
            for (int ch = 0; ch < c; ch++) {
                int base = (b * c + ch) * l;
                for (int t = 0; t < l; t++) {
                    double s = bias == null ? 0 : bias[ch];
                    for (int j = 0; j <= t; j++) {
                        s += k0[ch][j] * u[base + t - j];
                    }
                    if (k1 != null) {
                        for (int j = 1; t + j < l; j++) {
                            s += k1[ch][j - 1] * u[base + t + j];
                        }
                    }
                    y[base + t] = s + (d == null ? 0 : d[ch] * u[base + t]);
                }
            }
        }
        return y;
    }

    /** 'same' depthwise cross-correlation with an H x W kernel per channel, zero borders, + D u. */
    static double[] direct2d(
            double[] x, int batch, int c, int h, int w, double[][][] k, double[] d) {
        double[] y = new double[x.length];
        int ch0 = (h - 1) / 2;
        int cw0 = (w - 1) / 2;
        for (int b = 0; b < batch; b++) {
            for (int ch = 0; ch < c; ch++) {
                int base = (b * c + ch) * h * w;
                for (int i = 0; i < h; i++) {
                    for (int j = 0; j < w; j++) {
                        double s = d[ch] * x[base + i * w + j];
                        for (int a = 0; a < h; a++) {
                            for (int e = 0; e < w; e++) {
                                int p = i + a - ch0;
                                int q = j + e - cw0;
                                if (p >= 0 && p < h && q >= 0 && q < w) {
                                    s += k[ch][a][e] * x[base + p * w + q];
                                }
                            }
                        }
                        y[base + i * w + j] = s;
                    }
                }
            }
        }
        return y;
    }

    private static double decay(int c, int channels, double min, double max, int power) {
        double m = channels == 1 ? min : min + (max - min) * c / (channels - 1);
        return Math.pow(m, power);
    }

    private static double[] upsample(double[] row, int factor) {
        double[] out = new double[row.length * factor];
        for (int o = 0; o < out.length; o++) {
            out[o] = ResamplingTest.linearAt(row, out.length, o);
        }
        return out;
    }

    @Test
    void sgConv1dKernelAndFftPathMatchTheDefinitionAndTheDirectConvolution() {
        int c = 3;
        int d = 4;
        int maxLength = 20; // S = 1 + ceil(log2(5)) = 4, full length 4 * 8 = 32
        for (boolean bidirectional : new boolean[] {false, true}) {
            int kernels = bidirectional ? 2 : 1;
            for (int l : new int[] {20, 13, 41}) {
                try (NDManager m = NDManager.newBaseManager()) {
                    SgConvKernel block =
                            BlockTesting.initialize(
                                    SgConvKernel.builder()
                                            .setChannels(c)
                                            .setMaxLength(maxLength)
                                            .optKernelDim(d)
                                            .optDecay(1.5, 2.5)
                                            .optBidirectional(bidirectional)
                                            .optBias(true)
                                            .build(),
                                    m,
                                    DataType.FLOAT64,
                                    new Shape(2, c, maxLength),
                                    3);
                    assertEquals(4, block.getScales());
                    assertEquals(32, block.getFullSize());
                    AttentionMixersTest.param(block, "bias").set(new double[] {0.5, -1, 2});
                    // the full kernel from the definition: cat of upsampled, decayed sub-kernels
                    double[][][] full = new double[kernels][c][32];
                    for (int k = 0; k < kernels; k++) {
                        for (int ch = 0; ch < c; ch++) {
                            int at = 0;
                            for (int i = 0; i < 4; i++) {
                                double[] sub =
                                        AttentionMixersTest.param(block, "kernel_" + i)
                                                .toDoubleArray();
                                double[] row = new double[d];
                                System.arraycopy(sub, (k * c + ch) * d, row, 0, d);
                                double[] up = upsample(row, 1 << Math.max(0, i - 1));
                                for (double v : up) {
                                    full[k][ch][at++] = v * decay(ch, c, 1.5, 2.5, 3 - i);
                                }
                            }
                        }
                    }
                    double[] norms =
                            AttentionMixersTest.param(block, "kernel_norm").toDoubleArray();
                    double[][] k0 = new double[c][l];
                    double[][] k1 = bidirectional ? new double[c][l] : null;
                    for (int k = 0; k < kernels; k++) {
                        for (int ch = 0; ch < c; ch++) {
                            double sq = 0;
                            for (double v : full[k][ch]) {
                                sq += v * v;
                            }
                            assertEquals(
                                    Math.sqrt(sq),
                                    norms[k * c + ch],
                                    1e-12 * Math.sqrt(sq),
                                    "kernel_norm");
                            for (int t = 0; t < Math.min(l, 32); t++) {
                                (k == 0 ? k0 : k1)[ch][t] = full[k][ch][t] / Math.sqrt(sq);
                            }
                        }
                    }
                    NDArray x = BlockTesting.input(m, 7, DataType.FLOAT64, 2, c, l);
                    double[] dSkip = AttentionMixersTest.param(block, "D").toDoubleArray();
                    double[] bias = AttentionMixersTest.param(block, "bias").toDoubleArray();
                    double[] expected = direct1d(x.toDoubleArray(), 2, c, l, k0, k1, dSkip, bias);
                    double[] got = BlockTesting.forward(block, m, x, false).toDoubleArray();
                    double err = BlockTesting.relativeError(got, expected);
                    assertTrue(
                            err <= 1e-10,
                            "bidirectional=" + bidirectional + " L=" + l + ": " + err);
                }
            }
        }
    }

    @Test
    void sgConv2dKernelAndFftPathMatchTheDefinitionAndTheDirectConvolution() {
        int c = 2;
        int d = 3;
        try (NDManager m = NDManager.newBaseManager()) {
            SgConvKernel block =
                    BlockTesting.initialize(
                            SgConvKernel.builder()
                                    .setChannels(c)
                                    .setMaxLength(9)
                                    .optKernelDim(d)
                                    .optDims(2)
                                    .build(),
                            m,
                            DataType.FLOAT64,
                            new Shape(1, c, 9, 9),
                            4);
            int scales = block.getScales(); // 1 + ceil(log2 3) = 3, canvas 12
            assertEquals(3, scales);
            int p = 12;
            double[][][] canvas = new double[c][p][p];
            for (int i = 0; i < scales; i++) {
                double[] sub = AttentionMixersTest.param(block, "kernel_" + i).toDoubleArray();
                int side = d << i;
                int off = (p - side) / 2;
                for (int ch = 0; ch < c; ch++) {
                    double[][] rows = new double[d][];
                    for (int a = 0; a < d; a++) {
                        double[] row = new double[d];
                        System.arraycopy(sub, (ch * d + a) * d, row, 0, d);
                        rows[a] = upsample(row, 1 << i);
                    }
                    for (int e = 0; e < side; e++) {
                        double[] column = new double[d];
                        for (int a = 0; a < d; a++) {
                            column[a] = rows[a][e];
                        }
                        double[] up = upsample(column, 1 << i);
                        for (int a = 0; a < side; a++) {
                            canvas[ch][off + a][off + e] +=
                                    up[a] * decay(ch, c, 2, 2, scales - 1 - i);
                        }
                    }
                }
            }
            for (int[] hw : new int[][] {{9, 9}, {6, 7}, {16, 5}}) {
                int h = hw[0];
                int w = hw[1];
                double[][][] k = new double[c][h][w];
                for (int ch = 0; ch < c; ch++) {
                    double sq = 0;
                    for (double[] row : canvas[ch]) {
                        for (double v : row) {
                            sq += v * v;
                        }
                    }
                    for (int a = 0; a < h; a++) {
                        for (int e = 0; e < w; e++) {
                            int pa = (p - 1) / 2 - (h - 1) / 2 + a;
                            int pe = (p - 1) / 2 - (w - 1) / 2 + e;
                            boolean inside = pa >= 0 && pa < p && pe >= 0 && pe < p;
                            k[ch][a][e] = inside ? canvas[ch][pa][pe] / Math.sqrt(sq) : 0;
                        }
                    }
                }
                NDArray x = BlockTesting.input(m, 2, DataType.FLOAT64, 2, c, h, w);
                double[] expected =
                        direct2d(
                                x.toDoubleArray(),
                                2,
                                c,
                                h,
                                w,
                                k,
                                AttentionMixersTest.param(block, "D").toDoubleArray());
                double err =
                        BlockTesting.relativeError(
                                BlockTesting.forward(block, m, x, false).toDoubleArray(), expected);
                assertTrue(err <= 1e-10, h + "x" + w + ": " + err);
            }
        }
    }

    /** K[k][c][l] = 2 Re(sum_n C~ exp(dt A l)) with complex arithmetic in doubles. */
    static double[][][] s4dKernels(S4dKernel block, int kernels, int c, int modes, int length) {
        double[] logDt = AttentionMixersTest.param(block, "log_dt").toDoubleArray();
        double[] logA = AttentionMixersTest.param(block, "log_A_real").toDoubleArray();
        double[] imA = AttentionMixersTest.param(block, "A_imag").toDoubleArray();
        double[] cc = AttentionMixersTest.param(block, "C").toDoubleArray();
        double[][][] out = new double[kernels][c][length];
        for (int k = 0; k < kernels; k++) {
            for (int ch = 0; ch < c; ch++) {
                double dt = Math.exp(logDt[ch]);
                for (int n = 0; n < modes; n++) {
                    double ar = -Math.exp(logA[ch * modes + n]);
                    double ai = imA[ch * modes + n];
                    double zr = dt * ar; // dt A
                    double zi = dt * ai;
                    // (exp(dtA) - 1) / A
                    double er = Math.exp(zr) * Math.cos(zi) - 1;
                    double ei = Math.exp(zr) * Math.sin(zi);
                    double den = ar * ar + ai * ai;
                    double qr = (er * ar + ei * ai) / den;
                    double qi = (ei * ar - er * ai) / den;
                    int at = ((k * c + ch) * modes + n) * 2;
                    double ctr = cc[at] * qr - cc[at + 1] * qi;
                    double cti = cc[at] * qi + cc[at + 1] * qr;
                    for (int l = 0; l < length; l++) {
                        double mag = Math.exp(zr * l);
                        double pr = mag * Math.cos(zi * l);
                        double pi = mag * Math.sin(zi * l);
                        out[k][ch][l] += 2 * (ctr * pr - cti * pi);
                    }
                }
            }
        }
        return out;
    }

    @Test
    void s4d1dKernelAndFftPathMatchTheVandermondeSumAndTheDirectConvolution() {
        int c = 3;
        int modes = 4;
        for (S4dKernel.Init init : S4dKernel.Init.values()) {
            for (boolean bidirectional : new boolean[] {false, true}) {
                int l = 23;
                try (NDManager m = NDManager.newBaseManager()) {
                    S4dKernel block =
                            BlockTesting.initialize(
                                    S4dKernel.builder()
                                            .setChannels(c)
                                            .optStateSize(2 * modes)
                                            .optInit(init)
                                            .optDtRange(0.01, 0.5)
                                            .optBidirectional(bidirectional)
                                            .build(),
                                    m,
                                    DataType.FLOAT64,
                                    new Shape(2, c, l),
                                    9);
                    double[] imag = AttentionMixersTest.param(block, "A_imag").toDoubleArray();
                    for (int n = 0; n < modes; n++) {
                        double want =
                                init == S4dKernel.Init.LIN
                                        ? Math.PI * n
                                        : 2 * modes / Math.PI * (2.0 * modes / (2 * n + 1) - 1);
                        assertEquals(want, imag[modes + n], 1e-12, init + " A_imag[1, " + n + "]");
                    }
                    assertEquals(
                            Math.log(0.5),
                            AttentionMixersTest.param(block, "log_A_real").toDoubleArray()[0],
                            1e-12);
                    double[][][] k = s4dKernels(block, bidirectional ? 2 : 1, c, modes, l);
                    NDArray x = BlockTesting.input(m, 5, DataType.FLOAT64, 2, c, l);
                    double[] expected =
                            direct1d(
                                    x.toDoubleArray(),
                                    2,
                                    c,
                                    l,
                                    k[0],
                                    bidirectional ? k[1] : null,
                                    AttentionMixersTest.param(block, "D").toDoubleArray(),
                                    null);
                    double err =
                            BlockTesting.relativeError(
                                    BlockTesting.forward(block, m, x, false).toDoubleArray(),
                                    expected);
                    assertTrue(err <= 1e-10, init + " bidirectional=" + bidirectional + ": " + err);
                }
            }
        }
    }

    @Test
    void s4d2dIsTheOuterProductOfTwoSidedAxisKernels() {
        int c = 2;
        int modes = 3;
        for (int[] hw : new int[][] {{6, 7}, {5, 4}, {1, 6}}) {
            int h = hw[0];
            int w = hw[1];
            try (NDManager m = NDManager.newBaseManager()) {
                S4dKernel block =
                        BlockTesting.initialize(
                                S4dKernel.builder()
                                        .setChannels(c)
                                        .optStateSize(2 * modes)
                                        .optDims(2)
                                        .optDtRange(0.05, 0.5)
                                        .build(),
                                m,
                                DataType.FLOAT64,
                                new Shape(1, c, h, w),
                                2);
                int centreH = (h - 1) / 2;
                int centreW = (w - 1) / 2;
                double[][][] k = s4dKernels(block, 4, c, modes, Math.max(h, w));
                double[][][] weight = new double[c][h][w];
                for (int ch = 0; ch < c; ch++) {
                    for (int a = 0; a < h; a++) {
                        int oh = a - centreH; // offset along H
                        double kh = oh >= 0 ? k[0][ch][oh] : k[1][ch][-oh - 1];
                        for (int e = 0; e < w; e++) {
                            int ow = e - centreW;
                            double kw = ow >= 0 ? k[2][ch][ow] : k[3][ch][-ow - 1];
                            weight[ch][a][e] = kh * kw;
                        }
                    }
                }
                NDArray x = BlockTesting.input(m, 3, DataType.FLOAT64, 2, c, h, w);
                NDArray generated = block.convolutionWeight(new ParameterStore(m, false), x, false);
                assertEquals(new Shape(c, 1, h, w), generated.getShape());
                double[] flat = new double[c * h * w];
                for (int ch = 0; ch < c; ch++) {
                    for (int a = 0; a < h; a++) {
                        System.arraycopy(weight[ch][a], 0, flat, (ch * h + a) * w, w);
                    }
                }
                assertTrue(
                        BlockTesting.relativeError(generated.toDoubleArray(), flat) <= 1e-10,
                        "weight " + h + "x" + w);
                double[] expected =
                        direct2d(
                                x.toDoubleArray(),
                                2,
                                c,
                                h,
                                w,
                                weight,
                                AttentionMixersTest.param(block, "D").toDoubleArray());
                double err =
                        BlockTesting.relativeError(
                                BlockTesting.forward(block, m, x, false).toDoubleArray(), expected);
                assertTrue(err <= 1e-10, h + "x" + w + ": " + err);
            }
        }
    }
}
