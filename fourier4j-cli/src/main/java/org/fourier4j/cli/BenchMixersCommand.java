package org.fourier4j.cli;

import static org.fourier4j.cli.OptionChecks.require;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.fourier4j.bench.MixerBenchmark;
import org.fourier4j.bench.ResultTable;
import org.fourier4j.fft.ConvAutoTuner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fourier4j bench mixers}: token mixers as the token count grows, against attention. */
@Command(
        name = "mixers",
        mixinStandardHelpOptions = true,
        description = {
            "Times the token mixers and long-convolution kernels side by side as the token count"
                    + " grows (warm-up, interleaved rounds, medians): the N log N and linear mixers"
                    + " against attention's N^2.",
            "Grid mixers take N tokens as an H x W grid, H the largest divisor of N not above"
                    + " sqrt(N) (4096 = 64x64, 2048 = 32x64); counts more elongated than 1:4 are"
                    + " rejected.",
            "Columns: mixer, layout, mode, ms_<N> (median ms per run, DNF if not run),"
                + " slope_1024_16384 (least-squares slope of log ms against log N over those"
                + " counts), speedup_vs_attention_<N> (attention ms / mixer ms at 4096 tokens, or"
                + " the largest count where attention ran), dnf (why a size was not run)."
        })
final class BenchMixersCommand implements Callable<Integer> {

    @Option(
            names = "--tokens",
            split = ",",
            defaultValue = "64,256,1024,4096,16384",
            description = "Token counts, comma-separated. Default: ${DEFAULT-VALUE}.")
    private int[] tokens;

    @Option(
            names = "--dim",
            defaultValue = "192",
            description = "Width D (channels). Default: ${DEFAULT-VALUE}.")
    private int dim;

    @Option(
            names = "--batch",
            defaultValue = "1",
            description = "Batch size. Default: ${DEFAULT-VALUE}.")
    private int batch;

    @Option(
            names = "--mode",
            defaultValue = "inference",
            description =
                    "inference (forward, no gradient), training (forward + backward) or both."
                            + " Default: ${DEFAULT-VALUE}.")
    private String mode;

    @Option(
            names = "--mixers",
            split = ",",
            description =
                    "Only these mixers (comma-separated labels, e.g."
                            + " GlobalFilter,MultiHeadSelfAttention). Default: all.")
    private List<String> mixers;

    @Mixin private TableOutput output;

    @Option(
            names = "--warmup",
            defaultValue = "2",
            description = "Untimed runs per mixer and size. Default: ${DEFAULT-VALUE}.")
    private int warmup;

    @Option(
            names = "--repeats",
            defaultValue = "7",
            description = "Timed rounds (medians reported). Default: ${DEFAULT-VALUE}.")
    private int repeats;

    @Option(
            names = "--timeout-s",
            defaultValue = "20",
            description =
                    "A mixer whose single run is predicted (previous size x (N/N_prev)^2 for"
                        + " attention, ^1.25 for the others) or found to take longer is reported"
                        + " DNF from that size on. Default: ${DEFAULT-VALUE}.")
    private double timeoutSeconds;

    @Option(
            names = "--max-memory-gb",
            defaultValue = "4",
            description =
                    "Attention whose (heads, N, N) maps would need more memory is reported DNF."
                            + " Default: ${DEFAULT-VALUE}.")
    private double maxMemoryGb;

    @Mixin private EngineThreads threads;

    @Option(names = "--out", description = "Also write the results to this file.")
    private Path out;

    @Override
    public Integer call() throws Exception {
        require(tokens.length >= 1, "--tokens needs at least one count");
        int previous = 0;
        for (int n : tokens) {
            require(n >= 1, "--tokens must be positive, got " + n);
            require(
                    n > previous,
                    "--tokens must be strictly ascending, got " + n + " after " + previous);
            MixerBenchmark.Grid.of(n); // rejects counts without a grid within 1:4
            previous = n;
        }
        require(dim >= 1, "--dim must be at least 1, got " + dim);
        require(batch >= 1, "--batch must be at least 1, got " + batch);
        require(
                warmup >= 1,
                "--warmup must be at least 1 (the first run is checked against --timeout-s), got "
                        + warmup);
        require(repeats >= 1, "--repeats must be at least 1, got " + repeats);
        require(timeoutSeconds > 0, "--timeout-s must be positive, got " + timeoutSeconds);
        require(maxMemoryGb > 0, "--max-memory-gb must be positive, got " + maxMemoryGb);
        require(
                mode.equals("inference") || mode.equals("training") || mode.equals("both"),
                "--mode must be inference, training or both, got " + mode);
        MixerBenchmark.Settings s = new MixerBenchmark.Settings();
        if (mixers != null) {
            List<MixerBenchmark.Mixer> chosen = new ArrayList<>();
            for (String name : mixers) {
                MixerBenchmark.Mixer m;
                try {
                    m = MixerBenchmark.Mixer.byLabel(name.trim());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--mixers: " + e.getMessage(), e);
                }
                if (!chosen.contains(m)) {
                    chosen.add(m);
                }
            }
            chosen.sort(null); // table order
            s.mixers = chosen;
        }
        threads.apply();
        s.tokens = tokens.clone();
        s.dim = dim;
        s.batch = batch;
        s.inference = !mode.equals("training");
        s.training = !mode.equals("inference");
        s.warmup = warmup;
        s.repeats = repeats;
        s.timeoutSeconds = timeoutSeconds;
        s.maxMemoryGb = maxMemoryGb;
        StringBuilder grids = new StringBuilder();
        for (int n : tokens) {
            grids.append(grids.length() == 0 ? "" : ", ")
                    .append(n)
                    .append('=')
                    .append(MixerBenchmark.Grid.of(n));
        }
        System.err.printf(
                Locale.ROOT,
                "bench mixers: width %d, batch %d, %s, float32, %d threads, %d cores; grids %s;"
                        + " %d warm-up runs, %d rounds, timeout %.0f s%n",
                dim,
                batch,
                mode,
                ConvAutoTuner.threads(),
                Runtime.getRuntime().availableProcessors(),
                grids,
                warmup,
                repeats,
                timeoutSeconds);
        ResultTable table = MixerBenchmark.run(s, System.err::println);
        output.print(table, out);
        return 0;
    }
}
