package org.fourier4j.fft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The FFT-based orthonormal DCT-II/DCT-III against the cosine sums evaluated directly in Java
 * double loops (O(N^2)), in float64 with max|error| / max|reference| <= 1e-10; float32 within 1e-5;
 * gradients against central finite differences.
 */
class DctTest {

    private static NDManager manager;

    @BeforeAll
    static void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    /** Orthonormal DCT-II of one sequence, straight from its definition. */
    static double[] naiveDctII(double[] x) {
        int n = x.length;
        double[] out = new double[n];
        for (int k = 0; k < n; k++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += x[i] * Math.cos(Math.PI * (2 * i + 1) * k / (2.0 * n));
            }
            out[k] = s * (k == 0 ? Math.sqrt(1.0 / n) : Math.sqrt(2.0 / n));
        }
        return out;
    }

    /** Orthonormal DCT-III of one sequence, straight from its definition. */
    static double[] naiveDctIII(double[] c) {
        int n = c.length;
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int k = 0; k < n; k++) {
                double a = k == 0 ? Math.sqrt(1.0 / n) : Math.sqrt(2.0 / n);
                s += a * c[k] * Math.cos(Math.PI * (2 * i + 1) * k / (2.0 * n));
            }
            out[i] = s;
        }
        return out;
    }

    /** Applies a 1-D transform along {@code axis} of a row-major array. */
    static double[] alongAxis(
            double[] data, long[] shape, int axis, java.util.function.UnaryOperator<double[]> f) {
        int n = (int) shape[axis];
        long inner = 1;
        for (int d = axis + 1; d < shape.length; d++) {
            inner *= shape[d];
        }
        long outer = data.length / (n * inner);
        double[] out = new double[data.length];
        for (long o = 0; o < outer; o++) {
            for (long in = 0; in < inner; in++) {
                double[] line = new double[n];
                for (int i = 0; i < n; i++) {
                    line[i] = data[(int) ((o * n + i) * inner + in)];
                }
                double[] t = f.apply(line);
                for (int i = 0; i < n; i++) {
                    out[(int) ((o * n + i) * inner + in)] = t[i];
                }
            }
        }
        return out;
    }

    static double[] random(Random r, int size) {
        double[] d = new double[size];
        for (int i = 0; i < size; i++) {
            d[i] = r.nextGaussian();
        }
        return d;
    }

    static double relativeError(double[] a, double[] e) {
        assertEquals(e.length, a.length, "length");
        double diff = 0;
        double ref = 0;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs(a[i] - e[i]));
            ref = Math.max(ref, Math.abs(e[i]));
        }
        return ref == 0 ? diff : diff / ref;
    }

    @ParameterizedTest(name = "N = {0}")
    @ValueSource(ints = {1, 2, 3, 5, 8, 13, 16, 31, 64, 65, 100})
    void dctIIAndIIIMatchTheCosineSumsOnEveryAxis(int n) {
        Random r = new Random(7 + n);
        // the last two axes of short transforms go by the DCT matrix, the rest by FFT
        long[][] shapes = {{n}, {3, n, 2}, {2, 4, n}, {n, 3, 2}};
        int[] axes = {0, 1, -1, 0};
        for (int s = 0; s < shapes.length; s++) {
            long[] shape = shapes[s];
            int axis = axes[s] < 0 ? shape.length + axes[s] : axes[s];
            double[] data = random(r, (int) new Shape(shape).size());
            try (NDManager m = manager.newSubManager()) {
                NDArray x = m.create(data, new Shape(shape));
                double[] fwd = Dct.dctII(x, axes[s]).toDoubleArray();
                double[] inv = Dct.dctIII(x, axes[s]).toDoubleArray();
                double eII = relativeError(fwd, alongAxis(data, shape, axis, DctTest::naiveDctII));
                double eIII =
                        relativeError(inv, alongAxis(data, shape, axis, DctTest::naiveDctIII));
                assertTrue(
                        eII <= 1e-10, "DCT-II " + new Shape(shape) + " axis " + axis + ": " + eII);
                assertTrue(
                        eIII <= 1e-10,
                        "DCT-III " + new Shape(shape) + " axis " + axis + ": " + eIII);
                double round =
                        relativeError(
                                Dct.dctIII(Dct.dctII(x, axes[s]), axes[s]).toDoubleArray(), data);
                assertTrue(round <= 1e-10, "DCT-III(DCT-II(x)) != x: " + round);
            }
        }
    }

    @Test
    void twoDimensionalTransformsMatchTheDoubleCosineSum() {
        Random r = new Random(3);
        int h = 5;
        int w = 6;
        long[] shape = {2, 3, h, w};
        double[] data = random(r, 2 * 3 * h * w);
        double[] expected = new double[data.length];
        for (int bc = 0; bc < 6; bc++) {
            for (int k = 0; k < h; k++) {
                for (int l = 0; l < w; l++) {
                    double s = 0;
                    for (int i = 0; i < h; i++) {
                        for (int j = 0; j < w; j++) {
                            s +=
                                    data[(bc * h + i) * w + j]
                                            * Math.cos(Math.PI * (2 * i + 1) * k / (2.0 * h))
                                            * Math.cos(Math.PI * (2 * j + 1) * l / (2.0 * w));
                        }
                    }
                    double ak = k == 0 ? Math.sqrt(1.0 / h) : Math.sqrt(2.0 / h);
                    double al = l == 0 ? Math.sqrt(1.0 / w) : Math.sqrt(2.0 / w);
                    expected[(bc * h + k) * w + l] = ak * al * s;
                }
            }
        }
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.create(data, new Shape(shape));
            NDArray c = Dct.dctII2d(x, 2, 3);
            assertTrue(relativeError(c.toDoubleArray(), expected) <= 1e-10, "2-D DCT-II");
            assertTrue(
                    relativeError(Dct.dctIII2d(c, -2, -1).toDoubleArray(), data) <= 1e-10,
                    "2-D DCT-III");
        }
    }

    @Test
    void float32StaysFloat32AndAccurate() {
        Random r = new Random(11);
        double[] data = random(r, 4 * 20);
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.create(data, new Shape(4, 20)).toType(DataType.FLOAT32, false);
            NDArray c = Dct.dctII(x, 1);
            assertEquals(DataType.FLOAT32, c.getDataType());
            double[] got = Comparison.toDoubles(c);
            assertTrue(
                    relativeError(got, alongAxis(data, new long[] {4, 20}, 1, DctTest::naiveDctII))
                            <= 1e-5);
        }
    }

    @Test
    void gradientsMatchCentralDifferences() {
        // (3, 7, 6) along (1, 2): both by the DCT matrix; (7, 6, 3) along (0, 1): one by FFT
        gradientsMatchCentralDifferences(new Shape(3, 7, 6), 1, 2);
        gradientsMatchCentralDifferences(new Shape(7, 6, 3), 0, 1);
    }

    private void gradientsMatchCentralDifferences(Shape shape, int axisH, int axisW) {
        Random r = new Random(5);
        double[] data = random(r, (int) shape.size());
        double[] weights = random(r, data.length);
        for (boolean inverse : new boolean[] {false, true}) {
            try (NDManager m = manager.newSubManager()) {
                NDArray x = m.create(data, shape);
                NDArray wt = m.create(weights, shape);
                x.setRequiresGradient(true);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray y =
                            inverse ? Dct.dctIII2d(x, axisH, axisW) : Dct.dctII2d(x, axisH, axisW);
                    gc.backward(y.mul(wt).sum());
                }
                double[] grad = x.getGradient().toDoubleArray();
                double[] direction = random(r, data.length);
                double analytic = 0;
                for (int i = 0; i < grad.length; i++) {
                    analytic += grad[i] * direction[i];
                }
                double eps = 1e-6;
                double plus = loss(m, shifted(data, direction, eps), wt, inverse, axisH, axisW);
                double minus = loss(m, shifted(data, direction, -eps), wt, inverse, axisH, axisW);
                double numeric = (plus - minus) / (2 * eps);
                assertEquals(
                        numeric,
                        analytic,
                        1e-6 * Math.max(1, Math.abs(numeric)),
                        shape + " inverse=" + inverse);
                // the orthonormal transforms are orthogonal: the gradient is the transposed
                // transform of w
                NDArray expected =
                        inverse ? Dct.dctII2d(wt, axisH, axisW) : Dct.dctIII2d(wt, axisH, axisW);
                assertTrue(
                        relativeError(grad, expected.toDoubleArray()) <= 1e-10,
                        "gradient != transpose");
            }
        }
    }

    private static double[] shifted(double[] d, double[] dir, double eps) {
        double[] s = d.clone();
        for (int i = 0; i < s.length; i++) {
            s[i] += eps * dir[i];
        }
        return s;
    }

    private static double loss(
            NDManager m, double[] data, NDArray wt, boolean inverse, int axisH, int axisW) {
        NDArray x = m.create(data, wt.getShape());
        NDArray y = inverse ? Dct.dctIII2d(x, axisH, axisW) : Dct.dctII2d(x, axisH, axisW);
        return y.mul(wt).sum().getDouble();
    }

    @Test
    void rejectsComplexAndIntegerInput() {
        try (NDManager m = manager.newSubManager()) {
            NDArray ints = m.arange(0, 6).reshape(2, 3);
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> Dct.dctII(ints, 1));
            assertTrue(
                    e.getMessage().contains("dctII") && e.getMessage().contains("(2, 3)"),
                    e.getMessage());
            NDArray x = m.ones(new Shape(2, 3));
            assertThrows(IllegalArgumentException.class, () -> Dct.dctII(x, 2));
            assertThrows(IllegalArgumentException.class, () -> Dct.dctII2d(x, 1, -1));
        }
    }
}
