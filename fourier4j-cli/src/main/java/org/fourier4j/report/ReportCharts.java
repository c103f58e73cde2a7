package org.fourier4j.report;

import static org.fourier4j.report.BenchmarkRows.number;
import static org.fourier4j.report.BenchmarkRows.text;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The report's plots, built with XChart from benchmark rows and training runs. */
public final class ReportCharts {

    static final int WIDTH = 900;
    static final int HEIGHT = 520;

    private ReportCharts() {}

    private static XYChart chart(String title, String x, String y, boolean logX, boolean logY) {
        XYChart c =
                new XYChartBuilder()
                        .width(WIDTH)
                        .height(HEIGHT)
                        .title(title)
                        .xAxisTitle(x)
                        .yAxisTitle(y)
                        .build();
        c.getStyler().setXAxisLogarithmic(logX);
        c.getStyler().setYAxisLogarithmic(logY);
        c.getStyler().setXAxisDecimalPattern("#,##0.###");
        c.getStyler().setYAxisDecimalPattern("#,##0.###");
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        c.getStyler().setMarkerSize(7);
        c.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        c.getStyler().setPlotGridLinesVisible(true);
        return c;
    }

    /** Points per series, in insertion order of the series and ascending x within one. */
    private static final class Series {
        final Map<String, TreeMap<Double, Double>> points = new LinkedHashMap<>();

        void add(String series, double x, double y) {
            if (!Double.isNaN(x) && !Double.isNaN(y)) {
                points.computeIfAbsent(series, k -> new TreeMap<>()).put(x, y);
            }
        }

        int addTo(XYChart chart) {
            return addTo(chart, 1);
        }

        /** Adds the series with at least {@code minPoints} points; returns how many. */
        int addTo(XYChart chart, int minPoints) {
            int added = 0;
            double[] x = {Double.MAX_VALUE, 0};
            double[] y = {Double.MAX_VALUE, 0};
            for (Map.Entry<String, TreeMap<Double, Double>> e : points.entrySet()) {
                if (e.getValue().size() < minPoints) {
                    continue;
                }
                double[] xs =
                        e.getValue().keySet().stream().mapToDouble(Double::doubleValue).toArray();
                double[] ys =
                        e.getValue().values().stream().mapToDouble(Double::doubleValue).toArray();
                XYSeries s = chart.addSeries(e.getKey(), xs, ys);
                s.setMarker(SeriesMarkers.CIRCLE);
                added++;
                for (int i = 0; i < xs.length; i++) {
                    x[0] = Math.min(x[0], xs[i]);
                    x[1] = Math.max(x[1], xs[i]);
                    y[0] = Math.min(y[0], ys[i]);
                    y[1] = Math.max(y[1], ys[i]);
                }
            }
            // a log axis spanning less than a decade and a half would show no label at all with
            // decade labels only (sizes 112..896); wider ones would crowd with 2x and 5x labels
            chart.getStyler().setXAxisLogarithmicDecadeOnly(x[1] > 30 * x[0]);
            chart.getStyler().setYAxisLogarithmicDecadeOnly(y[1] > 30 * y[0]);
            return added;
        }
    }

    /**
     * Latency against resolution, log-log, one line per model (and patch, and batch when several):
     * completed rows only (a DNF leaves its point out), and only models measured at two sizes or
     * more (a model timed at one size, as in the zoo-wide table, is in the table only).
     *
     * @param latency rows of {@code bench latency}
     * @return the chart, or null when no model has two completed sizes
     */
    public static XYChart latencyVsResolution(BenchmarkRows latency) {
        boolean batches = latency.rows().stream().map(r -> text(r, "batch")).distinct().count() > 1;
        Series s = new Series();
        for (Map<String, Object> r : latency.rows()) {
            if (!"ok".equals(text(r, "status"))) {
                continue;
            }
            String patch = text(r, "patch");
            String name =
                    text(r, "model")
                            + (patch.isEmpty() ? "" : " /" + patch)
                            + (batches ? " (batch " + text(r, "batch") + ")" : "");
            s.add(name, number(r, "image_size"), number(r, "median_ms"));
        }
        XYChart c =
                chart(
                        "Inference latency against resolution",
                        "image size (pixels per side)",
                        "median ms per batch",
                        true,
                        true);
        return s.addTo(c, 2) == 0 ? null : c;
    }

