package org.fourier4j.onnx.spectral;

import java.util.HashMap;
import java.util.Map;
import org.fourier4j.onnx.graph.OnnxOps;
import org.fourier4j.onnx.graph.OnnxValue;
import org.fourier4j.onnx.spectral.DftMatrices.Range;

/**
 * Transforms as products with precomputed cosine/sine matrices, complex values as (real, imaginary)
 * pairs. A transform along an axis of length L to n bins costs {@code n L} multiply-adds per line
 * for a real input, four times that for a complex one; ONNX Runtime runs each product as batched
 * GEMMs, which beats its {@code DFT} kernel by far at the small, non-power-of-two lengths of vision
 * token grids (see {@link TransformRule}). Cropping and zero-padding are folded into the matrices.
 */
final class MatrixSpectralOps extends SpectralOps {

    /**
     * Transforms at least this long are factored ({@link LongTransforms}) instead of one dense
     * product: at 512 a two-factor split already needs 10 times fewer multiply-adds than the n^2
     * product, which outweighs its dozen extra nodes; shorter axes (vision grids, 197 tokens) stay
     * dense. Measured (loaded machine, docs/onnx.md): 1024 tokens x 192, 44 ms dense against 20 ms
     * factored; FiT-Ti at 224 (3137 tokens, prime: Rader), 6 times fourier4j's own mixer dense
     * against 1 to 1.2 times factored.
     */
    static final int FACTOR_FROM = 512;

    private final Map<String, OnnxValue> matrices = new HashMap<>();
    private final LongTransforms factored;

    MatrixSpectralOps(OnnxOps ops) {
        super(ops);
        this.factored = new LongTransforms(this, ops);
    }

    /** A complex transform as one dense product (any length). */
    Spectrum denseTransform(Spectrum z, int axis, int n, double scale, int sign) {
        return rotate(z, axis, Range.of(n), Range.of((int) z.dim(axis)), n, scale, sign);
    }

    private Spectrum realAsComplex(OnnxValue x) {
        return Spectrum.pair(x, ops.scale(x, 0));
    }

    @Override
    public SpectralMethod method() {
        return SpectralMethod.MATMUL;
    }

    @Override
    public Spectrum rfft(OnnxValue x, int axis, int n, double scale) {
        int len = (int) x.dim(axis);
        checkLength(len, n, "rfft");
        if (n >= FACTOR_FROM) {
            Spectrum full = factored.transform(realAsComplex(x), axis, n, scale, -1);
            int a = x.axis(axis);
            return Spectrum.pair(
                    ops.slice(full.re(), a, 0, n / 2 + 1), ops.slice(full.im(), a, 0, n / 2 + 1));
        }
        Range bins = Range.of(n / 2 + 1);
        return Spectrum.pair(
                along(x, axis, Kind.COS, bins, Range.of(len), n, scale),
                along(x, axis, Kind.SIN, bins, Range.of(len), n, -scale));
    }

    @Override
    public Spectrum fftOfReal(OnnxValue x, int axis, int n, double scale) {
        int len = (int) x.dim(axis);
        checkLength(len, n, "fft");
        if (n >= FACTOR_FROM) {
            return factored.transform(realAsComplex(x), x.axis(axis), n, scale, -1);
        }
        return Spectrum.pair(
                along(x, axis, Kind.COS, Range.of(n), Range.of(len), n, scale),
                along(x, axis, Kind.SIN, Range.of(n), Range.of(len), n, -scale));
    }

    @Override
    public Spectrum fft(Spectrum z, int axis, int n, double scale) {
        int len = (int) z.dim(axis);
        checkLength(len, n, "fft");
        if (n >= FACTOR_FROM) {
            return factored.transform(z, complexAxis(z, axis), n, scale, -1);
        }
        return rotate(z, axis, Range.of(n), Range.of(len), n, scale, -1);
    }

    @Override
    public OnnxValue realOfFft(Spectrum z, int axis, int n, double scale) {
        int len = (int) z.dim(axis);
        checkLength(len, n, "fft");
        if (n >= FACTOR_FROM) {
            return factored.transform(z, complexAxis(z, axis), n, scale, -1).re();
        }
        // Re[(re + i im)(cos - i sin)] = re cos + im sin
        return ops.add(
                along(z.re(), axis, Kind.COS, Range.of(n), Range.of(len), n, scale),
                along(z.im(), axis, Kind.SIN, Range.of(n), Range.of(len), n, scale));
    }

    @Override
    public Spectrum ifft(Spectrum z, int axis, long keepFirst, int keepCount, double scale) {
        int n = (int) z.dim(axis);
        if (n >= FACTOR_FROM) {
            int a = complexAxis(z, axis);
            Spectrum full = factored.transform(z, a, n, scale, 1);
            return Spectrum.pair(
                    ops.slice(full.re(), a, keepFirst, keepFirst + keepCount),
                    ops.slice(full.im(), a, keepFirst, keepFirst + keepCount));
        }
        return rotate(z, axis, new Range(keepFirst, keepCount), Range.of(n), n, scale, 1);
    }

