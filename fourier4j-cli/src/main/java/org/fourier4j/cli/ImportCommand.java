package org.fourier4j.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fourier4j.inference.ModelDirectoryException;
import org.fourier4j.inference.Preprocessing;
import org.fourier4j.inference.WeightImporter;
import org.fourier4j.models.ModelStats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fourier4j import}: published weights into a model directory. */
@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Imports weights published for a zoo model (the official code's .pth/.pth.tar, timm's"
                    + " model.safetensors or pytorch_model.bin, or a fourier4j export) into a model"
                    + " directory that eval, predict, forward, export, bench latency and train"
                    + " --init-from accept.",
            "The names are translated through the family's scheme (--names, or the scheme that"
                    + " matches the most); what the shapes decide (classes, image size, widths,"
                    + " depths, training or deploy form) is checked against the named model, and a"
                    + " difference names the -o KEY=VALUE that makes them agree. Loading is strict:"
                    + " every parameter, every tensor and every shape must match (--no-strict"
                    + " loads what fits and lists the rest). Nothing is written on an error."
        })
final class ImportCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "NAME", description = "Zoo name.")
    private String model;

    @Option(
            names = {"-o", "--override"},
            paramLabel = "KEY=VALUE",
            description = "Zoo override (repeatable), e.g. -o depths=3,3,27,3.")
    private List<String> overrides = new ArrayList<>();

    @Option(names = "--weights", required = true, paramLabel = "FILE", description = "The weights.")
    private Path weights;

    @Option(
            names = "--names",
            defaultValue = "auto",
            paramLabel = "official|timm|fourier4j|auto",
            description = "Naming scheme of the weights. Default: ${DEFAULT-VALUE}.")
    private String names;

    @Option(names = "--no-strict", description = "Load what fits; report the rest.")
    private boolean noStrict;

    @Option(
            names = "--adopt-config",
            description =
                    "Take the settings the weights decide (widths, depths, kernel sizes) instead"
                            + " of refusing weights saved from another configuration.")
    private boolean adoptConfig;

    @Option(
            names = "--num-classes",
            paramLabel = "N",
            description = "A fresh N-class head for fine-tuning (the weights' head is left out).")
    private Integer numClasses;

    @Option(
            names = "--image-size",
            paramLabel = "N",
            description = "Input size (default: what the weights fix, else the model's default).")
    private Integer imageSize;

    @Option(
            names = "--entry",
            paramLabel = "KEY",
            description = "The torch.save entry holding the state dict (e.g. model_ema).")
    private String entry;

    @Option(
            names = "--classes",
            paramLabel = "FILE",
            description = "Class names, one per line (default: 0, 1, ...).")
    private Path classes;

    @Option(
            names = "--mean",
            paramLabel = "R,G,B",
            split = ",",
            description = "Normalisation mean of [0, 1] pixels (default: ImageNet's).")
    private double[] mean;

    @Option(
            names = "--std",
            paramLabel = "R,G,B",
            split = ",",
            description = "Normalisation std of [0, 1] pixels (default: ImageNet's).")
    private double[] std;

    @Option(
            names = "--crop-pct",
            defaultValue = "0.875",
            paramLabel = "X",
            description = "Centre crop over resized image, as timm (default: ${DEFAULT-VALUE}).")
    private double cropPct;

    @Option(
            names = "--interpolation",
            defaultValue = "bicubic",
            paramLabel = "bicubic|bilinear",
            description = "Resampling filter. Default: ${DEFAULT-VALUE}.")
    private String interpolation;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Model directory.")
    private Path out;

    @Override
    public Integer call() throws IOException {
        if (!(cropPct > 0 && cropPct <= 1)) {
            throw new IllegalArgumentException("--crop-pct must be in (0, 1], got " + cropPct);
        }
        Preprocessing.Interpolation filter;
        try {
            filter = Preprocessing.Interpolation.valueOf(interpolation.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "--interpolation must be bicubic or bilinear, got '" + interpolation + "'");
        }
        List<String> classNames = classes == null ? null : readClasses(classes);
        double[] m = mean == null ? Preprocessing.IMAGENET_MEAN : mean;
        double[] sd = std == null ? Preprocessing.IMAGENET_STD : std;
        WeightImporter.Request request =
                new WeightImporter.Request(
                        model,
                        Overrides.parse(overrides),
                        weights,
                        names,
                        !noStrict,
                        numClasses,
                        imageSize,
                        size ->
                                new Preprocessing(
                                        (int) Math.floor(size / cropPct), size, filter, m, sd),
                        classNames,
                        entry,
                        adoptConfig);
        WeightImporter.Result r = WeightImporter.importTo(request, out);
        System.out.printf(
                Locale.ROOT,
                "imported %s from %s (%s names): %d parameters, %.2fM values, %d classes,"
                        + " image size %d, %s form%n",
                r.card().model(),
                weights,
                r.scheme(),
                r.loaded(),
                ModelStats.parameterCount(r.model()) / 1e6,
                r.card().numClasses(),
                r.card().imageSize(),
                r.card().form());
        for (String n : r.notes()) {
            System.out.println("  " + n);
        }
        if (!r.notLoaded().isEmpty()) {
            System.out.println("  not loaded (--no-strict): " + r.notLoaded().summary(10));
        }
        System.out.println("model directory: " + out);
        return 0;
    }

    private static List<String> readClasses(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new ModelDirectoryException("--classes " + file + " does not exist");
        }
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                out.add(line.strip());
            }
        }
        return out;
    }

    /** Parses repeated {@code -o KEY=VALUE}. */
    static final class Overrides {
        private Overrides() {}

        static Map<String, Object> parse(List<String> items) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (String o : items) {
                int eq = o.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("-o needs KEY=VALUE, got '" + o + "'");
                }
                out.put(o.substring(0, eq).strip(), o.substring(eq + 1).strip());
            }
            return out;
        }
    }
}
