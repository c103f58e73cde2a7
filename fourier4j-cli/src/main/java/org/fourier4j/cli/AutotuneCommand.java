package org.fourier4j.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fourier4j.fft.AutotuneCache;
import org.fourier4j.inference.engine.EngineChoice;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fourier4j autotune}: the AUTO tuner's disk cache, shown or cleared. */
@Command(
        name = "autotune",
        mixinStandardHelpOptions = true,
        description = {
            "Shows or clears the decisions of ConvAlgorithm.AUTO (DIRECT or FFT per convolution"
                    + " shape) kept in ~/.fourier4j/conv-autotune.properties (or under"
                    + " -Dfourier4j.home / FOURIER4J_HOME), with the timings behind them.",
            "Decision columns: shape, threads, mode (infer, infer-uncached, train-step), choice,"
                    + " source (measured or model), direct_ms and fft_ms (the floors measured, or"
                    + " the predictions), pred_direct_ms and pred_fft_ms (the cost model's),"
                    + " ref_ms (what a call is expected to take; calls in use are checked against"
                    + " it), rounds, redecisions, taken (UTC) and host. Entries of another"
                    + " fourier4j version, engine or processor are listed apart: they are ignored"
                    + " and dropped at the next write.",
            "Without options: --show."
        })
final class AutotuneCommand implements Callable<Integer> {

    @Option(names = "--show", description = "List the decisions, calibrations and checks.")
    private boolean show;

    @Mixin private ReportOutput output;

    @Option(
            names = "--clear",
            description =
                    "Forget every decision (and the validation points measured with them): each"
                            + " shape is decided again on first use; the inference engine chosen"
                            + " per model (engine-choice.properties) too.")
    private boolean clear;

    @Option(
            names = "--clear-calibration",
            description =
                    "Forget the cost model's calibrations: the next process calibrates again.")
    private boolean clearCalibration;

    @Override
    public Integer call() {
        AutotuneCache cache = AutotuneCache.openDefault();
        if (clear) {
            int n = cache.clearDecisions();
            System.err.println("autotune: forgot " + n + " decision entries in " + cache.file());
            try {
                int e = EngineChoice.clear();
                System.err.println(
                        "autotune: forgot " + e + " engine choices in " + EngineChoice.cacheFile());
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        if (clearCalibration) {
            int n = cache.clearCalibration();
            System.err.println("autotune: forgot " + n + " calibration entries in " + cache.file());
        }
        if (show || (!clear && !clearCalibration)) {
            output.print(() -> json(cache), () -> table(cache));
        }
        return 0;
    }

    private static final String[] DECISION_FIELDS = {
        "choice",
        "source",
        "direct_ms",
        "fft_ms",
        "pred_direct_ms",
        "pred_fft_ms",
        "ref_ms",
        "rounds",
        "redecisions",
        "taken",
        "host"
    };

    private static String table(AutotuneCache cache) {
        StringBuilder sb = new StringBuilder();
        sb.append("cache: ").append(cache.file()).append('\n');
        sb.append("this process: ").append(cache.stamp()).append('\n');
        if (cache.problem() != null) {
            sb.append("ignored (rebuilt at the next write): ").append(cache.problem()).append('\n');
        }
        List<AutotuneCache.Record> records = cache.records();
        List<List<String>> decisions = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("shape", "threads", "mode"));
        header.addAll(List.of(DECISION_FIELDS));
        decisions.add(header);
        List<List<String>> calibrations = new ArrayList<>();
        calibrations.add(List.of("key", "rates", "taken", "host"));
        int points = 0;
        List<String> stale = new ArrayList<>();
        for (AutotuneCache.Record r : records) {
            Map<String, String> f = r.fields() == null ? Map.of() : r.fields();
            if (!r.current()) {
                stale.add(
                        r.kind()
                                + " "
                                + r.key()
                                + " (fourier4j "
                                + f.get("fourier4j")
                                + ", "
                                + f.get("engine")
                                + ", "
                                + f.get("cpu")
                                + ")");
            } else if (r.kind().equals("decision")) {
                String[] k = splitKey(r.key());
                List<String> row = new ArrayList<>(List.of(k[0], k[1], k[2]));
                for (String name : DECISION_FIELDS) {
                    row.add(cell(name, f.getOrDefault(name, "-")));
                }
                decisions.add(row);
            } else if (r.kind().equals("model")) {
                calibrations.add(
                        List.of(
                                r.key(),
                                f.getOrDefault("rates", "-"),
                                f.getOrDefault("taken", "-"),
                                f.getOrDefault("host", "-")));
            } else {
                points++;
            }
        }
        sb.append('\n').append("decisions: ").append(decisions.size() - 1).append('\n');
        if (decisions.size() > 1) {
            sb.append(Text.table(decisions));
        }
        sb.append('\n')
                .append(
                        "calibrations (rates: direct depthwise and dense MACs/ms, FFT"
                                + " points*log2/ms,")
                .append(" complex MACs/ms, overhead ms): ")
                .append(calibrations.size() - 1)
                .append('\n');
        if (calibrations.size() > 1) {
            sb.append(Text.table(calibrations));
        }
        sb.append('\n')
                .append("validation points (where the model may decide alone): ")
                .append(points)
                .append('\n');
        if (!stale.isEmpty()) {
            sb.append('\n')
                    .append("entries of other versions or processors (ignored): ")
                    .append(stale.size())
                    .append('\n');
            for (String s : stale) {
                sb.append("  ").append(s).append('\n');
            }
        }
        return sb.toString();
    }

    private static String json(AutotuneCache cache) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("file", cache.file().toString());
        doc.put("this_process", cache.stampFields());
        doc.put("problem", cache.problem());
        Map<String, List<Map<String, Object>>> byKind = new LinkedHashMap<>();
        byKind.put("decision", new ArrayList<>());
        byKind.put("model", new ArrayList<>());
        byKind.put("point", new ArrayList<>());
        for (AutotuneCache.Record r : cache.records()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("key", r.key());
            if (r.kind().equals("decision")) {
                String[] k = splitKey(r.key());
                o.put("shape", k[0]);
                o.put("threads", k[1]);
                o.put("mode", k[2]);
            }
            o.put("current", r.current());
            if (r.fields() != null) {
                o.putAll(r.fields());
            }
            byKind.get(r.kind()).add(o);
        }
        doc.put("decisions", byKind.get("decision"));
        doc.put("calibrations", byKind.get("model"));
        doc.put("validation_points", byKind.get("point"));
        return Text.json(doc);
    }

    private static String cell(String name, String value) {
        if (name.equals("choice") || name.equals("source")) {
            return value.toLowerCase(Locale.ROOT);
        }
        if (name.endsWith("_ms")) {
            try {
                return String.format(Locale.ROOT, "%.3f", Double.parseDouble(value));
            } catch (NumberFormatException e) {
                return value;
            }
        }
        return value;
    }

    /** "shape... t2 infer" to {shape, "2", "infer"}. */
    private static String[] splitKey(String key) {
        String[] parts = key.split(" ");
        if (parts.length < 3 || !parts[parts.length - 2].matches("t[0-9]+")) {
            return new String[] {key, "-", "-"};
        }
        int cut = key.lastIndexOf(' ', key.lastIndexOf(' ') - 1);
        return new String[] {
            key.substring(0, cut), parts[parts.length - 2].substring(1), parts[parts.length - 1]
        };
    }
}
