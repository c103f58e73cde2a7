package org.fourier4j.fft;

import java.util.Locale;

/**
 * Predicts the time of a convolution by DIRECT and by FFT from its shape, with rates measured on
 * this machine ({@link ConvAutoTuner} calibrates them).
 *
 * <ul>
 *   <li>DIRECT: {@code macs / rate + overhead}, with separate rates for depthwise-like (one input
 *       channel per group) and dense/grouped convolutions: oneDNN's depthwise kernels run an order
 *       of magnitude below its dense ones per multiply-add.
 *   <li>FFT: the transforms ({@code channels x points x log2(points)} for input, output and, when
 *       not cached, the kernel) at one rate, plus the per-frequency channel products (complex
 *       multiply-adds) at another, plus overhead.
 * </ul>
 *
 * <p>The model sees none of the engine's algorithm switches (libtorch's direct depthwise
 * convolution slows down 10-25x per multiply-add from kernel 15 on), so {@link ConvAutoTuner} lets
 * it decide alone only where measurements have validated it ({@link ModelValidation}).
 */
record CostModel(
        double directDepthwiseMacsPerMs,
        double directDenseMacsPerMs,
        double fftPointLogsPerMs,
        double complexMacsPerMs,
        double overheadMs) {

    /**
     * The largest factor by which any rate differs between two models (1 for equal models).
     *
     * @param other another model
     * @return the factor, at least 1
     */
    double maxRateFactor(CostModel other) {
        double[] a = rates();
        double[] b = other.rates();
        double f = 1;
        for (int i = 0; i < a.length; i++) {
            f = Math.max(f, Math.max(a[i] / b[i], b[i] / a[i]));
        }
        return f;
    }

    private double[] rates() {
        return new double[] {
            directDepthwiseMacsPerMs,
            directDenseMacsPerMs,
            fftPointLogsPerMs,
            complexMacsPerMs,
            overheadMs
        };
    }

    double directMs(ConvGeometry g) {
        double rate = g.inPerGroup() == 1 ? directDepthwiseMacsPerMs : directDenseMacsPerMs;
        return g.directMacs() / rate + overheadMs;
    }

    double fftMs(ConvGeometry g, boolean kernelCached) {
        FftConvPlan plan = FftConvolution.plan(g);
        int[] n = plan.fftSize();
        int phases = 1;
        int[] stride = g.stride();
        double points = 1;
        double bins = 1;
        for (int i = 0; i < n.length; i++) {
            points *= n[i];
            bins *= i == n.length - 1 ? n[i] / 2 + 1 : n[i];
            phases *= plan.isPolyphase() ? stride[i] : 1;
        }
        double perTransform = points * Math.max(1, Math.log(points) / Math.log(2)) / 2;
        double transforms = (double) g.batch() * (g.inChannels() * phases + g.outChannels());
        if (!kernelCached) {
            transforms += (double) g.outChannels() * g.inPerGroup() * phases;
        }
        double products = (double) g.batch() * g.outChannels() * g.inPerGroup() * phases * bins;
        return transforms * perTransform / fftPointLogsPerMs
                + products / complexMacsPerMs
                + overheadMs;
    }

    String encode() {
        return String.format(
                Locale.ROOT,
                "%.6g|%.6g|%.6g|%.6g|%.6g",
                directDepthwiseMacsPerMs,
                directDenseMacsPerMs,
                fftPointLogsPerMs,
                complexMacsPerMs,
                overheadMs);
    }

    static CostModel decode(String s) {
        String[] p = s.split("\\|");
        if (p.length != 5) {
            return null;
        }
        try {
            double[] v = new double[5];
            for (int i = 0; i < 5; i++) {
                v[i] = Double.parseDouble(p[i]);
                if (!(v[i] > 0) || Double.isInfinite(v[i])) {
                    return null;
                }
            }
            return new CostModel(v[0], v[1], v[2], v[3], v[4]);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
