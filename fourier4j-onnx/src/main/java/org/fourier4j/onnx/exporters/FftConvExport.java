package org.fourier4j.onnx.exporters;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;
import org.fourier4j.fft.PaddingMode;
import org.fourier4j.onnx.export.ExportContext;
import org.fourier4j.onnx.graph.OnnxOps;
import org.fourier4j.onnx.graph.OnnxValue;
import org.fourier4j.onnx.spectral.ConvMethod;
import org.fourier4j.onnx.spectral.SpectralMethod;
import org.fourier4j.onnx.spectral.SpectralOps;
import org.fourier4j.onnx.spectral.Spectrum;
import org.fourier4j.onnx.spectral.TransformRule;

/**
 * Writes a convolution (cross-correlation) with a fixed weight: as ONNX {@code Conv}, or, for
 * depthwise stride-1 layers, as a spectral product. {@link TransformRule#conv} picks between them
 * (or the options force one).
 *
 * <p>Spectral form, per spatial axis of input length L, kernel k, padding pl/pr and output length
 * {@code L + pl + pr - k + 1}: with a transform length {@code n >= max(L + max(pl, pr), k)} the
 * circular convolution of the input (zero-padded to n at the end) with the kernel placed at
 * positions {@code (pl - j) mod n} equals the padded correlation on the first outputs (n at least
 * the output length too); no wrap-around reaches them. The kernel's spectrum is computed here in
 * double precision and stored as a constant, so the graph has one forward and one inverse transform
 * of the input. The matrix form uses the shortest such n; the {@code DFT} form the next power of
 * two (ONNX Runtime's DFT is a radix-2 FFT only there).
 */
final class FftConvExport {

    private FftConvExport() {}

    /** A convolution's geometry, per spatial axis. */
    record Geometry(
            int[] stride,
            int[] dilation,
            int groups,
            int[] padLeft,
            int[] padRight,
            PaddingMode mode) {}

    static OnnxValue convolve(
            ExportContext ctx, OnnxValue x, NDArray weight, NDArray bias, Geometry g) {
        int dims = x.rank() - 2;
        long channels = x.dim(1);
        long[] ws = weight.getShape().getShape();
        boolean depthwise = g.groups() == channels && ws[0] == channels && ws[1] == 1;
        boolean unit =
                Arrays.stream(g.stride()).allMatch(s -> s == 1)
                        && Arrays.stream(g.dilation()).allMatch(d -> d == 1);
        int[] in = new int[dims];
        int[] kernel = new int[dims];
        for (int i = 0; i < dims; i++) {
            in[i] = (int) x.dim(2 + i);
            kernel[i] = (int) ws[2 + i];
        }
        ConvMethod method =
                depthwise && unit
                        ? TransformRule.conv(ctx.options().convMethod(), in, kernel)
                        : ConvMethod.DIRECT;
        OnnxValue padded = x;
        int[] pl = g.padLeft().clone();
        int[] pr = g.padRight().clone();
        if (g.mode() != PaddingMode.ZEROS) {
            padded = padSpatial(ctx, x, pl, pr, g.mode());
            Arrays.fill(pl, 0);
            Arrays.fill(pr, 0);
        }
        OnnxValue y;
        if (method == ConvMethod.DIRECT) {
            y =
                    ctx.ops()
                            .conv(
                                    padded,
                                    ctx.graph().constant("weight", weight),
                                    null,
                                    toLong(pl),
                                    toLong(pr),
                                    toLong(g.stride()),
                                    toLong(g.dilation()),
                                    g.groups());
        } else {
            y = spectral(ctx, padded, weight, pl, pr, method);
        }
        if (bias != null) {
            long[] shape = new long[dims + 1];
            Arrays.fill(shape, 1);
            shape[0] = bias.getShape().get(0);
            y = ctx.ops().add(y, ctx.graph().constant("bias", Floats.of(bias), shape));
        }
        return y;
    }

    private static OnnxValue spectral(
            ExportContext ctx, OnnxValue x, NDArray weight, int[] pl, int[] pr, ConvMethod method) {
        int dims = x.rank() - 2;
        int channels = (int) x.dim(1);
        int[] len = new int[dims];
        int[] kernel = new int[dims];
        int[] out = new int[dims];
        int[] n = new int[dims];
        for (int i = 0; i < dims; i++) {
            len[i] = (int) x.dim(2 + i);
            kernel[i] = (int) weight.getShape().get(2 + i);
            out[i] = len[i] + pl[i] + pr[i] - kernel[i] + 1;
            int shortest = Math.max(Math.max(len[i] + Math.max(pl[i], pr[i]), kernel[i]), out[i]);
            n[i] = method == ConvMethod.DFT ? TransformRule.nextPowerOfTwo(shortest) : shortest;
        }
        KernelSpectrum k = KernelSpectrum.of(Floats.of(weight), channels, kernel, pl, n);
        SpectralOps f =
                ctx.spectral(method == ConvMethod.DFT ? SpectralMethod.DFT : SpectralMethod.MATMUL);
        int last = dims + 1;
        Spectrum z = f.rfft(x, last, n[dims - 1], 1);
        for (int a = dims - 2; a >= 0; a--) {
            z = f.fft(z, 2 + a, n[a], 1);
        }
        z = f.multiply(z, k.re(), k.im(), k.shape(), "kernel_spectrum");
        for (int a = 0; a < dims - 1; a++) {
            z = f.ifft(z, 2 + a, 0, out[a], 1.0 / n[a]);
        }
        return f.irfft(z, last, n[dims - 1], 0, out[dims - 1], 1.0 / n[dims - 1]);
    }

    /** Pads the spatial axes with reflection, replication or wrap-around. */
    static OnnxValue padSpatial(
            ExportContext ctx, OnnxValue x, int[] left, int[] right, PaddingMode mode) {
        OnnxOps ops = ctx.ops();
        int dims = left.length;
        if (mode == PaddingMode.CIRCULAR && ctx.graph().opset() < 19) {
            // Pad's wrap mode appears in opset 19: concatenate the wrapped slices instead
            OnnxValue y = x;
            for (int i = 0; i < dims; i++) {
                int axis = 2 + i;
                long size = y.dim(axis);
                if (left[i] > size || right[i] > size) {
                    throw ctx.unsupported(
                            "Pad(circular)",
                            "padding "
                                    + left[i]
                                    + "/"
                                    + right[i]
                                    + " exceeds the axis size "
                                    + size);
                }
                OnnxValue[] parts = {
                    left[i] > 0 ? ops.slice(y, axis, size - left[i], size) : null,
                    y,
                    right[i] > 0 ? ops.slice(y, axis, 0, right[i]) : null
                };
                y =
                        ops.concat(
                                axis,
                                Arrays.stream(parts)
                                        .filter(p -> p != null)
                                        .toArray(OnnxValue[]::new));
            }
            return y;
        }
        long[] begin = new long[dims + 2];
        long[] end = new long[dims + 2];
        for (int i = 0; i < dims; i++) {
            begin[2 + i] = left[i];
            end[2 + i] = right[i];
        }
        String onnxMode;
        switch (mode) {
            case REFLECT:
                onnxMode = "reflect";
                break;
            case REPLICATE:
                onnxMode = "edge";
                break;
            case CIRCULAR:
                onnxMode = "wrap";
                break;
            default:
                onnxMode = "constant";
                break;
        }
        return ops.pad(x, begin, end, onnxMode);
    }

    static long[] toLong(int[] a) {
        return Arrays.stream(a).asLongStream().toArray();
    }
}
