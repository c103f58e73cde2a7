package org.fourier4j.cli;

import static org.fourier4j.cli.OptionChecks.require;

import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.fourier4j.bench.BurstLoad;
import org.fourier4j.bench.ConvBenchmark;
import org.fourier4j.bench.ResultTable;
import org.fourier4j.fft.ConvAutoTuner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fourier4j bench conv}: depthwise large-kernel convolution, DIRECT vs FFT vs AUTO. */
@Command(
        name = "conv",
        mixinStandardHelpOptions = true,
        description = {
            "Times depthwise 2-D convolutions ('same' padding) by DIRECT (DJL/oneDNN), FFT and"
                    + " AUTO, side by side in one run (warm-up, interleaved rounds, medians)."
                    + " AUTO and the algorithms within 3x of the faster one are then re-timed"
                    + " alone, in up to 101 more rounds (6 s), and their medians come from those:"
                    + " AUTO runs its choice's code, so comparing it with the best is a matter"
                    + " of a few percent, which rounds holding a 40x slower call cannot resolve.",
            "Columns: layer, shape, kernel, batch, direct_ms, fft_ms, auto_ms, auto_choice,"
                    + " speedup (= direct_ms / fft_ms); with --auto-vs-best also auto_vs_best"
                    + " (AUTO's time over the faster algorithm's, the median of the per-round"
                    + " ratios); with --baseline also baseline_ms and baseline_speedup (="
                    + " baseline_ms / fft_ms)."
        })
final class BenchConvCommand implements Callable<Integer> {

    enum Preset {
        replknet_31b,
        sweep
    }

    @Option(
            names = "--preset",
            defaultValue = "replknet-31b",
            converter = PresetConverter.class,
            description =
                    "replknet-31b (the four large-kernel layers of RepLKNet-31B at 224x224) or"
                            + " sweep (kernel sizes at a fixed shape). Default: ${DEFAULT-VALUE}.")
    private Preset preset;

    @Option(
            names = "--batch",
            defaultValue = "1",
            description = "Batch size. Default: ${DEFAULT-VALUE}.")
    private int batch;

    @Mixin private TableOutput output;

    @Option(names = "--baseline", description = "Also time the published FFT algorithm (fkodom's).")
    private boolean baseline;

    @Option(
            names = "--auto-vs-best",
            description =
                    "Also report AUTO's time over the faster of DIRECT and FFT as the median of the"
                        + " per-round ratios of the re-timed rounds (the two ran moments apart, so"
                        + " machine load that drifts between rounds cancels).")
    private boolean autoVsBest;

    @Option(
            names = "--mode",
            defaultValue = "inference",
            description =
                    "inference (forward, no gradient) or training (forward + backward)."
                            + " Default: ${DEFAULT-VALUE}.")
    private String mode;

    @Option(
            names = "--dtype",
            defaultValue = "float32",
            description = "float32 or float64. Default: ${DEFAULT-VALUE}.")
    private String dtype;

    @Option(
            names = "--warmup",
            defaultValue = "2",
            description = "Untimed runs per algorithm. Default: ${DEFAULT-VALUE}.")
    private int warmup;

    @Option(
            names = "--repeats",
            defaultValue = "7",
            description =
                    "Timed rounds at least (medians reported); layers that take under 4 s get"
                            + " more rounds, up to 31. Default: ${DEFAULT-VALUE}.")
    private int repeats;

    @Option(
            names = "--channels",
            defaultValue = "128",
            description = "Sweep preset: channels. Default: ${DEFAULT-VALUE}.")
    private int channels;

    @Option(
            names = "--size",
            defaultValue = "56",
            description = "Sweep preset: input height = width. Default: ${DEFAULT-VALUE}.")
    private int size;

    @Option(
            names = "--kernels",
            split = ",",
            defaultValue = "3,7,11,15,19,23,27,31,35,39,43,47,51,55,59,63",
            description = "Sweep preset: kernel sizes. Default: ${DEFAULT-VALUE}.")
    private int[] kernels;

    @Mixin private EngineThreads threads;

    @Option(names = "--out", description = "Also write the results to this file.")
    private Path out;

