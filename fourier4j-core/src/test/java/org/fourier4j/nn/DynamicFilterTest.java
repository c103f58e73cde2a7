package org.fourier4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * DynamicFilter against a float64 reference written from the paper's definition: the routing MLP
 * and softmax over the filters in plain Java, each image's per-channel filter mixed from the bank,
 * applied as the circular convolution with the filter's naive inverse DFT (see {@link
 * GlobalFilterTest}), the pointwise layers as sums; relative error <= 1e-10. The resized path
 * equals a filter built for the new grid whose bank was resized point by point (bicubic, aligned
 * corners).
 */
class DynamicFilterTest {

    private static final int FILTERS = 4;

    /** Fills every parameter with order-1 values, so that each path shows in the output. */
    private static Map<String, Parameter> randomise(DynamicFilter df, long seed) {
        Random r = new Random(seed);
        Map<String, Parameter> p = ParameterNames.of(df);
        for (Map.Entry<String, Parameter> e : p.entrySet()) {
            NDArray a = e.getValue().getArray();
            Shape s = a.getShape();
            double[] v = BlockTesting.gaussian(r, s.size());
            double scale =
                    e.getKey().endsWith(".bias")
                            ? 0.1
                            : s.dimension() == 2 ? 1 / Math.sqrt(s.get(1)) : 1;
            for (int i = 0; i < v.length; i++) {
                v[i] = e.getKey().endsWith(".scale") ? 1 + 0.2 * v[i] : scale * v[i];
            }
            a.set(v);
        }
        return p;
    }

    private static double[] array(Map<String, Parameter> p, String name) {
        return p.get(name).getArray().toDoubleArray();
    }

    private static double star(Map<String, Parameter> p, String act, double x) {
        double relu = Math.max(x, 0);
        return array(p, act + ".scale")[0] * relu * relu + array(p, act + ".bias")[0];
    }

