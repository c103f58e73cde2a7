package org.fourier4j.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fourier4j.bench.MixerBenchmark.Grid;
import org.fourier4j.bench.MixerBenchmark.Mixer;

/**
 * The rows and progress lines of {@link MixerBenchmark}: median ms per token count, the fitted
 * log-log slope between {@link MixerBenchmark#FIT_FROM} and {@link MixerBenchmark#FIT_TO}, and the
 * speed-up over attention.
 */
final class MixerTable {

    private MixerTable() {}

    static String summary(Grid g, boolean training, Map<Mixer, MixerTiming.Series> series) {
        StringBuilder sb =
                new StringBuilder(
                        String.format(
                                Locale.ROOT,
                                "  %s %d tokens (%s):",
                                training ? "training" : "inference",
                                g.tokens(),
                                g));
        for (Map.Entry<Mixer, MixerTiming.Series> e : series.entrySet()) {
            Double v = e.getValue().ms.get(g.tokens());
            sb.append(' ')
                    .append(e.getKey().label())
                    .append('=')
                    .append(
                            v == null || v.isNaN()
                                    ? "DNF"
                                    : String.format(Locale.ROOT, "%.2fms", v));
        }
        return sb.toString();
    }

    static Map<String, Object> row(
            Mixer m, boolean training, List<Grid> grids, Map<Mixer, MixerTiming.Series> all) {
        MixerTiming.Series ser = all.get(m);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("mixer", m.label());
        row.put("layout", m.layout().toString());
        row.put("mode", training ? "training" : "inference");
        List<Double> fitN = new ArrayList<>();
        List<Double> fitMs = new ArrayList<>();
        for (Grid g : grids) {
            double v = ser.ms.getOrDefault(g.tokens(), Double.NaN);
            row.put("ms_" + g.tokens(), Double.isNaN(v) ? "DNF" : round(v));
            if (!Double.isNaN(v)
                    && g.tokens() >= MixerBenchmark.FIT_FROM
                    && g.tokens() <= MixerBenchmark.FIT_TO) {
                fitN.add((double) g.tokens());
                fitMs.add(v);
            }
        }
        row.put(
                "slope_" + MixerBenchmark.FIT_FROM + "_" + MixerBenchmark.FIT_TO,
                fitN.size() >= 2 ? round(slope(fitN, fitMs)) : null);
        int reference = referenceTokens(all);
        if (reference > 0) {
            double mine = ser.ms.getOrDefault(reference, Double.NaN);
            double attention =
                    all.get(Mixer.MULTI_HEAD_SELF_ATTENTION).ms.getOrDefault(reference, Double.NaN);
            row.put(
                    "speedup_vs_attention_" + reference,
                    Double.isNaN(mine) || Double.isNaN(attention) ? null : round(attention / mine));
        }
        row.put("dnf", ser.notes.isEmpty() ? "" : String.join("; ", ser.notes));
        return row;
    }

    /** 4096 when attention was measured there, else the largest count where it was; 0 if none. */
    private static int referenceTokens(Map<Mixer, MixerTiming.Series> all) {
        MixerTiming.Series attention = all.get(Mixer.MULTI_HEAD_SELF_ATTENTION);
        if (attention == null) {
            return 0;
        }
        if (!Double.isNaN(attention.ms.getOrDefault(4096, Double.NaN))) {
            return 4096;
        }
        int best = 0;
        for (Map.Entry<Integer, Double> e : attention.ms.entrySet()) {
            if (!e.getValue().isNaN()) {
                best = Math.max(best, e.getKey());
            }
        }
        return best;
    }

    /**
     * Least-squares slope of log(y) against log(x).
     *
     * @param x at least two positive values, not all equal
     * @param y positive values
     * @return the fitted exponent
     */
    static double slope(List<Double> x, List<Double> y) {
        int n = x.size();
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += Math.log(x.get(i));
            my += Math.log(y.get(i));
        }
        mx /= n;
        my /= n;
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < n; i++) {
            double dx = Math.log(x.get(i)) - mx;
            sxy += dx * (Math.log(y.get(i)) - my);
            sxx += dx * dx;
        }
        return sxy / sxx;
    }

    private static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }
}
