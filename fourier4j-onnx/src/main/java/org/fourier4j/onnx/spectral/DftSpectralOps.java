package org.fourier4j.onnx.spectral;

import java.util.ArrayList;
import java.util.List;
import org.fourier4j.onnx.graph.Attributes;
import org.fourier4j.onnx.graph.OnnxOps;
import org.fourier4j.onnx.graph.OnnxValue;
import org.fourier4j.onnx.proto.Onnx.AttributeProto;
import org.fourier4j.onnx.proto.Onnx.TensorProto.DataType;

/**
 * Transforms with ONNX's {@code DFT} operator, complex values interleaved in a trailing axis of 2.
 * Opset 17 to 19 take the axis as an attribute, opset 20 and later as an input. ONNX Runtime's
 * inverse is normalised by 1/n and has no one-sided (complex-to-real) form, so {@link #irfft}
 * rebuilds the full spectrum from its Hermitian symmetry and keeps the real part.
 */
final class DftSpectralOps extends SpectralOps {

    DftSpectralOps(OnnxOps ops) {
        super(ops);
    }

    @Override
    public SpectralMethod method() {
        return SpectralMethod.DFT;
    }

    @Override
    public Spectrum rfft(OnnxValue x, int axis, int n, double scale) {
        checkLength(x.dim(axis), n, "rfft");
        int a = x.axis(axis);
        return scaled(dft(ops.unsqueeze(x, -1), a, n, false, true), scale);
    }

    @Override
    public Spectrum fftOfReal(OnnxValue x, int axis, int n, double scale) {
        checkLength(x.dim(axis), n, "fft");
        int a = x.axis(axis);
        return scaled(dft(ops.unsqueeze(x, -1), a, n, false, false), scale);
    }

    @Override
    public Spectrum fft(Spectrum z, int axis, int n, double scale) {
        int a = complexAxis(z, axis);
        checkLength(z.dim(a), n, "fft");
        return scaled(dft(z.interleaved(), a, n, false, false), scale);
    }

    @Override
    public Spectrum ifft(Spectrum z, int axis, long keepFirst, int keepCount, double scale) {
        int a = complexAxis(z, axis);
        int n = (int) z.dim(a);
        OnnxValue y = dft(z.interleaved(), a, n, true, false);
        y = ops.slice(y, a, keepFirst, keepFirst + keepCount);
        return scaled(y, scale * n);
    }

    @Override
    public OnnxValue irfft(
            Spectrum z, int axis, int n, long keepFirst, int keepCount, double scale) {
        int a = complexAxis(z, axis);
        long half = z.dim(a);
        if (half != n / 2 + 1) {
            throw new IllegalArgumentException(
                    "irfft: "
                            + z
                            + " has "
                            + half
                            + " bins on axis "
                            + a
                            + ", length "
                            + n
                            + " needs "
                            + (n / 2 + 1));
        }
        OnnxValue h = z.interleaved();
        OnnxValue full = h;
        long missing = n - half;
        if (missing > 0) {
            // bins n-1 .. half are the conjugates of bins 1 .. n-half
            OnnxValue mirrored = ops.reverse(ops.slice(h, a, 1, 1 + missing), a);
            OnnxValue conj = ops.graph().constant("conj", new float[] {1, -1}, 2);
            full = ops.concat(a, h, ops.mul(mirrored, conj));
        }
        OnnxValue y = dft(full, a, n, true, false);
        OnnxValue real = ops.squeeze(ops.slice(y, -1, 0, 1), -1);
        return ops.scale(ops.slice(real, a, keepFirst, keepFirst + keepCount), scale * n);
    }

    @Override
    public Spectrum multiply(Spectrum z, float[] re, float[] im, long[] shape, String hint) {
        // (a + ib)(c + id) = [a, b] * [c, c] + [b, a] * [-d, d]
        float[] same = new float[2 * re.length];
        float[] cross = new float[2 * re.length];
        for (int i = 0; i < re.length; i++) {
            same[2 * i] = re[i];
            same[2 * i + 1] = re[i];
            cross[2 * i] = -im[i];
            cross[2 * i + 1] = im[i];
        }
        long[] s = java.util.Arrays.copyOf(shape, shape.length + 1);
        s[shape.length] = 2;
        OnnxValue z2 = z.interleaved();
        OnnxValue a = ops.mul(z2, ops.graph().constant(hint + "_re", same, s));
        OnnxValue b = ops.mul(ops.reverse(z2, -1), ops.graph().constant(hint + "_im", cross, s));
        return Spectrum.interleaved(ops.add(a, b));
    }

    @Override
    public Spectrum multiply(Spectrum z, OnnxValue re, OnnxValue im) {
        OnnxValue a = ops.slice(z.interleaved(), -1, 0, 1);
        OnnxValue b = ops.slice(z.interleaved(), -1, 1, 2);
        OnnxValue c = ops.unsqueeze(re, -1);
        OnnxValue d = ops.unsqueeze(im, -1);
        OnnxValue outRe = ops.sub(ops.mul(a, c), ops.mul(b, d));
        OnnxValue outIm = ops.add(ops.mul(a, d), ops.mul(b, c));
        return Spectrum.interleaved(ops.concat(-1, outRe, outIm));
    }

    @Override
    public OnnxValue real(Spectrum z) {
        return ops.squeeze(ops.slice(z.interleaved(), -1, 0, 1), -1);
    }

    @Override
    public OnnxValue imag(Spectrum z) {
        return ops.squeeze(ops.slice(z.interleaved(), -1, 1, 2), -1);
    }

    @Override
    public Spectrum transpose(Spectrum z, int... perm) {
        int[] full = java.util.Arrays.copyOf(perm, perm.length + 1);
        full[perm.length] = perm.length;
        return Spectrum.interleaved(ops.transpose(z.interleaved(), full));
    }

    @Override
    public Spectrum complex(OnnxValue re, OnnxValue im) {
        return Spectrum.interleaved(ops.concat(-1, ops.unsqueeze(re, -1), ops.unsqueeze(im, -1)));
    }

    private Spectrum scaled(OnnxValue z, double scale) {
        return Spectrum.interleaved(ops.scale(z, scale));
    }

    private static int complexAxis(Spectrum z, int axis) {
        int rank = z.rank();
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new IllegalArgumentException("axis " + axis + " out of range for " + z);
        }
        return a;
    }

    /** One {@code DFT} node over the interleaved (or trailing-1 real) value z. */
    private OnnxValue dft(OnnxValue z, int axis, int n, boolean inverse, boolean onesided) {
        if (axis == z.batchAxis() || axis >= z.rank() - 1) {
            throw new IllegalArgumentException(
                    "DFT: axis " + axis + " of " + z + " cannot be transformed");
        }
        long[] out = z.shape();
        out[axis] = onesided ? n / 2 + 1 : n;
        out[out.length - 1] = 2;
        List<OnnxValue> in = new ArrayList<>(List.of(z, ops.graph().longScalar(n)));
        List<AttributeProto> attributes = new ArrayList<>();
        attributes.add(Attributes.of("inverse", inverse ? 1L : 0L));
        attributes.add(Attributes.of("onesided", onesided ? 1L : 0L));
        if (ops.graph().opset() >= 20) {
            in.add(ops.graph().longScalar(axis));
        } else {
            attributes.add(Attributes.of("axis", (long) axis));
        }
        return ops.graph()
                .node(
                        "DFT",
                        in,
                        out,
                        z.batchAxis(),
                        DataType.FLOAT,
                        attributes.toArray(new AttributeProto[0]));
    }
}