    /** {@code sum_t z[t] e^(sign 2 pi i k t / n)} for the rows k. */
    private Spectrum rotate(
            Spectrum z, int axis, Range rows, Range cols, int n, double scale, int sign) {
        OnnxValue re = z.re();
        OnnxValue im = z.im();
        OnnxValue cr = along(re, axis, Kind.COS, rows, cols, n, scale);
        OnnxValue ci = along(im, axis, Kind.COS, rows, cols, n, scale);
        OnnxValue sr = along(re, axis, Kind.SIN, rows, cols, n, scale);
        OnnxValue si = along(im, axis, Kind.SIN, rows, cols, n, scale);
        // (re + i im)(cos + i sign sin) = re cos - sign im sin + i (im cos + sign re sin)
        return sign < 0
                ? Spectrum.pair(ops.add(cr, si), ops.sub(ci, sr))
                : Spectrum.pair(ops.sub(cr, si), ops.add(ci, sr));
    }

    @Override
    public OnnxValue irfft(
            Spectrum z, int axis, int n, long keepFirst, int keepCount, double scale) {
        if (z.dim(axis) != n / 2 + 1) {
            throw new IllegalArgumentException(
                    "irfft: "
                            + z
                            + " has "
                            + z.dim(axis)
                            + " bins on axis "
                            + axis
                            + ", length "
                            + n
                            + " needs "
                            + (n / 2 + 1));
        }
        if (n >= FACTOR_FROM) {
            // the full spectrum from its Hermitian symmetry, a complex inverse, its real part
            int a = complexAxis(z, axis);
            long missing = n - (n / 2 + 1);
            OnnxValue re = z.re();
            OnnxValue im = z.im();
            if (missing > 0) {
                re = ops.concat(a, re, ops.reverse(ops.slice(re, a, 1, 1 + missing), a));
                im = ops.concat(a, im, ops.neg(ops.reverse(ops.slice(im, a, 1, 1 + missing), a)));
            }
            OnnxValue real = factored.transform(Spectrum.pair(re, im), a, n, scale, 1).re();
            return ops.slice(real, a, keepFirst, keepFirst + keepCount);
        }
        Range rows = new Range(keepFirst, keepCount);
        OnnxValue fromRe =
                along(z.re(), axis, Kind.INVERSE_REAL_RE, rows, Range.of(n / 2 + 1), n, scale);
        OnnxValue fromIm =
                along(z.im(), axis, Kind.INVERSE_REAL_IM, rows, Range.of(n / 2 + 1), n, scale);
        return ops.add(fromRe, fromIm);
    }

    @Override
    public Spectrum multiply(Spectrum z, float[] re, float[] im, long[] shape, String hint) {
        OnnxValue kr = ops.graph().constant(hint + "_re", re, shape);
        OnnxValue ki = ops.graph().constant(hint + "_im", im, shape);
        return multiply(z, kr, ki);
    }

    @Override
    public Spectrum multiply(Spectrum z, OnnxValue re, OnnxValue im) {
        OnnxValue a = z.re();
        OnnxValue b = z.im();
        return Spectrum.pair(
                ops.sub(ops.mul(a, re), ops.mul(b, im)), ops.add(ops.mul(a, im), ops.mul(b, re)));
    }

    @Override
    public OnnxValue real(Spectrum z) {
        return z.re();
    }

    @Override
    public OnnxValue imag(Spectrum z) {
        return z.im();
    }

    @Override
    public Spectrum transpose(Spectrum z, int... perm) {
        return Spectrum.pair(ops.transpose(z.re(), perm), ops.transpose(z.im(), perm));
    }

    @Override
    public Spectrum complex(OnnxValue re, OnnxValue im) {
        return Spectrum.pair(re, im);
    }

    private static int complexAxis(Spectrum z, int axis) {
        return axis < 0 ? axis + z.rank() : axis;
    }

    private enum Kind {
        COS,
        SIN,
        INVERSE_REAL_RE,
        INVERSE_REAL_IM
    }

    /** Applies the (rows, cols) matrix of a kind along an axis of x. */
    private OnnxValue along(
            OnnxValue x, int axis, Kind kind, Range rows, Range cols, int n, double scale) {
        if (x.dim(axis) != cols.count()) {
            throw new IllegalArgumentException(
                    "transform matrix with "
                            + cols.count()
                            + " columns applied to axis "
                            + axis
                            + " of "
                            + x);
        }
        return AxisProducts.along(
                ops,
                x,
                axis,
                rows.count(),
                transposed -> matrix(kind, rows, cols, n, scale, transposed));
    }

    private OnnxValue matrix(
            Kind kind, Range rows, Range cols, int n, double scale, boolean transposed) {
        String key = kind + "|" + rows + "|" + cols + "|" + n + "|" + scale + "|" + transposed;
        OnnxValue m = matrices.get(key);
        if (m != null) {
            return m;
        }
        double[] values;
        switch (kind) {
            case COS:
                values = DftMatrices.cos(rows, cols, n, scale);
                break;
            case SIN:
                values = DftMatrices.sin(rows, cols, n, scale);
                break;
            case INVERSE_REAL_RE:
                values = DftMatrices.inverseReal(rows, n, scale)[0];
                break;
            default:
                values = DftMatrices.inverseReal(rows, n, scale)[1];
                break;
        }
        int r = rows.count();
        int c = cols.count();
        String previous = ops.graph().setScope("dft");
        String name = kind.name().toLowerCase(java.util.Locale.ROOT) + "_n" + n;
        m =
                transposed
                        ? ops.graph().constant(name, DftMatrices.transpose(values, r, c), c, r)
                        : ops.graph().constant(name, values, r, c);
        ops.graph().setScope(previous);
        matrices.put(key, m);
        return m;
    }
}
