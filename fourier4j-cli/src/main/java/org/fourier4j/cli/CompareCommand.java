package org.fourier4j.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fourier4j.fft.Timing;
import org.fourier4j.inference.LoadedModel;
import org.fourier4j.inference.ModelDirectory;
import org.fourier4j.reparam.Reparameterizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fourier4j compare}: one model directory run two ways (e.g. the large kernels DIRECT and by
 * FFT), on the same weights and input: the largest logit difference and both latencies, side by
 * side. The report's Table 3 ("pre-trained RepLKNet-31B with FFT convolution") as a command.
 */
@Command(
        name = "compare",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Runs one model directory in two configurations that share its weights (zoo overrides"
                    + " that change how it computes, not its parameters, e.g."
                    + " large_kernel_algorithm=direct vs fft), on the same random input, and"
                    + " prints the largest logit difference and each configuration's median"
                    + " latency, timed alternately in one run."
        })
final class CompareCommand implements Callable<Integer> {

    @Option(
            names = "--checkpoint",
            required = true,
            paramLabel = "DIR",
            description = "Model directory.")
    private Path checkpoint;

    @Option(
            names = "--a",
            required = true,
            split = ",",
            paramLabel = "KEY=VALUE",
            description = "Overrides of the first configuration (comma-separated).")
    private List<String> first = new ArrayList<>();

    @Option(
            names = "--b",
            required = true,
            split = ",",
            paramLabel = "KEY=VALUE",
            description = "Overrides of the second configuration.")
    private List<String> second = new ArrayList<>();

    @Option(
            names = "--batch",
            defaultValue = "1",
            description = "Images per call. Default: ${DEFAULT-VALUE}.")
    private int batch;

    @Option(
            names = "--repeats",
            defaultValue = "10",
            description = "Timed rounds. Default: ${DEFAULT-VALUE}.")
    private int repeats;

    @Option(
            names = "--warmup",
            defaultValue = "3",
            description = "Untimed rounds. Default: ${DEFAULT-VALUE}.")
    private int warmup;

    @Option(
            names = "--deploy",
            description =
                    "Re-parameterise both (RepLKNet, FFNet) before running, as for inference.")
    private boolean deploy;

    @Override
    public Integer call() {
        if (batch < 1 || repeats < 1 || warmup < 0) {
            throw new IllegalArgumentException(
                    "--batch and --repeats must be at least 1 and --warmup at least 0, got "
                            + batch
                            + ", "
                            + repeats
                            + ", "
                            + warmup);
        }
        Map<String, Object> a = ImportCommand.Overrides.parse(first);
        Map<String, Object> b = ImportCommand.Overrides.parse(second);
        try (LoadedModel ma = open(a);
                LoadedModel mb = open(b);
                NDManager scope = NDManager.newBaseManager()) {
            int s = ma.card().imageSize();
            NDArray x = scope.randomNormal(new Shape(batch, ma.card().inChannels(), s, s));
            x.setName("input");
            double[] ms = new double[2];
            float diff;
            try (NDManager once = scope.newSubManager()) {
                NDArray ya = ma.plan().logits(attach(x, once));
                NDArray yb = mb.plan().logits(attach(x, once));
                diff = ya.sub(yb).abs().max().getFloat();
            }
            Runnable ra = () -> run(ma, x);
            Runnable rb = () -> run(mb, x);
            double[] medians =
                    Timing.interleavedMedians(
                            new Runnable[] {ra, rb}, Timing.Rounds.of(warmup, repeats));
            ms[0] = medians[0];
            ms[1] = medians[1];
            System.out.printf(
                    Locale.ROOT,
                    "%s, batch %d at %dx%d, %s weights%n  a %-40s median %9.2f ms%n  b %-40s median"
                            + " %9.2f ms%n  b / a %.3f; largest |logit a - logit b| %.3g%n",
                    ma.card().model(),
                    batch,
                    s,
                    s,
                    deploy ? "re-parameterised" : ma.card().form(),
                    String.join(",", first),
                    ms[0],
                    String.join(",", second),
                    ms[1],
                    ms[1] / ms[0],
                    diff);
        }
        return 0;
    }

    private LoadedModel open(Map<String, Object> overrides) {
        LoadedModel m =
                ModelDirectory.open(
                        checkpoint, ModelDirectory.OpenOptions.defaults().withOverrides(overrides));
        if (deploy) {
            Reparameterizer.toInferenceForm(m.model());
        }
        return m;
    }

    private static NDArray attach(NDArray x, NDManager scope) {
        NDArray v = x.reshape(x.getShape());
        v.attach(scope);
        return v;
    }

    private static void run(LoadedModel m, NDArray x) {
        try (NDManager scope = x.getManager().newSubManager()) {
            // the plan on DJL: the configurations differ in how it computes
            m.plan().logits(attach(x, scope)).toFloatArray();
        }
    }
}