    @Option(
            names = "--background-load",
            paramLabel = "BUSY_MS,IDLE_MS",
            description =
                    "Run a bursty CPU load in a child process meanwhile (as bench load: one worker"
                            + " per core spinning BUSY_MS then sleeping IDLE_MS, in phase), to"
                            + " check that AUTO's decisions survive other processes' load.")
    private String backgroundLoad;

    @Override
    public Integer call() throws Exception {
        require(batch >= 1, "--batch must be at least 1, got " + batch);
        require(warmup >= 0, "--warmup must be non-negative, got " + warmup);
        require(repeats >= 1, "--repeats must be at least 1, got " + repeats);
        require(channels >= 1, "--channels must be at least 1, got " + channels);
        require(size >= 1, "--size must be at least 1, got " + size);
        for (int k : kernels) {
            require(k >= 1, "--kernels must be positive, got " + k);
        }
        require(
                mode.equals("inference") || mode.equals("training"),
                "--mode must be inference or training, got " + mode);
        DataType dt;
        switch (dtype) {
            case "float32":
                dt = DataType.FLOAT32;
                break;
            case "float64":
                dt = DataType.FLOAT64;
                break;
            default:
                throw new IllegalArgumentException(
                        "--dtype must be float32 or float64, got " + dtype);
        }
        threads.apply();
        double[] load = backgroundLoad == null ? null : parseLoad(backgroundLoad);
        ConvBenchmark.Settings s = new ConvBenchmark.Settings();
        s.batch = batch;
        s.warmup = warmup;
        s.repeats = repeats;
        s.dataType = dt;
        s.training = mode.equals("training");
        s.baseline = baseline;
        s.autoVsBest = autoVsBest;
        List<ConvBenchmark.Layer> layers =
                preset == Preset.sweep
                        ? ConvBenchmark.sweep(channels, size, kernels)
                        : ConvBenchmark.replknet31b();
        System.err.printf(
                Locale.ROOT,
                "bench conv: preset %s, batch %d, %s, %s, %d threads, %d cores; %d warm-up runs, %d"
                        + " rounds%n",
                preset.name().replace('_', '-'),
                batch,
                dtype,
                mode,
                ConvAutoTuner.threads(),
                java.lang.Runtime.getRuntime().availableProcessors(),
                warmup,
                repeats);
        Process loader = null;
        if (load != null) {
            int workers = Runtime.getRuntime().availableProcessors();
            loader = BurstLoad.start(load[0], load[1], workers, 24 * 3600);
            System.err.printf(
                    Locale.ROOT,
                    "bench conv: background load in process %d: %d workers, busy %.0f ms / idle"
                            + " %.0f ms%n",
                    loader.pid(),
                    workers,
                    load[0],
                    load[1]);
        }
        ResultTable table;
        try {
            table =
                    ConvBenchmark.run(
                            layers, s, row -> System.err.println("  done " + row.get("layer")));
        } finally {
            if (loader != null) {
                loader.destroy();
                loader.waitFor();
            }
        }
        output.print(table, out);
        return 0;
    }

    /** "300,200" to {300, 200}, or one clear error naming the option. */
    static double[] parseLoad(String value) {
        String[] p = value.split(",", -1);
        String usage =
                "--background-load must be BUSY_MS,IDLE_MS with BUSY_MS > 0 and IDLE_MS >= 0, got '"
                        + value
                        + "'";
        if (p.length != 2) {
            throw new IllegalArgumentException(usage);
        }
        try {
            double busy = Double.parseDouble(p[0].trim());
            double idle = Double.parseDouble(p[1].trim());
            if (!(busy > 0) || !(idle >= 0) || Double.isInfinite(busy + idle)) {
                throw new IllegalArgumentException(usage);
            }
            return new double[] {busy, idle};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(usage);
        }
    }

    static final class PresetConverter implements picocli.CommandLine.ITypeConverter<Preset> {
        @Override
        public Preset convert(String value) {
            for (Preset p : Preset.values()) {
                if (p.name().replace('_', '-').equals(value)) {
                    return p;
                }
            }
            throw new picocli.CommandLine.TypeConversionException(
                    "unknown preset '" + value + "': use replknet-31b or sweep");
        }
    }
}
