package org.fourier4j.cli;

import static org.fourier4j.cli.OptionChecks.require;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.fourier4j.bench.ConvBenchmark;
import org.fourier4j.bench.LatencyBenchmark;
import org.fourier4j.bench.MixerBenchmark;
import org.fourier4j.bench.ModelSpec;
import org.fourier4j.bench.OutputFormat;
import org.fourier4j.bench.ResultTable;
import org.fourier4j.fft.ConvAutoTuner;
import org.fourier4j.files.AtomicFiles;
import org.fourier4j.report.BenchmarkRows;
import org.fourier4j.report.HtmlReport;
import org.fourier4j.report.TrainingRunCurve;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fourier4j report}: the benchmark tables and plots as one HTML page. */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = {
            "Writes <out>/index.html with the benchmark tables and plots (PNG shown, SVG linked):"
                    + " latency against resolution, FFT over direct convolution against kernel"
                    + " size, mixer time against tokens, and training curves.",
            "Reads saved JSON (bench ... --format json) given with --latency, --conv and --mixers;"
                    + " with --measure, runs the benchmarks not given (a quick configuration set"
                    + " by the options below) and saves their JSON in <out>/data."
        })
final class ReportCommand implements Callable<Integer> {

    @Option(
            names = "--out",
            defaultValue = "report",
            description = "Output directory. Default: ${DEFAULT-VALUE}.")
    private Path out;

    @Option(
            names = "--latency",
            split = ",",
            description = "Saved JSON of bench latency (each file is a section of its own).")
    private List<Path> latencyFiles = new ArrayList<>();

    @Option(
            names = "--conv",
            split = ",",
            description = "Saved JSON of bench conv, e.g. --preset sweep (a section per file).")
    private List<Path> convFiles = new ArrayList<>();

    @Option(
            names = "--mixers",
            split = ",",
            description = "Saved JSON of bench mixers (a section per file).")
    private List<Path> mixerFiles = new ArrayList<>();

    @Option(
            names = "--runs",
            split = ",",
            description = "Training run directories (fourier4j train --out) for training curves.")
    private List<Path> runDirs = new ArrayList<>();

    @Option(
            names = "--measure",
            description = "Run the benchmarks whose JSON is not given, and save it in <out>/data.")
    private boolean measure;

    @Option(
            names = "--models",
            split = ",",
            defaultValue = "vit-tiny,gfnet-ti,fnet-base",
            description = "--measure: models for latency. Default: ${DEFAULT-VALUE}.")
    private List<String> models;

    @Option(
            names = "--sizes",
            split = ",",
            defaultValue = "112,224,448",
            description = "--measure: image sizes for latency. Default: ${DEFAULT-VALUE}.")
    private List<Integer> sizes;

    @Option(
            names = "--kernels",
            split = ",",
            defaultValue = "3,7,11,15,21,31",
            description =
                    "--measure: kernel sizes of the depthwise sweep (C=128, 56x56). Default:"
                            + " ${DEFAULT-VALUE}.")
    private int[] kernels;

    @Option(
            names = "--tokens",
            split = ",",
            defaultValue = "64,256,1024,4096",
            description = "--measure: token counts for the mixers. Default: ${DEFAULT-VALUE}.")
    private int[] tokens;

    @Option(
            names = "--repeats",
            defaultValue = "5",
            description = "--measure: timed runs per configuration. Default: ${DEFAULT-VALUE}.")
    private int repeats;

