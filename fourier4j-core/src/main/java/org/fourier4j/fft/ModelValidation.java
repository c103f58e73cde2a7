package org.fourier4j.fft;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where the cost model may decide alone: it has been checked against measurements there.
 *
 * <p>Every persisted measured decision leaves a point: its shape's family (dimensions, depthwise or
 * dense, strided, dilated, inference or training), kernel extent (the largest dilated kernel size),
 * and the measured over predicted time of each algorithm. The model is <em>validated</em> at an
 * extent k of a family when measured points lie on both sides of k (or at k) no more than {@value
 * #MAX_GAP}x apart in extent, at least two of them, and their ratios agree within {@value
 * #MAX_SPREAD}x for each algorithm; its predictions there are then scaled by the points' geometric
 * mean ratios. Anywhere else AUTO measures.
 *
 * <p>This is what keeps the model from deciding across a change of the engine's algorithm it cannot
 * see: libtorch's direct depthwise convolution on CPU is fast up to kernel 14 and 10-25x slower per
 * multiply-add from kernel 15 on (PyTorch 2.7.1, any input size we tried); points at 13 and 15 then
 * disagree, so no shape between them is left to the model, nor, with the gap limit, any extent far
 * from a measured one.
 */
final class ModelValidation {

    static final double MAX_GAP = 1.5;
    static final double MAX_SPREAD = 1.6;

    /** One measured decision's agreement with the model. */
    record Point(String model, String family, int extent, double directRatio, double fftRatio) {

        Map<String, String> fields() {
            Map<String, String> f = new LinkedHashMap<>();
            f.put("model", model);
            f.put("family", family);
            f.put("extent", Integer.toString(extent));
            f.put("direct_ratio", String.format(Locale.ROOT, "%.6g", directRatio));
            f.put("fft_ratio", String.format(Locale.ROOT, "%.6g", fftRatio));
            return f;
        }

        static Point fromFields(Map<String, String> f) {
            try {
                Point p =
                        new Point(
                                f.get("model"),
                                f.get("family"),
                                Integer.parseInt(f.get("extent")),
                                Double.parseDouble(f.get("direct_ratio")),
                                Double.parseDouble(f.get("fft_ratio")));
                boolean ok =
                        p.model() != null
                                && p.family() != null
                                && p.directRatio() > 0
                                && p.fftRatio() > 0
                                && !Double.isInfinite(p.directRatio())
                                && !Double.isInfinite(p.fftRatio());
                return ok ? p : null;
            } catch (RuntimeException e) {
                return null;
            }
        }
    }

    private final Map<String, Point> points = new ConcurrentHashMap<>();

    /** Adds or replaces the point of a decision key. */
    void put(String key, Point p) {
        points.put(key, p);
    }

    /** Forgets the points of a model (its rates changed) and returns their keys. */
    List<String> dropModel(String model) {
        List<String> keys = new ArrayList<>();
        points.entrySet()
                .removeIf(
                        e -> {
                            boolean drop = e.getValue().model().equals(model);
                            if (drop) {
                                keys.add(e.getKey());
                            }
                            return drop;
                        });
        return keys;
    }

    /**
     * The correction of the model's {DIRECT, FFT} predictions at an extent, or null where the model
     * is not validated.
     */
    double[] correction(String model, String family, int extent) {
        List<Point> same = new ArrayList<>();
        int lower = Integer.MIN_VALUE;
        int upper = Integer.MAX_VALUE;
        for (Point p : points.values()) {
            if (p.model().equals(model) && p.family().equals(family)) {
                same.add(p);
                if (p.extent() <= extent) {
                    lower = Math.max(lower, p.extent());
                }
                if (p.extent() >= extent) {
                    upper = Math.min(upper, p.extent());
                }
            }
        }
        if (lower == Integer.MIN_VALUE || upper == Integer.MAX_VALUE || upper > MAX_GAP * lower) {
            return null;
        }
        double[] min = {Double.MAX_VALUE, Double.MAX_VALUE};
        double[] max = {0, 0};
        double[] logSum = {0, 0};
        int n = 0;
        for (Point p : same) {
            if (p.extent() < lower || p.extent() > upper) {
                continue;
            }
            double[] r = {p.directRatio(), p.fftRatio()};
            for (int i = 0; i < 2; i++) {
                min[i] = Math.min(min[i], r[i]);
                max[i] = Math.max(max[i], r[i]);
                logSum[i] += Math.log(r[i]);
            }
            n++;
        }
        if (n < 2 || max[0] > MAX_SPREAD * min[0] || max[1] > MAX_SPREAD * min[1]) {
            return null;
        }
        return new double[] {Math.exp(logSum[0] / n), Math.exp(logSum[1] / n)};
    }

    /** The family of a call shape (see the class comment). */
    static String family(ConvGeometry g, String mode) {
        boolean dilated = false;
        for (int d : g.dilation()) {
            dilated |= d > 1;
        }
        return "conv"
                + g.dims()
                + "d "
                + (g.inPerGroup() == 1 ? "depthwise" : "dense")
                + (g.isStrided() ? " strided" : "")
                + (dilated ? " dilated" : "")
                + " "
                + mode;
    }

    /** The largest dilated kernel size of a call shape. */
    static int extent(ConvGeometry g) {
        int e = 1;
        for (int i = 0; i < g.dims(); i++) {
            e = Math.max(e, g.dilatedKernel(i));
        }
        return e;
    }
}
