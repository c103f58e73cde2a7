package org.fourier4j.cli;

import static org.fourier4j.cli.OptionChecks.require;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.fourier4j.bench.MemorySampler;
import org.fourier4j.bench.ResultTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code fourier4j bench soak}: trains a small model for many steps, then runs many single-image
 * inferences with it, sampling resident memory, to show that neither leaks.
 */
@Command(
        name = "soak",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Soak test of memory: N training steps of a small zoo model (on the bundled sample"
                    + " unless --data is given; epochs, validation and checkpoints included),"
                    + " then N inference calls of one image each with the trained model, sampling"
                    + " the process's resident memory (VmRSS) and live Java heap along the way.",
            "Prints the curve (phase, count, rss_mb, heap_mb, seconds) and, on stderr, each phase's"
                    + " growth after warm-up: the RSS at the end over the RSS at 10%% of the phase."
                    + " With --max-growth the command fails (exit 1) when a phase grew more.",
        })
final class BenchSoakCommand implements Callable<Integer> {

    @Option(
            names = "--model",
            defaultValue = "fit-tiny",
            paramLabel = "NAME",
            description = "Zoo model. Default: ${DEFAULT-VALUE}.")
    private String model;

    @Option(
            names = "--data",
            paramLabel = "DIR|FILE",
            description = "Training data, as for train. Default: the bundled sample.")
    private String data;

    @Option(
            names = {"-o", "--override"},
            paramLabel = "KEY=VALUE",
            description =
                    "Set a configuration key (repeatable). The default model is small: -o"
                            + " embed_dim=32 -o num_layers=2 -o dim_feedforward=64 -o patch_size=8,"
                            + " batches of 32.")
    private List<String> overrides = new ArrayList<>();

    @Option(
            names = "--steps",
            defaultValue = "10000",
            description = "Training steps. Default: ${DEFAULT-VALUE}.")
    private int steps;

    @Option(
            names = "--inferences",
            defaultValue = "10000",
            description = "Inference calls (one image each). Default: ${DEFAULT-VALUE}.")
    private int inferences;

    @Option(
            names = "--samples",
            defaultValue = "20",
            description =
                    "Memory samples per phase (plus one at the start). Default: ${DEFAULT-VALUE}.")
    private int samples;

    @Option(
            names = "--max-growth",
            paramLabel = "PERCENT",
            description =
                    "Fail (exit 1) if resident memory grows more than this after warm-up in either"
                            + " phase.")
    private Double maxGrowth;

    @Mixin private TableOutput output;

    @Option(names = "--out", description = "Also write the curve to this file.")
    private Path out;

    @Override
    public Integer call() throws IOException {
        require(steps >= 1, "--steps must be at least 1, got " + steps);
        require(inferences >= 1, "--inferences must be at least 1, got " + inferences);
        require(samples >= 2, "--samples must be at least 2, got " + samples);
        require(maxGrowth == null || maxGrowth >= 0, "--max-growth must not be negative");
        Path work = Files.createTempDirectory("fourier4j-soak-");
        MemorySampler sampler = new MemorySampler(System.err);
        try {
            Soak.train(work, model, data, overrides, steps, samples, sampler);
            Soak.infer(work.resolve("soak/last.ckpt"), inferences, samples, sampler);
        } finally {
            deleteTree(work);
        }
        ResultTable table = new ResultTable();
        for (MemorySampler.Sample s : sampler.samples()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("phase", s.phase());
            row.put("count", s.count());
            row.put("rss_mb", round(s.rssMb()));
            row.put("heap_mb", round(s.heapMb()));
            row.put("seconds", round(s.seconds()));
            table.add(row);
        }
        output.print(table, out);
        boolean failed = false;
        for (String phase : List.of("train", "infer")) {
            List<MemorySampler.Sample> ph =
                    sampler.samples().stream().filter(s -> s.phase().equals(phase)).toList();
            double g = MemorySampler.growthAfterWarmup(ph, 0.1);
            boolean over = maxGrowth != null && !(g * 100 <= maxGrowth);
            failed |= over;
            System.err.printf(
                    Locale.ROOT,
                    "bench soak: %s: resident memory %+.2f%% from 10%% of the phase to its end"
                            + " (%.1f -> %.1f MiB)%s%n",
                    phase,
                    100 * g,
                    ph.isEmpty() ? Double.NaN : baseRss(ph),
                    ph.isEmpty() ? Double.NaN : ph.get(ph.size() - 1).rssMb(),
                    over ? ", above --max-growth " + maxGrowth + "%" : "");
        }
        return failed ? 1 : 0;
    }

    private static double baseRss(List<MemorySampler.Sample> ph) {
        long end = ph.get(ph.size() - 1).count();
        return ph.stream().filter(s -> s.count() >= 0.1 * end).findFirst().orElseThrow().rssMb();
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }
}
