package org.fourier4j.report;

import static org.fourier4j.report.BenchmarkRows.number;
import static org.fourier4j.report.BenchmarkRows.text;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fourier4j.files.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;

/**
 * Writes {@code index.html} with the tables and plots (each plot as PNG, shown, and SVG, linked)
 * into a directory. Every file is replaced atomically, the page last, so a page never refers to a
 * plot that is not there.
 */
public final class HtmlReport {

    /** What the report shows; any part may be missing. */
    public static final class Content {
        /** Saved runs of {@code bench latency}, one section each. */
        public List<BenchmarkRows> latency = new ArrayList<>();

        /** Saved runs of {@code bench conv} (e.g. the sweep), one section each. */
        public List<BenchmarkRows> conv = new ArrayList<>();

        /** Saved runs of {@code bench mixers}, one section each. */
        public List<BenchmarkRows> mixers = new ArrayList<>();

        /** Training runs (may be empty). */
        public List<TrainingRunCurve> runs = new ArrayList<>();

        /** The machine and software the page states. */
        public String machine = "";
    }

    private final Path dir;
    private final List<String> written = new ArrayList<>();
    private final Set<String> ids = new java.util.HashSet<>();

    private HtmlReport(Path dir) {
        this.dir = dir;
    }

    /**
     * Writes the report.
     *
     * @param dir the output directory (created if needed)
     * @param content what to show
     * @return the files written, index.html last
     * @throws IOException if a file cannot be written
     */
    public static List<Path> write(Path dir, Content content) throws IOException {
        Files.createDirectories(dir);
        HtmlReport r = new HtmlReport(dir);
        String html = r.page(content);
        AtomicFiles.writeString(dir.resolve("index.html"), html);
        r.written.add("index.html");
        List<Path> files = new ArrayList<>();
        for (String f : r.written) {
            files.add(dir.resolve(f));
        }
        return files;
    }

    private String page(Content c) throws IOException {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>fourier4j benchmark report</title>\n<style>\n")
                .append("body{font-family:sans-serif;max-width:1200px;margin:2em auto;")
                .append("padding:0 1em;color:#222}\n")
                .append("table{border-collapse:collapse;margin:1em 0;font-size:90%}\n")
                .append("th,td{border:1px solid #ccc;padding:3px 8px;text-align:right}\n")
                .append("th{background:#f0f0f0}td.text{text-align:left}\n")
                .append("img{max-width:100%;border:1px solid #ddd}\n")
                .append(".source{color:#666;font-size:85%}\n</style>\n</head>\n<body>\n")
                .append("<h1>fourier4j benchmark report</h1>\n<p class=\"machine\">")
                .append(esc(c.machine))
                .append("</p>\n<p>All times are medians of repeated runs after warm-up, measured")
                .append(" side by side in one run per section; ratios compare rows of the same")
                .append(" section.</p>\n");
        for (BenchmarkRows r : c.latency) {
            String id = heading(h, "latency", r, c.latency.size(), "Whole-model latency");
            figure(h, "latency-vs-resolution" + suffix(id), ReportCharts.latencyVsResolution(r));
            table(h, id, withSlowdown(r.rows()));
        }
        for (BenchmarkRows r : c.conv) {
            String id = heading(h, "conv", r, c.conv.size(), "FFT against direct convolution");
            figure(h, "fft-speedup-vs-kernel" + suffix(id), ReportCharts.fftSpeedupVsKernel(r));
            table(h, id, r.rows());
        }
        for (BenchmarkRows r : c.mixers) {
            String id = heading(h, "mixers", r, c.mixers.size(), "Token mixers");
            figure(h, "mixers-vs-tokens" + suffix(id), ReportCharts.mixerTimeVsTokens(r));
            table(h, id, r.rows());
        }
        if (!c.runs.isEmpty()) {
            h.append("<h2 id=\"training\">Training runs</h2>\n");
            figure(h, "validation-top1", ReportCharts.validationAccuracy(c.runs));
            figure(h, "training-loss", ReportCharts.trainingLoss(c.runs));
            table(h, "training", runRows(c.runs));
        }
        h.append("<script>\n")
                .append("// marks each plot as the browser rendered it (checked by the tests)\n")
                .append("window.addEventListener('load', function () {\n")
                .append("  document.querySelectorAll('img').forEach(function (i) {\n")
                .append("    i.setAttribute('data-rendered',")
                .append(" i.complete && i.naturalWidth > 0 ? 'yes' : 'no');\n")
                .append("  });\n});\n</script>\n</body>\n</html>\n");
        return h.toString();
    }

    /**
     * Starts a benchmark run's section: its heading and where the rows came from.
     *
     * @return the section's id
     */
    private String heading(
            StringBuilder h, String kind, BenchmarkRows r, int sections, String title) {
        String id = unique(kind, r, sections);
        h.append("<h2 id=\"").append(id).append("\">").append(title).append("</h2>\n");
        source(h, r);
        return id;
    }

