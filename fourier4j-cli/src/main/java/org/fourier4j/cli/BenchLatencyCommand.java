package org.fourier4j.cli;

import static org.fourier4j.cli.OptionChecks.require;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.fourier4j.bench.LatencyBenchmark;
import org.fourier4j.bench.ModelSpec;
import org.fourier4j.bench.ResultTable;
import org.fourier4j.inference.ModelDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fourier4j bench latency}: whole-model inference time against resolution. */
@Command(
        name = "latency",
        mixinStandardHelpOptions = true,
        description = {
            "Times whole-model inference per model, image size, batch and runtime, each in a"
                    + " child JVM: params, GFLOPs, median and p90 ms per batch, images/s, peak JVM"
                    + " heap and resident memory. With --runtime djl,onnxruntime the same model,"
                    + " weights and input run in both runtimes side by side (vs_djl: ONNX Runtime's"
                    + " median over fourier4j's).",
            "A configuration that passes --timeout-s or --max-memory is stopped and reported DNF"
                    + " with the reason."
        })
final class BenchLatencyCommand implements Callable<Integer> {

    @Option(
            names = "--models",
            split = ",",
            description =
                    "Model names (see: fourier4j models), each optionally with zoo overrides as"
                            + " name:key=value:key=value, e.g. vit-tiny-p4:num_layers=6 or"
                            + " replknet-31b:large_kernel_algorithm=fft.")
    private List<String> models = new ArrayList<>();

    @Option(
            names = "--checkpoint",
            split = ",",
            paramLabel = "DIR",
            description =
                    "Model directories (from import or train) to time with their weights, besides"
                            + " or instead of --models.")
    private List<Path> checkpoints = new ArrayList<>();

    @Option(
            names = "--runtime",
            split = ",",
            defaultValue = "djl",
            paramLabel = "djl|onnxruntime|onnxruntime-direct|auto",
            description =
                    "Runtimes, one row each: djl (fourier4j's inference plan on DJL),"
                            + " onnxruntime (the model exported by fourier4j, ONNX Runtime with"
                            + " the same thread count), onnxruntime-direct (exported as the"
                            + " papers' PyTorch code exports: large kernels as ONNX Conv, Fourier"
                            + " transforms as ONNX DFT) and auto (fourier4j's inference path as"
                            + " predict runs it: the faster of djl and onnxruntime for the model"
                            + " and shape, timed once and kept in"
                            + " ~/.fourier4j/engine-choice.properties; vs_onnxruntime and"
                            + " vs_onnxruntime_direct are its median over those rows')."
                            + " Default: ${DEFAULT-VALUE}.")
    private List<String> runtimes;

    @Option(
            names = "--deploy",
            description =
                    "Time re-parameterisable models (RepLKNet, FFNet) in their inference form:"
                            + " branches and batch norms fused, as deployed.")
    private boolean deploy;

    @Option(
            names = "--sizes",
            split = ",",
            description = "Image sizes. Default: 224, or a model directory's own size.")
    private List<Integer> sizes = new ArrayList<>();

    @Option(
            names = "--batch",
            split = ",",
            defaultValue = "1",
            description = "Batch sizes. Default: ${DEFAULT-VALUE}.")
    private List<Integer> batches;

    @Option(
            names = "--patch",
            defaultValue = "0",
            description = "Patch size for transformer models (0: the model's own).")
    private int patch;

    @Option(
            names = "--warmup",
            defaultValue = "5",
            description =
                    "Untimed runs (AUTO layers decide, and FFT layers plan, in the first ones)."
                            + " Default: ${DEFAULT-VALUE}.")
    private int warmup;

    @Option(
            names = "--warmup-s",
            defaultValue = "2",
            paramLabel = "SECONDS",
            description =
                    "Untimed runs go on past --warmup until this much time has passed: the DJL"
                            + " plan, which calls the engine from Java op by op, runs 20-40%"
                            + " slower until the JIT has compiled it. Default: ${DEFAULT-VALUE}.")
    private double warmupSeconds;

