package org.fourier4j.onnx.exporters;

import ai.djl.ndarray.NDArray;
import org.fourier4j.fft.FftNorm;
import org.fourier4j.nn.DynamicFilter;
import org.fourier4j.nn.FourierMixer;
import org.fourier4j.nn.GlobalFilter;
import org.fourier4j.onnx.export.ExportContext;
import org.fourier4j.onnx.export.ExporterRegistry;
import org.fourier4j.onnx.graph.OnnxOps;
import org.fourier4j.onnx.graph.OnnxValue;
import org.fourier4j.onnx.spectral.SpectralMethod;
import org.fourier4j.onnx.spectral.SpectralOps;
import org.fourier4j.onnx.spectral.Spectrum;
import org.fourier4j.onnx.spectral.TransformRule;

/**
 * Exporters of the Fourier token mixers: FNet/FiT's {@link FourierMixer}, GFNet's {@link
 * GlobalFilter} and DFFormer's {@link DynamicFilter}; AFFNet's and the DCT mixer's are in {@link
 * AdaptiveMixerExporters}. Their transforms are written by the {@link SpectralMethod} that {@link
 * TransformRule} picks for their lengths (or the one the options force).
 */
final class SpectralMixerExporters {

    private SpectralMixerExporters() {}

    static void register(ExporterRegistry r) {
        r.register(FourierMixer.class, SpectralMixerExporters::fourierMixer);
        r.register(GlobalFilter.class, SpectralMixerExporters::globalFilter);
        r.register(DynamicFilter.class, SpectralMixerExporters::dynamicFilter);
        AdaptiveMixerExporters.register(r);
    }

    /** The transforms for a layer with these lengths, by the options or the rule. */
    static SpectralOps transforms(ExportContext ctx, int... lengths) {
        return ctx.spectral(TransformRule.spectral(ctx.options().spectralMethod(), lengths));
    }

    /** {@code Re} of the DFT over every axis but the batch, optionally orthonormal. */
    static OnnxValue fourierMixer(ExportContext ctx, FourierMixer block, OnnxValue x) {
        int rank = x.rank();
        int[] lengths = new int[rank - 1];
        long points = 1;
        for (int a = 1; a < rank; a++) {
            lengths[a - 1] = (int) x.dim(a);
            points *= x.dim(a);
        }
        SpectralOps f = transforms(ctx, lengths);
        double scale = block.getNorm() == FftNorm.ORTHO ? 1 / Math.sqrt(points) : 1;
        // full complex DFT along the last axis, then the other axes; only the real part of the last
        Spectrum z = f.fftOfReal(x, rank - 1, lengths[rank - 2], scale);
        for (int a = rank - 2; a >= 2; a--) {
            z = f.fft(z, a, lengths[a - 1], 1);
        }
        return f.realOfFft(z, 1, lengths[0], 1);
    }

    /** {@code irfft2(rfft2(x) * K)} over (H, W) of (B, H, W, C), K resized to the grid. */
    static OnnxValue globalFilter(ExportContext ctx, GlobalFilter block, OnnxValue x) {
        int h = (int) x.dim(1);
        int w = (int) x.dim(2);
        long c = x.dim(3);
        int half = w / 2 + 1;
        NDArray filter = block.filterFor(ctx.manager(), h, w); // (h, w/2+1, C, 2)
        float[][] parts = complexParts(filter);
        SpectralOps f = transforms(ctx, h, w);
        Spectrum z = f.fft(f.rfft(x, 2, w, 1), 1, h, 1);
        z = f.multiply(z, parts[0], parts[1], new long[] {h, half, c}, "filter");
        return f.irfft(f.ifft(z, 1, 0, h, 1.0 / h), 2, w, 0, w, 1.0 / w);
    }

    /**
     * Per image, the routing mix of the filter bank applied to the spectrum of {@code act1(pwconv1
     * x)} over (H, W) of (B, H, W, C), then {@code pwconv2}; the routing is a softmax over the F
     * filters of {@code reweight(mean_HW(x))}.
     */
    static OnnxValue dynamicFilter(ExportContext ctx, DynamicFilter block, OnnxValue x) {
        OnnxOps ops = ctx.ops();
        int h = (int) x.dim(1);
        int w = (int) x.dim(2);
        int half = w / 2 + 1;
        int filters = block.getFilters();
        long med = block.getExpandedChannels();
        OnnxValue pooled = ops.reduceMean(x, false, 1, 2);
        OnnxValue route =
                ops.softmax(
                        ops.reshape(
                                ctx.child(block, "reweight", pooled), OnnxOps.BATCH, filters, med),
                        1);
        OnnxValue hidden = ctx.child(block, "act1", ctx.child(block, "pwconv1", x));
        // the bank (H, W/2+1, F, 2) as (H (W/2+1), F) parts; (1, bins, F) x (B, F, M) per image
        float[][] parts = complexParts(block.filterBankFor(ctx.manager(), h, w));
        long bins = (long) h * half;
        OnnxValue[] mixed = new OnnxValue[2];
        for (int p = 0; p < 2; p++) {
            OnnxValue bank =
                    ctx.graph().constant(p == 0 ? "bank_re" : "bank_im", parts[p], bins, filters);
            mixed[p] = ops.reshape(ops.matMul(bank, route), OnnxOps.BATCH, h, half, med);
        }
        SpectralOps f = transforms(ctx, h, w);
        Spectrum z = f.fft(f.rfft(hidden, 2, w, 1), 1, h, 1);
        z = f.multiply(z, mixed[0], mixed[1]);
        OnnxValue y = f.irfft(f.ifft(z, 1, 0, h, 1.0 / h), 2, w, 0, w, 1.0 / w);
        return ctx.child(block, "pwconv2", y);
    }

    /** Splits a real (..., 2) array into its real and imaginary parts. */
    static float[][] complexParts(NDArray a) {
        double[] v = Floats.of(a);
        float[] re = new float[v.length / 2];
        float[] im = new float[v.length / 2];
        for (int i = 0; i < re.length; i++) {
            re[i] = (float) v[2 * i];
            im[i] = (float) v[2 * i + 1];
        }
        return new float[][] {re, im};
    }
}