    /**
     * Speed-up of FFT over direct convolution against kernel size (the crossover curve), one line
     * per input shape and batch, with the break-even line at 1.
     *
     * @param conv rows of {@code bench conv}
     * @return the chart, or null when no row has both timings
     */
    public static XYChart fftSpeedupVsKernel(BenchmarkRows conv) {
        Series s = new Series();
        double minK = Double.MAX_VALUE;
        double maxK = 0;
        for (Map<String, Object> r : conv.rows()) {
            double k = number(r, "kernel");
            double speedup = number(r, "direct_ms") / number(r, "fft_ms");
            s.add("depthwise " + text(r, "shape") + ", batch " + text(r, "batch"), k, speedup);
            if (!Double.isNaN(k) && !Double.isNaN(speedup)) {
                minK = Math.min(minK, k);
                maxK = Math.max(maxK, k);
            }
        }
        XYChart c =
                chart(
                        "FFT over direct convolution against kernel size",
                        "kernel size k (k x k)",
                        "speed-up (direct ms / FFT ms)",
                        false,
                        true);
        if (s.addTo(c) == 0) {
            return null;
        }
        XYSeries even = c.addSeries("break-even", new double[] {minK, maxK}, new double[] {1, 1});
        even.setMarker(SeriesMarkers.NONE);
        even.setLineColor(java.awt.Color.GRAY);
        return c;
    }

    /**
     * Mixer time against token count, log-log, one line per mixer (and mode when several).
     *
     * @param mixers rows of {@code bench mixers}
     * @return the chart, or null when nothing was timed
     */
    public static XYChart mixerTimeVsTokens(BenchmarkRows mixers) {
        boolean modes = mixers.rows().stream().map(r -> text(r, "mode")).distinct().count() > 1;
        Series s = new Series();
        for (Map<String, Object> r : mixers.rows()) {
            String name = text(r, "mixer") + (modes ? " (" + text(r, "mode") + ")" : "");
            for (int tokens : tokenCounts(r)) {
                s.add(name, tokens, number(r, "ms_" + tokens));
            }
        }
        XYChart c =
                chart(
                        "Token mixers against token count",
                        "tokens N",
                        "median ms per run",
                        true,
                        true);
        return s.addTo(c) == 0 ? null : c;
    }

    /**
     * The token counts a {@code bench mixers} row has columns for ({@code ms_<N>}).
     *
     * @param row a row
     * @return the counts, ascending
     */
    static List<Integer> tokenCounts(Map<String, Object> row) {
        List<Integer> counts = new ArrayList<>();
        for (String key : row.keySet()) {
            if (key.startsWith("ms_")) {
                try {
                    counts.add(Integer.parseInt(key.substring(3)));
                } catch (NumberFormatException e) {
                    // not a token column
                }
            }
        }
        counts.sort(null);
        return counts;
    }

    /**
     * Validation top-1 against wall time, one line per run.
     *
     * @param runs the runs
     * @return the chart, or null when no run has validation
     */
    public static XYChart validationAccuracy(List<TrainingRunCurve> runs) {
        Series s = new Series();
        for (TrainingRunCurve run : runs) {
            for (TrainingRunCurve.Epoch e : run.epochs()) {
                s.add(label(run), e.minutes(), 100 * e.valTop1());
            }
        }
        XYChart c =
                chart(
                        "Validation top-1 during training",
                        "minutes since the start",
                        "validation top-1 (%)",
                        false,
                        false);
        return s.addTo(c) == 0 ? null : c;
    }

    /**
     * Training loss against epoch, one line per run.
     *
     * @param runs the runs
     * @return the chart, or null when no run has a loss
     */
    public static XYChart trainingLoss(List<TrainingRunCurve> runs) {
        Series s = new Series();
        for (TrainingRunCurve run : runs) {
            for (TrainingRunCurve.Epoch e : run.epochs()) {
                s.add(label(run), e.epoch(), e.trainLoss());
            }
        }
        XYChart c = chart("Training loss", "epoch", "mean training loss", false, false);
        return s.addTo(c) == 0 ? null : c;
    }

    static String label(TrainingRunCurve run) {
        return run.model().isEmpty() ? run.name() : run.name() + " (" + run.model() + ")";
    }
}
