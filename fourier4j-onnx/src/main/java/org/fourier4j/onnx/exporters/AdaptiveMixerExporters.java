package org.fourier4j.onnx.exporters;

import ai.djl.ndarray.NDArray;
import org.fourier4j.nn.AdaptiveFrequencyFilter;
import org.fourier4j.nn.BandWeightGenerator;
import org.fourier4j.nn.SpectrumMixer;
import org.fourier4j.onnx.export.ExportContext;
import org.fourier4j.onnx.export.ExporterRegistry;
import org.fourier4j.onnx.graph.OnnxOps;
import org.fourier4j.onnx.graph.OnnxValue;
import org.fourier4j.onnx.spectral.AxisProducts;
import org.fourier4j.onnx.spectral.DftMatrices;
import org.fourier4j.onnx.spectral.SpectralOps;
import org.fourier4j.onnx.spectral.Spectrum;

/**
 * Exporters of the input-dependent spectral mixers: AFFNet's {@link AdaptiveFrequencyFilter} (a
 * mask computed from the spectrum by a grouped complex MLP) and the DCT {@link SpectrumMixer} with
 * its {@link BandWeightGenerator}. The DCT is always a product with the orthonormal DCT matrix
 * (token grids are small; a DCT through {@code DFT} would need a transform of twice the length plus
 * twiddles).
 */
final class AdaptiveMixerExporters {

    private AdaptiveMixerExporters() {}

    static void register(ExporterRegistry r) {
        r.register(AdaptiveFrequencyFilter.class, AdaptiveMixerExporters::adaptiveFilter);
        r.register(SpectrumMixer.class, AdaptiveMixerExporters::spectrumMixer);
        r.register(BandWeightGenerator.class, AdaptiveMixerExporters::bandWeights);
    }

    static OnnxValue adaptiveFilter(ExportContext ctx, AdaptiveFrequencyFilter block, OnnxValue x) {
        OnnxOps ops = ctx.ops();
        OnnxValue z = ctx.hasChild(block, "norm") ? ctx.child(block, "norm", x) : x;
        long channels = x.dim(1);
        int h = (int) x.dim(2);
        int w = (int) x.dim(3);
        int half = w / 2 + 1;
        int groups = block.getGroups();
        long c = channels / groups;
        long bins = (long) h * half;
        double ortho = 1 / Math.sqrt((double) h * w);
        SpectralOps f = SpectralMixerExporters.transforms(ctx, h, w);
        Spectrum spectrum = f.fft(f.rfft(z, 3, w, ortho), 2, h, 1);
        OnnxValue re = ops.reshape(f.real(spectrum), OnnxOps.BATCH, groups, c, bins);
        OnnxValue im = ops.reshape(f.imag(spectrum), OnnxOps.BATCH, groups, c, bins);
        OnnxValue stacked = ops.concat(2, re, im); // (B, G, 2c, bins): [Re; Im] per group
        OnnxValue hidden =
                activate(ops, block.getActivation(), complexLayer(ctx, block, "w1", "b1", stacked));
        OnnxValue out = complexLayer(ctx, block, "w2", "b2", hidden);
        OnnxValue mask = ops.softShrink(out, block.getSparsityThreshold());
        OnnxValue maskRe = ops.reshape(ops.slice(mask, 2, 0, c), OnnxOps.BATCH, channels, h, half);
        OnnxValue maskIm =
                ops.reshape(ops.slice(mask, 2, c, 2 * c), OnnxOps.BATCH, channels, h, half);
        Spectrum filtered = f.multiply(spectrum, maskRe, maskIm);
        OnnxValue y = f.irfft(f.ifft(filtered, 2, 0, h, 1), 3, w, 0, w, ortho);
        return ops.add(y, z);
    }