    /** out[r][o] = sum_i in[r][i] w[o][i] for a row-major (out, in) weight. */
    private static double[] linear(double[] in, int rows, int inDim, double[] w, int outDim) {
        double[] out = new double[rows * outDim];
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < outDim; o++) {
                double s = 0;
                for (int i = 0; i < inDim; i++) {
                    s += in[r * inDim + i] * w[o * inDim + i];
                }
                out[r * outDim + o] = s;
            }
        }
        return out;
    }

    /** The reference forward pass of one (B, H, W, C) input. */
    static double[] reference(Map<String, Parameter> p, double[] x, int b, int h, int w, int c) {
        int med = 2 * c;
        int hidden = c / 4;
        int wh = w / 2 + 1;
        int pixels = h * w;
        double[] out = new double[x.length];
        for (int n = 0; n < b; n++) {
            double[] image = new double[pixels * c];
            System.arraycopy(x, n * pixels * c, image, 0, image.length);
            double[] pooled = new double[c];
            for (int q = 0; q < pixels; q++) {
                for (int k = 0; k < c; k++) {
                    pooled[k] += image[q * c + k] / pixels;
                }
            }
            double[] a = linear(pooled, 1, c, array(p, "reweight.fc1.weight"), hidden);
            for (int i = 0; i < a.length; i++) {
                a[i] = star(p, "reweight.act", a[i]);
            }
            double[] logits = linear(a, 1, hidden, array(p, "reweight.fc2.weight"), FILTERS * med);
            double[] bank = array(p, "complex_weights"); // (h, wh, F, 2)
            double[] filter = new double[h * wh * med * 2]; // (h, wh, M, 2)
            for (int m = 0; m < med; m++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int f = 0; f < FILTERS; f++) {
                    max = Math.max(max, logits[f * med + m]);
                }
                double[] route = new double[FILTERS];
                double sum = 0;
                for (int f = 0; f < FILTERS; f++) {
                    route[f] = Math.exp(logits[f * med + m] - max);
                    sum += route[f];
                }
                for (int bin = 0; bin < h * wh; bin++) {
                    for (int part = 0; part < 2; part++) {
                        double v = 0;
                        for (int f = 0; f < FILTERS; f++) {
                            v += route[f] / sum * bank[(bin * FILTERS + f) * 2 + part];
                        }
                        filter[(bin * med + m) * 2 + part] = v;
                    }
                }
            }
            double[] expanded = linear(image, pixels, c, array(p, "pwconv1.weight"), med);
            for (int i = 0; i < expanded.length; i++) {
                expanded[i] = star(p, "act1", expanded[i]);
            }
            double[] mixed =
                    GlobalFilterTest.circularConvolution(
                            expanded,
                            1,
                            h,
                            w,
                            med,
                            GlobalFilterTest.inverseTransform(filter, h, w, med));
            double[] y = linear(mixed, pixels, med, array(p, "pwconv2.weight"), c);
            System.arraycopy(y, 0, out, n * pixels * c, y.length);
        }
        return out;
    }

    @Test
    void equalsTheRoutedCircularConvolutionOfTheDefinition() {
        int batch = 2;
        int c = 4;
        for (int[] hw : new int[][] {{6, 6}, {5, 7}, {4, 5}}) {
            int h = hw[0];
            int w = hw[1];
            try (NDManager m = NDManager.newBaseManager()) {
                DynamicFilter df =
                        BlockTesting.initialize(
                                DynamicFilter.builder().setChannels(c).build(),
                                m,
                                DataType.FLOAT64,
                                new Shape(batch, h, w, c),
                                21);
                assertArrayEquals(new int[] {h, w}, df.getGridSize());
                Map<String, Parameter> p = randomise(df, h * 31L + w);
                assertEquals(
                        new Shape(h, w / 2 + 1, FILTERS, 2),
                        p.get("complex_weights").getArray().getShape());
                NDArray x = BlockTesting.input(m, 8, DataType.FLOAT64, batch, h, w, c);
                double[] got = BlockTesting.forward(df, m, x, false).toDoubleArray();
                double[] expected = reference(p, x.toDoubleArray(), batch, h, w, c);
                double err = BlockTesting.relativeError(got, expected);
                assertTrue(err <= 1e-10, h + "x" + w + ": relative error " + err);
            }
        }
    }

    @Test
    void otherGridsUseTheBicubicallyResizedBank() {
        int c = 4;
        int fh = 4;
        int fw = 6; // spectrum 4 x 4
        int h = 7;
        int w = 9; // spectrum 7 x 5
        int pw = fw / 2 + 1;
        int wh = w / 2 + 1;
        try (NDManager m = NDManager.newBaseManager()) {
            DynamicFilter built =
                    BlockTesting.initialize(
                            DynamicFilter.builder().setChannels(c).optGridSize(fh, fw).build(),
                            m,
                            DataType.FLOAT64,
                            new Shape(1, h, w, c),
                            5);
            Map<String, Parameter> p = randomise(built, 3);
            DynamicFilter direct =
                    BlockTesting.initialize(
                            DynamicFilter.builder().setChannels(c).build(),
                            m,
                            DataType.FLOAT64,
                            new Shape(1, h, w, c),
                            6);
            Map<String, Parameter> q = ParameterNames.of(direct);
            for (Map.Entry<String, Parameter> e : p.entrySet()) {
                if (!e.getKey().equals("complex_weights")) {
                    q.get(e.getKey()).getArray().set(e.getValue().getArray().toDoubleArray());
                }
            }
            double[] resized =
                    GlobalFilterTest.resizedHalfSpectrum(
                            array(p, "complex_weights"), fh, pw, FILTERS, h, wh);
            q.get("complex_weights").getArray().set(resized);
            NDArray x = BlockTesting.input(m, 9, DataType.FLOAT64, 2, h, w, c);
            double err =
                    BlockTesting.relativeError(
                            BlockTesting.forward(built, m, x, false).toDoubleArray(),
                            BlockTesting.forward(direct, m, x, false).toDoubleArray());
            assertTrue(err <= 1e-10, "resized bank: relative error " + err);
            assertEquals(
                    new Shape(fh, pw, FILTERS, 2),
                    p.get("complex_weights").getArray().getShape(),
                    "the parameter keeps its size");
        }
    }
}