    /**
     * A section's id: the kind alone when it has one section, else the kind and the run's name
     * (letters, digits and dashes), made unique.
     */
    private String unique(String kind, BenchmarkRows r, int sections) {
        String id = kind;
        if (sections > 1) {
            String name = r.name().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
            id = kind + "-" + name.replaceAll("^-+|-+$", "");
        }
        String candidate = id;
        for (int n = 2; !ids.add(candidate); n++) {
            candidate = id + "-" + n;
        }
        return candidate;
    }

    /** The part of a section id after its kind ("" or "-name"), to name its plot. */
    private static String suffix(String id) {
        int dash = id.indexOf('-');
        return dash < 0 ? "" : id.substring(dash);
    }

    private static void source(StringBuilder h, BenchmarkRows rows) {
        h.append("<p class=\"source\">from ").append(esc(rows.source())).append("</p>\n");
    }

    private void figure(StringBuilder h, String name, XYChart chart) throws IOException {
        if (chart == null) {
            h.append("<p>Nothing to plot: no completed series with enough points.</p>\n");
            return;
        }
        String png = name + ".png";
        String svg = name + ".svg";
        AtomicFiles.write(
                dir.resolve(png),
                out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
        AtomicFiles.write(
                dir.resolve(svg),
                out ->
                        VectorGraphicsEncoder.saveVectorGraphic(
                                chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG));
        written.add(png);
        written.add(svg);
        h.append("<figure>\n<img src=\"")
                .append(png)
                .append("\" alt=\"")
                .append(esc(chart.getTitle()))
                .append("\" width=\"")
                .append(ReportCharts.WIDTH)
                .append("\" height=\"")
                .append(ReportCharts.HEIGHT)
                .append("\">\n<figcaption>")
                .append(esc(chart.getTitle()))
                .append(" (<a href=\"")
                .append(svg)
                .append("\">SVG</a>)</figcaption>\n</figure>\n");
    }

    private static void table(StringBuilder h, String id, List<Map<String, Object>> rows) {
        Set<String> columns = new LinkedHashSet<>();
        rows.forEach(r -> columns.addAll(r.keySet()));
        h.append("<table id=\"table-").append(id).append("\">\n<thead><tr>");
        for (String col : columns) {
            h.append("<th>").append(esc(col)).append("</th>");
        }
        h.append("</tr></thead>\n<tbody>\n");
        for (Map<String, Object> r : rows) {
            h.append("<tr>");
            for (String col : columns) {
                Object v = r.get(col);
                boolean numeric = v instanceof Number;
                h.append(numeric ? "<td>" : "<td class=\"text\">")
                        .append(esc(text(r, col)))
                        .append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</tbody>\n</table>\n");
    }

    /**
     * The latency rows with {@code x_fastest}: the row's median over the fastest completed median
     * at the same image size, patch and batch (ViT's row then reads how many times FiT's time it
     * takes).
     */
    static List<Map<String, Object>> withSlowdown(List<Map<String, Object>> rows) {
        Map<String, Double> fastest = new LinkedHashMap<>();
        for (Map<String, Object> r : rows) {
            double ms = number(r, "median_ms");
            if ("ok".equals(text(r, "status")) && !Double.isNaN(ms)) {
                fastest.merge(group(r), ms, Math::min);
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            Map<String, Object> row = new LinkedHashMap<>(r);
            double ms = number(r, "median_ms");
            Double best = fastest.get(group(r));
            row.put(
                    "x_fastest",
                    "ok".equals(text(r, "status")) && best != null && !Double.isNaN(ms)
                            ? (Object) (Math.round(ms / best * 100) / 100.0)
                            : "");
            out.add(row);
        }
        return out;
    }

    private static String group(Map<String, Object> r) {
        return text(r, "image_size") + "/" + text(r, "patch") + "/" + text(r, "batch");
    }

    static List<Map<String, Object>> runRows(List<TrainingRunCurve> runs) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (TrainingRunCurve run : runs) {
            List<TrainingRunCurve.Epoch> e = run.epochs();
            TrainingRunCurve.Epoch last = e.get(e.size() - 1);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("run", run.name());
            row.put("model", run.model());
            row.put("epochs", (double) e.size());
            row.put("minutes", Math.round(last.minutes() * 10) / 10.0);
            row.put("best_val_top1_pct", pct(run.bestValTop1()));
            row.put("last_val_top1_pct", pct(last.valTop1()));
            row.put("train_images_per_s", Math.round(last.imagesPerSecond() * 10) / 10.0);
            rows.add(row);
        }
        return rows;
    }

    private static Object pct(double v) {
        return Double.isNaN(v) ? "" : (Object) (Math.round(v * 1000) / 10.0);
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }
}
