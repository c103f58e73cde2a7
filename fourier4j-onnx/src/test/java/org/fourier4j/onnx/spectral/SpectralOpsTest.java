package org.fourier4j.onnx.spectral;

import static org.fourier4j.onnx.ExportTesting.assertClose;

import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.fourier4j.onnx.ExportTesting;
import org.fourier4j.onnx.OnnxRuntimeSession;
import org.fourier4j.onnx.graph.OnnxGraphBuilder;
import org.fourier4j.onnx.graph.OnnxOps;
import org.fourier4j.onnx.graph.OnnxValue;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Single-axis transforms of both methods against a naive DFT, on (2, L, 3) along axis 1. */
class SpectralOpsTest {

    private static final int BATCH = 2;
    private static final int CH = 3;

    static List<Arguments> cases() {
        List<Arguments> list = new java.util.ArrayList<>();
        for (SpectralMethod m : new SpectralMethod[] {SpectralMethod.MATMUL, SpectralMethod.DFT}) {
            for (int opset : new int[] {17, 20}) {
                for (int[] ln : new int[][] {{5, 5}, {5, 8}, {6, 9}, {7, 7}}) {
                    list.add(Arguments.of(m, opset, ln[0], ln[1]));
                }
            }
        }
        return list;
    }

    /** Long lengths, factored in the matrix form: composite (Cooley-Tukey) and prime (Rader). */
    static List<Arguments> longCases() {
        List<Arguments> list = new java.util.ArrayList<>();
        for (int[] ln : new int[][] {{600, 600}, {500, 521}, {700, 1031}, {1030, 1030}}) {
            list.add(Arguments.of(SpectralMethod.MATMUL, 17, ln[0], ln[1]));
        }
        return list;
    }

    @ParameterizedTest
    @MethodSource("longCases")
    void longFactoredTransformsMatchTheNaiveDft(SpectralMethod method, int opset, int len, int n) {
        realForwardTransformMatchesTheNaiveDft(method, opset, len, n);
        complexTransformsAndTheirInversesMatchTheNaiveDft(method, opset, len, n);
        inverseRealTransformRestoresTheSignal(method, opset, len, n);
    }

    /** Builds x (2, L, 3) -> outputs, runs ONNX Runtime, returns the outputs. */
    private static List<OnnxRuntimeSession.Output> run(
            SpectralMethod method,
            int opset,
            int len,
            float[] x,
            BiFunction<SpectralOps, OnnxValue, OnnxValue[]> graph) {
        OnnxGraphBuilder g = new OnnxGraphBuilder(opset, true);
        OnnxOps ops = new OnnxOps(g);
        OnnxValue in = g.input("x", new long[] {BATCH, len, CH}, 0);
        OnnxValue[] outs = graph.apply(SpectralOps.of(ops, method), in);
        for (int i = 0; i < outs.length; i++) {
            g.output(outs[i], "y" + i);
        }
        try (OnnxRuntimeSession s =
                OnnxRuntimeSession.open(g.build("t", "0", Map.of()).toByteArray(), 1, true)) {
            return s.runAll(x, BATCH, len, CH);
        }
    }

    /** Naive DFT of x (2, L, 3) along axis 1 to n bins (zero-padded), bins [0, keep). */
    private static double[][] dft(
            float[] re, float[] im, int len, int n, int keep, int sign, double scale) {
        double[] outRe = new double[BATCH * keep * CH];
        double[] outIm = new double[outRe.length];
        for (int b = 0; b < BATCH; b++) {
            for (int k = 0; k < keep; k++) {
                for (int c = 0; c < CH; c++) {
                    double sr = 0;
                    double si = 0;
                    for (int t = 0; t < len; t++) {
                        double a = sign * 2 * Math.PI * ((long) k * t % n) / n;
                        double xr = re[(b * len + t) * CH + c];
                        double xi = im == null ? 0 : im[(b * len + t) * CH + c];
                        sr += xr * Math.cos(a) - xi * Math.sin(a);
                        si += xr * Math.sin(a) + xi * Math.cos(a);
                    }
                    outRe[(b * keep + k) * CH + c] = scale * sr;
                    outIm[(b * keep + k) * CH + c] = scale * si;
                }
            }
        }
        return new double[][] {outRe, outIm};
    }