    @Override
    public Integer call() throws Exception {
        require(repeats >= 1, "--repeats must be at least 1, got " + repeats);
        boolean anyInput =
                !latencyFiles.isEmpty()
                        || !convFiles.isEmpty()
                        || !mixerFiles.isEmpty()
                        || !runDirs.isEmpty();
        require(
                anyInput || measure,
                "nothing to report: give saved JSON (--latency, --conv, --mixers), run"
                        + " directories (--runs), or --measure");
        HtmlReport.Content c = new HtmlReport.Content();
        // read (and so check) everything given before measuring anything
        c.latency = read("--latency", latencyFiles, "model", "image_size", "batch", "status");
        c.conv = read("--conv", convFiles, "kernel", "shape", "batch", "direct_ms", "fft_ms");
        c.mixers = read("--mixers", mixerFiles, "mixer", "mode");
        for (Path dir : runDirs) {
            c.runs.add(TrainingRunCurve.read(dir));
        }
        if (measure) {
            checkMeasureOptions();
            Path data = out.resolve("data");
            Files.createDirectories(data);
            if (c.conv.isEmpty()) {
                c.conv.add(measureConv(data.resolve("conv.json")));
            }
            if (c.mixers.isEmpty()) {
                c.mixers.add(measureMixers(data.resolve("mixers.json")));
            }
            if (c.latency.isEmpty()) {
                c.latency.add(measureLatency(data.resolve("latency.json")));
            }
        }
        c.machine =
                String.format(
                        Locale.ROOT,
                        "Rendered by fourier4j on %d cores (%s, %s %s), Java %s, %d engine"
                                + " threads; measured where each section's source says.",
                        Runtime.getRuntime().availableProcessors(),
                        System.getProperty("os.arch"),
                        System.getProperty("os.name"),
                        System.getProperty("os.version"),
                        System.getProperty("java.version"),
                        ConvAutoTuner.threads());
        System.setProperty("java.awt.headless", "true");
        List<Path> files = HtmlReport.write(out, c);
        System.out.println(out.resolve("index.html"));
        System.err.println("report: wrote " + files.size() + " files into " + out);
        return 0;
    }

    private static List<BenchmarkRows> read(String option, List<Path> files, String... required) {
        List<BenchmarkRows> runs = new ArrayList<>();
        for (Path f : files) {
            runs.add(BenchmarkRows.read(option, f, List.of(required)));
        }
        return runs;
    }

    private void checkMeasureOptions() {
        ModelSpec.checkAll("--models", models);
        for (int s : sizes) {
            require(s >= 1, "--sizes must be positive, got " + s);
        }
        for (int k : kernels) {
            require(k >= 1, "--kernels must be positive, got " + k);
        }
        int previous = 0;
        for (int n : tokens) {
            require(
                    n > previous,
                    "--tokens must be positive and strictly ascending, got "
                            + n
                            + " after "
                            + previous);
            MixerBenchmark.Grid.of(n);
            previous = n;
        }
    }

    private BenchmarkRows measureConv(Path json) throws Exception {
        System.err.println("report: bench conv --preset sweep --kernels " + join(kernels));
        ConvBenchmark.Settings s = new ConvBenchmark.Settings();
        s.repeats = repeats;
        ResultTable t = ConvBenchmark.run(ConvBenchmark.sweep(128, 56, kernels), s, null);
        return save(json, t, "bench conv --preset sweep --kernels " + join(kernels));
    }

    private BenchmarkRows measureMixers(Path json) throws Exception {
        System.err.println("report: bench mixers --tokens " + join(tokens));
        MixerBenchmark.Settings s = new MixerBenchmark.Settings();
        s.tokens = tokens.clone();
        s.repeats = repeats;
        ResultTable t = MixerBenchmark.run(s, line -> {});
        return save(json, t, "bench mixers --tokens " + join(tokens));
    }

    private BenchmarkRows measureLatency(Path json) throws Exception {
        System.err.println("report: bench latency --models " + models + " --sizes " + sizes);
        LatencyBenchmark.Settings s = new LatencyBenchmark.Settings();
        s.models = models;
        s.sizes = sizes;
        s.repeats = repeats;
        ResultTable t =
                LatencyBenchmark.run(
                        s,
                        row ->
                                System.err.println(
                                        "  "
                                                + row.get("model")
                                                + " "
                                                + row.get("image_size")
                                                + ": "
                                                + row.get("status")));
        return save(json, t, "bench latency --models " + String.join(",", models));
    }

    private static BenchmarkRows save(Path json, ResultTable t, String what) throws Exception {
        AtomicFiles.writeString(json, t.render(OutputFormat.JSON));
        String stem = json.getFileName().toString().replace(".json", "");
        return BenchmarkRows.of(what + ", measured now (saved in " + json + ")", stem, t.rows());
    }

    private static String join(int[] values) {
        StringBuilder b = new StringBuilder();
        for (int v : values) {
            b.append(b.length() == 0 ? "" : ",").append(v);
        }
        return b.toString();
    }
}