    @Option(
            names = "--repeats",
            defaultValue = "10",
            description = "Timed runs at most. Default: ${DEFAULT-VALUE}.")
    private int repeats;

    @Option(
            names = "--timeout-s",
            defaultValue = "300",
            description = "Per-configuration limit, seconds. Default: ${DEFAULT-VALUE}.")
    private double timeoutSeconds;

    @Option(
            names = "--max-memory",
            defaultValue = "16g",
            description = "Resident memory budget per configuration. Default: ${DEFAULT-VALUE}.")
    private String maxMemory;

    @Option(
            names = "--threads",
            defaultValue = "0",
            description = "Intra-op threads of either runtime (0: all cores).")
    private int threads;

    @Mixin private TableOutput output;

    @Option(names = "--out", description = "Also write latency.<format> into this directory.")
    private Path out;

    @Override
    public Integer call() throws Exception {
        require(!models.isEmpty() || !checkpoints.isEmpty(), "give --models, --checkpoint or both");
        ModelSpec.checkAll("--models", models);
        for (Path dir : checkpoints) {
            ModelDirectory.readCard(dir); // a missing or unreadable directory fails here
        }
        List<String> checkedRuntimes = new ArrayList<>();
        for (String r : runtimes) {
            String name = LatencyBenchmark.checkRuntime(r);
            require(!checkedRuntimes.contains(name), "--runtime lists " + name + " twice");
            checkedRuntimes.add(name);
        }
        for (int s : sizes) {
            require(s >= 1, "--sizes must be positive, got " + s);
        }
        for (int b : batches) {
            require(b >= 1, "--batch must be at least 1, got " + b);
        }
        require(patch >= 0, "--patch must be positive (or 0 for the model's own), got " + patch);
        require(
                patch == 0 || checkpoints.isEmpty(),
                "--patch applies to --models; a model directory's patch is fixed by its weights");
        require(warmup >= 0, "--warmup must be non-negative, got " + warmup);
        require(warmupSeconds >= 0, "--warmup-s must be non-negative, got " + warmupSeconds);
        require(repeats >= 1, "--repeats must be at least 1, got " + repeats);
        require(timeoutSeconds > 0, "--timeout-s must be positive, got " + timeoutSeconds);
        require(threads >= 0, "--threads must be non-negative, got " + threads);
        LatencyBenchmark.Settings s = new LatencyBenchmark.Settings();
        s.models = models;
        s.checkpoints = checkpoints;
        s.runtimes = checkedRuntimes;
        s.deploy = deploy;
        s.sizes = sizes;
        s.batches = batches;
        s.patch = patch;
        s.warmup = warmup;
        s.warmupSeconds = warmupSeconds;
        s.repeats = repeats;
        s.timeoutSeconds = timeoutSeconds;
        s.maxMemoryBytes = LatencyBenchmark.parseBytes(maxMemory);
        s.threads = threads;
        System.err.printf(
                Locale.ROOT,
                "bench latency: %s%s at %s, batch %s, in %s; %d cores%n",
                sourcesText(),
                deploy ? " (inference form)" : "",
                sizes.isEmpty() ? "their own sizes" : sizes,
                batches,
                checkedRuntimes,
                java.lang.Runtime.getRuntime().availableProcessors());
        ResultTable table =
                LatencyBenchmark.run(
                        s,
                        row ->
                                System.err.println(
                                        "  "
                                                + row.get("model")
                                                + " ("
                                                + row.get("runtime")
                                                + ") "
                                                + row.get("image_size")
                                                + " batch "
                                                + row.get("batch")
                                                + ": "
                                                + row.get("status")
                                                + (row.get("reason") != null
                                                        ? " (" + row.get("reason") + ")"
                                                        : "")));
        output.print(table, output.inFolder(out, "latency"));
        return 0;
    }

    private String sourcesText() {
        List<String> all = new ArrayList<>(models);
        checkpoints.forEach(p -> all.add(p.toString()));
        return all.toString();
    }
}
