package org.fourier4j.fft;

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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Autograd gradients of the FFT convolution against float64 central finite differences, for every
 * element of input, weight and bias: max |autograd - fd| / max |fd| <= 1e-7 (with step 1e-6 the
 * truncation error is ~1e-12 relative and rounding ~1e-10).
 */
class FftConvolutionGradientCheckTest {

    private static NDManager m;

    @BeforeAll
    static void setUp() {
        m = NDManager.newBaseManager();
    }

    @AfterAll
    static void tearDown() {
        m.close();
    }

    /** dims, input, weight and options of the checked configurations. */
    private static Object[] config(int id) {
        switch (id) {
            case 0: // 1-D dense, 'same' with an even kernel, dilation
                return new Object[] {
                    1,
                    new Shape(2, 2, 9),
                    new Shape(3, 2, 4),
                    ConvOptions.builder().padding(Padding.same()).dilation(2).build()
                };
            case 1: // 2-D grouped, stride 2 (polyphase), asymmetric padding
                return new Object[] {
                    2,
                    new Shape(1, 4, 7, 6),
                    new Shape(4, 2, 3, 3),
                    ConvOptions.builder()
                            .groups(2)
                            .stride(2, 1)
                            .padding(Padding.of(new long[] {2, 0}, new long[] {1, 2}))
                            .build()
                };
            case 2: // 2-D depthwise with reflect padding and a kernel wider than the input
                return new Object[] {
                    2,
                    new Shape(1, 2, 5, 5),
                    new Shape(2, 1, 4, 4),
                    ConvOptions.builder()
                            .groups(2)
                            .padding(3, 3)
                            .paddingMode(PaddingMode.REFLECT)
                            .build()
                };
            case 3: // 2-D channel multiplier, wide padding that folds the kernel
                return new Object[] {
                    2,
                    new Shape(1, 1, 2, 3),
                    new Shape(2, 1, 5, 5),
                    ConvOptions.builder().padding(4, 4).build()
                };
            default: // 3-D with stride and circular padding
                return new Object[] {
                    3,
                    new Shape(1, 2, 4, 5, 4),
                    new Shape(2, 2, 3, 2, 3),
                    ConvOptions.builder()
                            .stride(1, 2, 1)
                            .padding(1, 1, 1)
                            .paddingMode(PaddingMode.CIRCULAR)
                            .build()
                };
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4})
    void autogradMatchesFiniteDifferences(int id) {
        Object[] c = config(id);
        int dims = (Integer) c[0];
        ConvOptions opts = (ConvOptions) c[3];
        try (NDManager s = m.newSubManager()) {
            Random r = new Random(7 + id);
            NDArray x = random(s, (Shape) c[1], r);
            NDArray w = random(s, (Shape) c[2], r);
            NDArray b = random(s, new Shape(((Shape) c[2]).get(0)), r);
            ConvGeometry g = ConvGeometry.resolve(dims, x, w, b, opts);
            NDArray probe = random(s, g.outputShape(), r);
            x.setRequiresGradient(true);
            w.setRequiresGradient(true);
            b.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(FftConvolution.convolve(dims, x, w, b, opts).mul(probe).sum());
            }
            NDArray[] args = {x, w, b};
            String[] names = {"input", "weight", "bias"};
            for (int a = 0; a < 3; a++) {
                double[] analytic = args[a].getGradient().toDoubleArray();
                double[] numeric = finiteDifference(dims, opts, args, a, probe);
                double maxDiff = 0;
                double maxRef = 0;
                for (int i = 0; i < numeric.length; i++) {
                    maxDiff = Math.max(maxDiff, Math.abs(analytic[i] - numeric[i]));
                    maxRef = Math.max(maxRef, Math.abs(numeric[i]));
                }
                assertTrue(maxRef > 0, names[a] + " gradient is zero: no signal to compare");
                assertTrue(
                        maxDiff / maxRef <= 1e-7,
                        "config " + id + " " + names[a] + ": relative error " + maxDiff / maxRef);
            }
        }
    }

    private static double[] finiteDifference(
            int dims, ConvOptions opts, NDArray[] args, int which, NDArray probe) {
        double eps = 1e-6;
        double[] base = args[which].toDoubleArray();
        double[] grad = new double[base.length];
        Shape shape = args[which].getShape();
        for (int i = 0; i < base.length; i++) {
            double[] plus = base.clone();
            double[] minus = base.clone();
            plus[i] += eps;
            minus[i] -= eps;
            grad[i] =
                    (loss(dims, opts, args, which, plus, shape, probe)
                                    - loss(dims, opts, args, which, minus, shape, probe))
                            / (2 * eps);
        }
        return grad;
    }

    private static double loss(
            int dims,
            ConvOptions opts,
            NDArray[] args,
            int which,
            double[] values,
            Shape shape,
            NDArray probe) {
        try (NDManager s = m.newSubManager()) {
            NDArray[] a = {args[0].stopGradient(), args[1].stopGradient(), args[2].stopGradient()};
            a[which] = s.create(values, shape);
            for (NDArray v : a) {
                v.attach(s);
            }
            return FftConvolution.convolve(dims, a[0], a[1], a[2], opts)
                    .mul(probe)
                    .sum()
                    .getDouble();
        }
    }

    private static NDArray random(NDManager s, Shape shape, Random r) {
        double[] v = new double[(int) shape.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = 2 * r.nextDouble() - 1;
        }
        NDArray a = s.create(v, shape);
        assertTrue(a.getDataType() == DataType.FLOAT64);
        return a;
    }
}
