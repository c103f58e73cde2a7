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
        OnnxValue padded = x;
        int[] pl = g.padLeft().clone();
        int[] pr = g.padRight().clone();
        ConvMethod method =
                depthwise && unit
                        ? TransformRule.conv(
                                ctx.options().convMethod(), channels, in, kernel, pl, pr)
                        : ConvMethod.DIRECT;
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
            int shortest = TransformRule.spectralLength(len[i], kernel[i], pl[i], pr[i]);
            n[i] = method == ConvMethod.DFT ? TransformRule.nextPowerOfTwo(shortest) : shortest;
        }
        KernelSpectrum k = KernelSpectrum.of(Floats.of(weight), channels, kernel, pl, n);
        SpectralOps f =
                ctx.spectral(method == ConvMethod.DFT ? SpectralMethod.DFT : SpectralMethod.MATMUL);
        int last = dims + 1;
        Spectrum z = f.rfft(x, last, n[dims - 1], 1);
        if (dims == 1) {
            z = f.multiply(z, k.re(), k.im(), k.shape(), "kernel_spectrum");
            return f.irfft(z, last, n[0], 0, out[0], 1.0 / n[0]);
        }
        // the other axes are transformed as the last one, in turn: each product is then one GEMM
        // over all channels instead of one small GEMM per channel
        int[] rotate = new int[dims + 2];
        for (int i = 0; i < rotate.length; i++) {
            rotate[i] = i < 2 ? i : 2 + (i - 2 + dims - 1) % dims;
        }
        int[] total = identity(dims + 2);
        for (int a = dims - 2; a >= 0; a--) {
            z = f.transpose(z, rotate); // axis 2 + a becomes the last
            z = f.fft(z, last, n[a], 1);
            total = compose(total, rotate);
        }
        // the kernel spectrum (C, n_1, ..., n_d/2+1) in the same axis order (no batch axis)
        int[] kernelPerm = new int[dims + 1];
        for (int i = 0; i <= dims; i++) {
            kernelPerm[i] = total[i + 1] - 1;
        }
        KernelSpectrum kp = k.permuted(kernelPerm);
        z = f.multiply(z, kp.re(), kp.im(), kp.shape(), "kernel_spectrum");
        int[] back = inverse(rotate);
        for (int a = 0; a < dims - 1; a++) {
            z = f.ifft(z, last, 0, out[a], 1.0 / n[a]);
            z = f.transpose(z, back);
        }
        return f.irfft(z, last, n[dims - 1], 0, out[dims - 1], 1.0 / n[dims - 1]);
    }

    private static int[] identity(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        return p;
    }

    /** The permutation of transposing by {@code first}, then by {@code then}. */
    private static int[] compose(int[] first, int[] then) {
        int[] p = new int[first.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = first[then[i]];
        }
        return p;
    }

    private static int[] inverse(int[] perm) {
        int[] inv = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            inv[perm[i]] = i;
        }
        return inv;
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
