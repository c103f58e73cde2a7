package org.fourier4j.nn;

/**
 * Soft radial frequency bands over an H x W grid of DCT coefficients, for {@link SpectrumMixer}.
 *
 * <p>Coefficient (u, v) has normalised radial frequency {@code rho = sqrt((u/(H-1))^2 +
 * (v/(W-1))^2) / sqrt 2} (a term is 0 when its size is 1), so {@code rho} runs from 0 (DC) to 1
 * (the highest coefficient on both axes) at every resolution - the same "frequency relative to the
 * grid's highest" scaling GFNet applies when it resizes a filter. K band centres sit evenly on
 * {@code [0, rho_max]}; each coefficient belongs to the two nearest bands with linear (triangular)
 * weights, which sum to 1. A per-band weight vector therefore becomes a piecewise-linear radial
 * filter.
 */
final class SpectralBands {

    private final int height;
    private final int width;
    private final int bands;
    private final double[] assignment;
    private final double[] mass;

    SpectralBands(int height, int width, int bands) {
        this.height = height;
        this.width = width;
        this.bands = bands;
        int n = height * width;
        double[] rho = new double[n];
        double max = 0;
        for (int u = 0; u < height; u++) {
            for (int v = 0; v < width; v++) {
                double a = height > 1 ? (double) u / (height - 1) : 0;
                double b = width > 1 ? (double) v / (width - 1) : 0;
                rho[u * width + v] = Math.sqrt((a * a + b * b) / 2);
                max = Math.max(max, rho[u * width + v]);
            }
        }
        assignment = new double[n * bands];
        mass = new double[bands];
        double step = max / (bands - 1);
        for (int i = 0; i < n; i++) {
            double position = step > 0 ? rho[i] / step : 0;
            for (int k = 0; k < bands; k++) {
                double wgt = Math.max(0, 1 - Math.abs(position - k));
                assignment[i * bands + k] = wgt;
                mass[k] += wgt;
            }
        }
    }

    /** Row-major (H W, K) weights of each coefficient in each band; rows sum to 1. */
    double[] assignment() {
        return assignment;
    }

    /** Row-major (H W, K) weights divided by each band's total weight (columns sum to 1). */
    double[] averaging() {
        double[] a = assignment.clone();
        for (int i = 0; i < a.length; i++) {
            a[i] /= mass[i % bands];
        }
        return a;
    }

    /** Returns the first band no coefficient falls into, or -1 when every band is populated. */
    int firstEmptyBand() {
        for (int k = 0; k < bands; k++) {
            if (!(mass[k] > 1e-12)) {
                return k;
            }
        }
        return -1;
    }

    int height() {
        return height;
    }

    int width() {
        return width;
    }
}