    /**
     * One grouped complex linear layer on [Re; Im] stacked on axis 2 of (B, G, 2 in, bins): a
     * product with the real block matrix {@code [[Wr, -Wi], [Wi, Wr]]} (out, in) per group, plus
     * the stacked bias.
     */
    private static OnnxValue complexLayer(
            ExportContext ctx,
            AdaptiveFrequencyFilter block,
            String weight,
            String bias,
            OnnxValue z) {
        NDArray wa = ctx.parameter(block, weight); // (2, G, in, out)
        int groups = (int) wa.getShape().get(1);
        int in = (int) wa.getShape().get(2);
        int out = (int) wa.getShape().get(3);
        double[] wv = Floats.of(wa);
        double[] m = new double[groups * 2 * out * 2 * in];
        int partStride = groups * in * out;
        for (int g = 0; g < groups; g++) {
            for (int i = 0; i < in; i++) {
                for (int o = 0; o < out; o++) {
                    double wr = wv[(g * in + i) * out + o];
                    double wi = wv[partStride + (g * in + i) * out + o];
                    int base = g * 2 * out * 2 * in;
                    m[base + o * 2 * in + i] = wr; // Re out <- Re in
                    m[base + o * 2 * in + in + i] = -wi; // Re out <- Im in
                    m[base + (out + o) * 2 * in + i] = wi; // Im out <- Re in
                    m[base + (out + o) * 2 * in + in + i] = wr; // Im out <- Im in
                }
            }
        }
        double[] bv = Floats.of(ctx.parameter(block, bias)); // (2, G, out)
        double[] b = new double[groups * 2 * out];
        for (int g = 0; g < groups; g++) {
            for (int o = 0; o < out; o++) {
                b[g * 2 * out + o] = bv[g * out + o];
                b[g * 2 * out + out + o] = bv[groups * out + g * out + o];
            }
        }
        OnnxOps ops = ctx.ops();
        OnnxValue product =
                ops.matMul(ctx.graph().constant(weight, m, groups, 2L * out, 2L * in), z);
        return ops.add(product, ctx.graph().constant(bias, b, groups, 2L * out, 1));
    }

    private static OnnxValue activate(
            OnnxOps ops, AdaptiveFrequencyFilter.MaskActivation a, OnnxValue x) {
        switch (a) {
            case GELU:
                return ops.gelu(x, false);
            case SILU:
                return ops.mul(x, ops.sigmoid(x));
            default:
                return ops.relu(x);
        }
    }

    /** DCT-II over (H, W), band amplitudes, generated band weights, filter, DCT-III. */
    static OnnxValue spectrumMixer(ExportContext ctx, SpectrumMixer block, OnnxValue x) {
        OnnxOps ops = ctx.ops();
        long channels = x.dim(1);
        int h = (int) x.dim(2);
        int w = (int) x.dim(3);
        int bands = block.getBands();
        double[] dh = DftMatrices.dctII(h);
        double[] dw = DftMatrices.dctII(w);
        OnnxValue spectrum = dct(ctx, dct(ctx, x, 3, dw, w, false), 2, dh, h, false);
        OnnxValue flat = ops.reshape(ops.abs(spectrum), OnnxOps.BATCH, channels, (long) h * w);
        OnnxValue averaging =
                ctx.graph()
                        .constant("band_averaging", block.bandAveraging(h, w), (long) h * w, bands);
        OnnxValue amplitude = ops.transpose(ops.matMul(flat, averaging), 0, 2, 1); // (B, K, C)
        OnnxValue logits = ctx.child(block, "weight_generator", amplitude);
        OnnxValue weights = ops.transpose(ops.scale(ops.softmax(logits, 1), bands), 0, 2, 1);
        double[] membership = Floats.transpose(block.bandMembership(h, w), h * w, bands);
        OnnxValue filter =
                ops.matMul(
                        weights,
                        ctx.graph().constant("band_membership", membership, bands, (long) h * w));
        OnnxValue filtered = ops.mul(spectrum, ops.reshape(filter, OnnxOps.BATCH, channels, h, w));
        return dct(ctx, dct(ctx, filtered, 2, dh, h, true), 3, dw, w, true);
    }

    /** The orthonormal DCT-II along an axis, or its inverse (the transpose) when inverse is set. */
    private static OnnxValue dct(
            ExportContext ctx, OnnxValue x, int axis, double[] m, int n, boolean inverse) {
        double[] matrix = inverse ? DftMatrices.transpose(m, n, n) : m;
        return AxisProducts.along(
                ctx.ops(),
                x,
                axis,
                n,
                transposed ->
                        ctx.graph()
                                .constant(
                                        inverse ? "dct3" : "dct2",
                                        transposed ? DftMatrices.transpose(matrix, n, n) : matrix,
                                        n,
                                        n));
    }

    /** {@code fc2(GELU(fc1(a / (mean_k a + 1e-6)))) + band_bias} on (B, K, C). */
    static OnnxValue bandWeights(ExportContext ctx, BandWeightGenerator block, OnnxValue a) {
        OnnxOps ops = ctx.ops();
        OnnxValue relative = ops.div(a, ops.addScalar(ops.reduceMean(a, true, 1), 1e-6));
        OnnxValue hidden = ops.gelu(ctx.child(block, "fc1", relative), false);
        OnnxValue logits = ctx.child(block, "fc2", hidden);
        return ops.add(logits, ctx.parameterConstant(block, "band_bias"));
    }
}