    private static float[] f(double[] d) {
        float[] r = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            r[i] = (float) d[i];
        }
        return r;
    }

    @ParameterizedTest
    @MethodSource("cases")
    void realForwardTransformMatchesTheNaiveDft(SpectralMethod method, int opset, int len, int n) {
        float[] x = ExportTesting.randomInput(new ai.djl.ndarray.types.Shape(BATCH, len, CH), 1);
        List<OnnxRuntimeSession.Output> out =
                run(
                        method,
                        opset,
                        len,
                        x,
                        (f, in) -> {
                            Spectrum z = f.rfft(in, 1, n, 0.5);
                            return new OnnxValue[] {f.real(z), f.imag(z)};
                        });
        double[][] expected = dft(x, null, len, n, n / 2 + 1, -1, 0.5);
        assertClose(f(expected[0]), out.get(0).data(), method + " rfft re");
        assertClose(f(expected[1]), out.get(1).data(), method + " rfft im");
    }

    @ParameterizedTest
    @MethodSource("cases")
    void complexTransformsAndTheirInversesMatchTheNaiveDft(
            SpectralMethod method, int opset, int len, int n) {
        float[] x = ExportTesting.randomInput(new ai.djl.ndarray.types.Shape(BATCH, len, CH), 2);
        // forward of the complex value (x + i x^2 / 3), then the inverse keeping samples 1 .. n-1
        float[] im = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            im[i] = x[i] * x[i] / 3;
        }
        List<OnnxRuntimeSession.Output> out =
                run(
                        method,
                        opset,
                        len,
                        x,
                        (f, in) -> {
                            OnnxOps ops = f.ops;
                            Spectrum z = f.complex(in, ops.scale(ops.mul(in, in), 1.0 / 3));
                            Spectrum spectrum = f.fft(z, 1, n, 1);
                            Spectrum back = f.ifft(spectrum, 1, 1, n - 1, 1.0 / n);
                            return new OnnxValue[] {
                                f.real(spectrum),
                                f.imag(spectrum),
                                f.real(back),
                                f.imag(back),
                                f.realOfFft(z, 1, n, 2)
                            };
                        });
        double[][] expected = dft(x, im, len, n, n, -1, 1);
        assertClose(f(expected[0]), out.get(0).data(), method + " fft re");
        assertClose(f(expected[1]), out.get(1).data(), method + " fft im");
        // the inverse gives back the zero-padded signal, samples 1 .. n-1
        float[] backRe = new float[BATCH * (n - 1) * CH];
        float[] backIm = new float[backRe.length];
        for (int b = 0; b < BATCH; b++) {
            for (int t = 1; t < n; t++) {
                for (int c = 0; c < CH; c++) {
                    int src = (b * len + t) * CH + c;
                    backRe[(b * (n - 1) + t - 1) * CH + c] = t < len ? x[src] : 0;
                    backIm[(b * (n - 1) + t - 1) * CH + c] = t < len ? im[src] : 0;
                }
            }
        }
        assertClose(backRe, out.get(2).data(), method + " ifft re");
        assertClose(backIm, out.get(3).data(), method + " ifft im");
        double[] twice = expected[0].clone();
        for (int i = 0; i < twice.length; i++) {
            twice[i] *= 2;
        }
        assertClose(f(twice), out.get(4).data(), method + " real part of fft");
    }

    @ParameterizedTest
    @MethodSource("cases")
    void inverseRealTransformRestoresTheSignal(SpectralMethod method, int opset, int len, int n) {
        float[] x = ExportTesting.randomInput(new ai.djl.ndarray.types.Shape(BATCH, len, CH), 4);
        List<OnnxRuntimeSession.Output> out =
                run(
                        method,
                        opset,
                        len,
                        x,
                        (f, in) ->
                                new OnnxValue[] {
                                    f.irfft(f.rfft(in, 1, n, 1), 1, n, 0, len, 1.0 / n)
                                });
        assertClose(x, out.get(0).data(), method + " irfft(rfft)");
    }
}
