package org.fourier4j.fft;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The FFT convolution against DJL's direct convolution on 360 seeded random configurations: output,
 * and the gradients of input, weight and bias, each within max|fft - direct| / max|direct| <= 1e-4
 * (float32) or 1e-10 (float64).
 *
 * <p>The reference pads the input explicitly (zero padding per side, or the padding mode, with
 * {@link SignalPadding}, itself checked against plain loops in {@link SignalPaddingTest}) and calls
 * DJL's {@code conv*d} with padding 0, so it shares no code with the FFT path.
 */
class FftConvolutionSweepTest {

    private static NDManager manager;

    @BeforeAll
    static void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    static List<ConvCase> cases() {
        return ConvCase.sweep(360, 20261122L);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void fftEqualsDirectForwardAndBackward(ConvCase c) {
        try (NDManager m = manager.newSubManager()) {
            Result fft = run(c, m, true);
            Result ref = run(c, m, false);
            double tol = Comparison.tolerance(c.dataType);
            Comparison.assertClose("output " + c, fft.output, ref.output, tol);
            Comparison.assertClose("input gradient " + c, fft.inputGrad, ref.inputGrad, tol);
            Comparison.assertClose("weight gradient " + c, fft.weightGrad, ref.weightGrad, tol);
            if (c.bias) {
                Comparison.assertClose("bias gradient " + c, fft.biasGrad, ref.biasGrad, tol);
            }
            assertEquals(c.dataType, fft.output.getDataType());
        }
    }

    private static final class Result {
        NDArray output;
        NDArray inputGrad;
        NDArray weightGrad;
        NDArray biasGrad;
    }

    private static Result run(ConvCase c, NDManager m, boolean fft) {
        NDArray x = c.input(m);
        NDArray w = c.weight(m);
        NDArray b = c.biasArray(m);
        x.setRequiresGradient(true);
        w.setRequiresGradient(true);
        if (b != null) {
            b.setRequiresGradient(true);
        }
        Result r = new Result();
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray y =
                    fft
                            ? FftConvolution.convolve(c.dims, x, w, b, c.options())
                            : reference(c, x, w, b);
            // a random projection of the output, so every output element carries its own weight
            NDArray probe = c.random(m, y.getShape(), c.seed + 3);
            gc.backward(y.mul(probe).sum());
            r.output = y.stopGradient();
        }
        r.inputGrad = x.getGradient();
        r.weightGrad = w.getGradient();
        r.biasGrad = b == null ? null : b.getGradient();
        return r;
    }

    static NDArray reference(ConvCase c, NDArray x, NDArray w, NDArray b) {
        ConvGeometry g = ConvGeometry.resolve(c.dims, x, w, b, c.options());
        NDArray padded = SignalPadding.pad(x, g.padLeft(), g.padRight(), c.mode);
        Shape stride = new Shape(c.stride);
        Shape zero = new Shape(new long[c.dims]);
        Shape dilation = new Shape(c.dilation);
        switch (c.dims) {
            case 1:
                return Conv1d.conv1d(padded, w, b, stride, zero, dilation, c.groups)
                        .singletonOrThrow();
            case 2:
                return Conv2d.conv2d(padded, w, b, stride, zero, dilation, c.groups)
                        .singletonOrThrow();
            default:
                return Conv3d.conv3d(padded, w, b, stride, zero, dilation, c.groups)
                        .singletonOrThrow();
        }
    }
}
