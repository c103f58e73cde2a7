package org.fourier4j.fft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * How one convolution shape is computed in the frequency domain. Pure arithmetic on the geometry;
 * the tensor work is in {@link #transformKernel}, {@link #transformInput}, {@link #multiply} and
 * {@link #inverse}.
 *
 * <h2>The stride-1 core</h2>
 *
 * <p>The input {@code x} (length S per axis) is transformed at a 7-smooth length {@code N >= max(S
 * + max(pL, pR), O)} with its zero padding left implicit: {@code rfft}/{@code fft} with {@code n =
 * N} zero-fill the tail. The (dilated) kernel taps are placed on the same circular grid at {@code
 * (j - pL) mod N}, so that the circular correlation's sample {@code i} is exactly output {@code i}:
 * every input position that an output reads is either real data or lands, modulo N, in the
 * zero-filled tail {@code [S, N)}; taps that meet modulo N (tiny inputs with wide padding) are
 * summed, which is exact for the same reason. The output is the first {@code O} samples, so no roll
 * and no padded copy of the input is ever made. {@code N} is usually far below the {@code S + K -
 * 1} of a plain linear convolution (72 instead of 90 for S=56, K=31, 'same').
 *
 * <h2>Strides: polyphase</h2>
 *
 * <p>With a stride {@code s > 1} the padded input and the dilated kernel are split into their
 * {@code s} phases per axis ({@code x_r[n] = x_pad[n*s + r]}, {@code w_r[t] = w[t*s + r]}); the
 * strided output is the stride-1 correlation of the phases, summed over phases: {@code y[i] = sum_r
 * sum_t x_r[i + t] w_r[t]}. Phases become extra input channels of each group, so the transforms run
 * at about 1/s of the length per axis and no full-resolution output is computed and thrown away.
 *
 * <h2>Channel mixing per frequency</h2>
 *
 * <ul>
 *   <li>depthwise (one input and output channel per group): an elementwise product;
 *   <li>channel multiplier (one input, several outputs per group): a broadcast product;
 *   <li>one output per group (e.g. a strided depthwise conv's phases): product and sum;
 *   <li>otherwise a batched complex matrix product over frequencies, (N x Cin/G) by (Cin/G x
 *       Cout/G) per group and frequency.
 * </ul>
 */
final class FftConvPlan {

    /** How channels are combined per frequency bin. */
    enum Product {
        ELEMENTWISE,
        MULTIPLIER,
        REDUCE,
        MATMUL
    }

    private final ConvGeometry g;
    private final int dims;
    private final boolean explicitPad;
    private final int[] phases;
    private final int phaseCount;
    private final int[] coreIn;
    private final int[] coreKernel;
    private final int[] corePadLeft;
    private final int[] fftSize;
    private final int[] out;
    private final int coreInPerGroup;
    private final Product product;
    private final String kernelKey;

    FftConvPlan(ConvGeometry g) {
        this.g = g;
        dims = g.dims();
        phases = new int[dims];
        coreIn = new int[dims];
        coreKernel = new int[dims];
        corePadLeft = new int[dims];
        fftSize = new int[dims];
        out = g.outputSize();
        int[] size = g.inputSize();
        int[] left = g.padLeft();
        int[] right = g.padRight();
        int[] stride = g.stride();
        boolean strided = g.isStrided();
        explicitPad = strided || g.paddingMode() != PaddingMode.ZEROS;
        int count = 1;
        for (int i = 0; i < dims; i++) {
            int kd = g.dilatedKernel(i);
            int padRightCore;
            if (strided) {
                phases[i] = stride[i];
                coreKernel[i] = ceilDiv(kd, stride[i]);
                coreIn[i] = out[i] + coreKernel[i] - 1;
                padRightCore = 0;
            } else if (explicitPad) {
                phases[i] = 1;
                coreKernel[i] = kd;
                coreIn[i] = size[i] + left[i] + right[i];
                padRightCore = 0;
            } else {
                phases[i] = 1;
                coreKernel[i] = kd;
                coreIn[i] = size[i];
                corePadLeft[i] = left[i];
                padRightCore = right[i];
            }
            count *= phases[i];
            // every position an output reads must map to itself or into the zero tail, and
            // every output sample needs its own slot (padding wider than the kernel)
            fftSize[i] =
                    FastFftLengths.nextSmooth(
                            Math.max(coreIn[i] + Math.max(corePadLeft[i], padRightCore), out[i]));
        }
        phaseCount = count;
        coreInPerGroup = g.inPerGroup() * phaseCount;
        int outPerGroup = g.outPerGroup();
        if (coreInPerGroup == 1) {
            product = outPerGroup == 1 ? Product.ELEMENTWISE : Product.MULTIPLIER;
        } else {
            product = outPerGroup == 1 ? Product.REDUCE : Product.MATMUL;
        }
        kernelKey =
                "w"
                        + g.outChannels()
                        + "x"
                        + g.inPerGroup()
                        + "x"
                        + Arrays.toString(g.kernelSize())
                        + " d"
                        + Arrays.toString(g.dilation())
                        + " ph"
                        + Arrays.toString(phases)
                        + " pl"
                        + Arrays.toString(corePadLeft)
                        + " n"
                        + Arrays.toString(fftSize)
                        + " g"
                        + g.groups()
                        + " "
                        + product
                        + " "
                        + g.dataType();
    }

    /**
     * @return the geometry this plan computes
     */
    ConvGeometry geometry() {
        return g;
    }

    /**
     * @return the FFT length per spatial axis
     */
    int[] fftSize() {
        return fftSize.clone();
    }

    /**
     * @return the channel mixing used per frequency
     */
    Product product() {
        return product;
    }

    /**
     * @return whether the stride is computed by polyphase splitting
     */
    boolean isPolyphase() {
        return phaseCount > 1;
    }

    /**
     * Identifies the kernel spectrum: equal keys mean {@link #transformKernel} gives the same
     * result for the same weight (the batch size does not enter).
     */
    String kernelKey() {
        return kernelKey;
    }

    /**
     * Transforms the weight (C_out, C_in/G, *k) into the conjugated spectrum laid out for {@link
     * #multiply}.
     */
    NDArray transformKernel(NDArray weight) {
        NDArray w = dilate(weight);
        if (isPolyphase()) {
            for (int i = 0; i < dims; i++) {
                w = Axes.fitEnd(w, i + 2, (long) coreKernel[i] * phases[i]);
            }
            w = toPhases(w);
        }
        for (int i = 0; i < dims; i++) {
            w = placeCircular(w, i + 2, fftSize[i], Math.floorMod(-corePadLeft[i], fftSize[i]));
        }
        NDArray k = forward(w).conj();
        int cout = g.outChannels();
        int groups = g.groups();
        Shape freq = frequencyShape();
        switch (product) {
            case ELEMENTWISE:
                return k.reshape(new Shape(cout).addAll(freq));
            case MULTIPLIER:
                return k.reshape(new Shape(groups, g.outPerGroup()).addAll(freq));
            case REDUCE:
                return k.reshape(new Shape(groups, coreInPerGroup).addAll(freq));
            default:
                // (groups, F, C_in/g, C_out/g) laid out contiguously once, here: a transposed
                // view would make every batched matmul copy the whole spectrum (the cached one
                // too); flattening forces the copy and keeps the autograd graph
                long f = freq.size();
                return k.reshape(groups, g.outPerGroup(), coreInPerGroup, f)
                        .transpose(0, 3, 2, 1)
                        .reshape(-1)
                        .reshape(groups, f, coreInPerGroup, g.outPerGroup());
        }
    }

    /** Pads/splits the input as the plan needs and transforms it: (N, C', *freq) complex. */
    NDArray transformInput(NDArray input) {
        NDArray x = input;
        if (explicitPad) {
            x = SignalPadding.pad(x, g.padLeft(), g.padRight(), g.paddingMode());
        }
        if (isPolyphase()) {
            for (int i = 0; i < dims; i++) {
                x = Axes.fitEnd(x, i + 2, (long) coreIn[i] * phases[i]);
            }
            x = toPhases(x);
        }
        return forward(x);
    }

    /** Combines input and kernel spectra over channels: (N, C_out, *freq) complex. */
    NDArray multiply(NDArray x, NDArray k) {
        int n = g.batch();
        int groups = g.groups();
        Shape freq = frequencyShape();
        switch (product) {
            case ELEMENTWISE:
                return x.mul(k);
            case MULTIPLIER:
                return x.reshape(new Shape(n, groups, 1).addAll(freq))
                        .mul(k)
                        .reshape(new Shape(n, g.outChannels()).addAll(freq));
            case REDUCE:
                return x.reshape(new Shape(n, groups, coreInPerGroup).addAll(freq))
                        .mul(k)
                        .sum(new int[] {2});
            default:
                return x.reshape(n, groups, coreInPerGroup, freq.size())
                        .transpose(1, 3, 0, 2)
                        .matMul(k)
                        .transpose(2, 0, 3, 1)
                        .reshape(new Shape(n, g.outChannels()).addAll(freq));
        }
    }

    /** Inverse transform, keeping the output samples only: (N, C_out, *out) real. */
    NDArray inverse(NDArray y) {
        NDArray r = y;
        for (int i = 0; i < dims - 1; i++) {
            r = Axes.slice(r.ifft(fftSize[i], i + 2), i + 2, 0, out[i]);
        }
        int last = dims - 1;
        r = r.irfft(fftSize[last], last + 2);
        return Axes.slice(r, last + 2, 0, out[last]);
    }

    /** Real FFT over the last axis, complex FFT over the other spatial axes, all at fftSize. */
    private NDArray forward(NDArray a) {
        int last = dims - 1;
        NDArray f = a.rfft(fftSize[last], last + 2);
        for (int i = last - 1; i >= 0; i--) {
            f = f.fft(fftSize[i], i + 2);
        }
        return f;
    }

    private Shape frequencyShape() {
        long[] f = new long[dims];
        for (int i = 0; i < dims - 1; i++) {
            f[i] = fftSize[i];
        }
        f[dims - 1] = fftSize[dims - 1] / 2 + 1;
        return new Shape(f);
    }

    /** Inserts dilation-1 zeros between kernel taps: k taps become d*(k-1)+1. */
    private NDArray dilate(NDArray w) {
        int[] dilation = g.dilation();
        int[] k = g.kernelSize();
        NDArray out = w;
        for (int i = 0; i < dims; i++) {
            int d = dilation[i];
            if (d == 1 || k[i] == 1) {
                continue;
            }
            int axis = i + 2;
            Shape s = out.getShape();
            NDArray spread = Axes.pad(out.expandDims(axis + 1), axis + 1, 0, d - 1L);
            long[] merged = s.getShape().clone();
            merged[axis] = (long) k[i] * d;
            out = Axes.slice(spread.reshape(new Shape(merged)), axis, 0, g.dilatedKernel(i));
        }
        return out;
    }

    /**
     * Splits each spatial axis of length L*s into s phases and moves the phases into the channel
     * axis: (A, C, L1*s1, ..., Ld*sd) to (A, C*s1*...*sd, L1, ..., Ld), channel c*P + r.
     */
    private NDArray toPhases(NDArray a) {
        Shape s = a.getShape();
        long[] split = new long[2 + 2 * dims];
        split[0] = s.get(0);
        split[1] = s.get(1);
        int[] perm = new int[2 + 2 * dims];
        perm[0] = 0;
        perm[1] = 1;
        long[] merged = new long[2 + dims];
        merged[0] = s.get(0);
        merged[1] = s.get(1) * phaseCount;
        for (int i = 0; i < dims; i++) {
            long len = s.get(i + 2) / phases[i];
            split[2 + 2 * i] = len;
            split[3 + 2 * i] = phases[i];
            perm[2 + i] = 3 + 2 * i;
            perm[2 + dims + i] = 2 + 2 * i;
            merged[2 + i] = len;
        }
        return a.reshape(new Shape(split)).transpose(perm).reshape(new Shape(merged));
    }

    /**
     * Lays the kernel taps along {@code axis} on a circular grid of length n, tap j at {@code (j +
     * offset) mod n}, summing taps that meet.
     */
    private static NDArray placeCircular(NDArray w, int axis, int n, int offset) {
        long k = w.getShape().get(axis);
        if (offset + k <= n) {
            return Axes.pad(w, axis, offset, n - offset - k);
        }
        if (k <= n) {
            // the taps wrap once: [head at offset..n) and [tail at 0..k-(n-offset))
            long headLength = n - offset;
            NDArray head = Axes.slice(w, axis, 0, headLength);
            NDArray tail = Axes.slice(w, axis, headLength, k);
            return Axes.concat(axis, Axes.pad(tail, axis, 0, n - k), head);
        }
        // more taps than grid points: lay them out on several turns and sum the turns
        long turns = ceilDiv(offset + k, n);
        NDArray laid = Axes.pad(w, axis, offset, turns * n - offset - k);
        long[] s = laid.getShape().getShape();
        long[] split = new long[s.length + 1];
        for (int i = 0, j = 0; i < s.length; i++) {
            if (i == axis) {
                split[j++] = turns;
                split[j++] = n;
            } else {
                split[j++] = s[i];
            }
        }
        return laid.reshape(new Shape(split)).sum(new int[] {axis});
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
