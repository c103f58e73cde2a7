package org.fourier4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fourier4j.data.BundledSample;
import org.fourier4j.data.CifarFormat;
import org.fourier4j.data.CifarReader;
import org.fourier4j.train.ConfigException;
import org.fourier4j.train.ModelFactory;
import org.fourier4j.train.RunDirectory;
import org.fourier4j.train.TrainConfig;
import org.fourier4j.train.TrainData;
import org.fourier4j.train.TrainProgress;
import org.fourier4j.train.TrainSummary;
import org.fourier4j.train.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fourier4j train}: trains a zoo model, or resumes a run. */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Trains a model of the zoo (see: fourier4j models) and writes a run directory:"
                    + " config.json (the resolved configuration), metrics.csv and metrics.jsonl"
                    + " (one row per epoch), last.ckpt, best.ckpt (best validation top-1),"
                    + " confusion_matrix.csv and summary.json. At every best.ckpt it also writes"
                    + " model.json, model.safetensors (the weights eval and predict use: the"
                    + " weight average when ema_decay is set) and serving.properties, so the run"
                    + " directory is a model directory (eval, predict, forward, export, bench"
                    + " latency, the Java API, --init-from).",
            "",
            "Configuration: the defaults, overlaid by --config FILE (JSON or YAML), overlaid by"
                    + " the flags and --override KEY=VALUE (any configuration key). Before the run"
                    + " starts, model, num_classes (the data's class count) and img_size (32 for"
                    + " CIFAR data, else the model's design resolution) are resolved into the"
                    + " saved configuration, so eval and predict can rebuild the model from the"
                    + " checkpoint alone.",
            "",
            "Model keys: img_size, in_chans, num_classes and drop_path_rate are options of"
                    + " every model; embed_dim, dim_feedforward, num_layers, num_heads,"
                    + " patch_size, dropout_rate, head_tanh, fourier_norm and any other override"
                    + " key of the zoo (e.g. depths, dims) go to the model as overrides. A key"
                    + " the model cannot take is an error that lists the keys it takes.",
            "",
            "Without --data the bundled CIFAR-10 sample is used (4,000 training and 1,000"
                    + " validation images).",
            "",
            "--resume continues the run in --out DIR (or --resume DIR) from its last.ckpt with"
                    + " its saved configuration; only num_workers, prefetch, progress,"
                    + " checkpoint_every_steps, max_steps, dataset_path, val_path and save_dir may"
                    + " change.",
            "",
            "A non-finite loss stops the run with exit code 3; the last good checkpoint is left"
                    + " untouched."
        })
final class TrainCommand implements Callable<Integer> {

    @Option(
            names = "--model",
            paramLabel = "NAME",
            description = "Model name (see: fourier4j models), e.g. fit-tiny.")
    private String model;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "Configuration file (.json, .yaml, .yml).")
    private Path configFile;

    @Option(
            names = "--data",
            paramLabel = "DIR|FILE",
            description =
                    "CIFAR-10/100 directory, batch file or .tar.gz, or an image folder (one"
                            + " sub-folder per class). Default: the bundled sample.")
    private String data;

    @Option(names = "--epochs", paramLabel = "N", description = "Training epochs.")
    private Integer epochs;

    @Option(names = "--batch-size", paramLabel = "N", description = "Images per batch.")
    private Integer batchSize;

    @Option(names = "--lr", paramLabel = "X", description = "Peak learning rate.")
    private Double lr;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of every random choice.")
    private Long seed;

    @Option(
            names = "--time-budget",
            paramLabel = "MINUTES",
            description =
                    "Finish within this wall time, validation included (time_budget_minutes):"
                            + " the schedule follows the clock, --epochs is an upper bound.")
    private Double timeBudget;

    @Option(
            names = "--init-from",
            paramLabel = "DIR",
            description =
                    "Start from the weights of a model directory (fourier4j import, or a run of"
                            + " fourier4j train) instead of a random initialisation (init_from);"
                            + " loaded by parameter name, so the model must be the same; a"
                            + " different number of classes gets a fresh classifier.")
    private Path initFrom;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description =
                    "The run directory (default: save_dir/run_name, i.e."
                            + " runs/<model>-<time>). A new run refuses a non-empty directory.")
    private Path out;

    @Option(
            names = "--resume",
            arity = "0..1",
            fallbackValue = "",
            paramLabel = "DIR",
            description = "Continue the run in DIR (or in --out) from its last.ckpt.")
    private String resume;

    @Option(
            names = {"-o", "--override"},
            paramLabel = "KEY=VALUE",
            description =
                    "Set any configuration key (repeatable), e.g. -o embed_dim=64 -o"
                            + " max_steps=100; lists as a,b.")
    private List<String> overrides = new ArrayList<>();

    @Option(
            names = "--progress",
            defaultValue = "auto",
            paramLabel = "auto|bar|lines|none",
            description =
                    "Progress on stderr: a bar redrawn in place, plain lines (one per epoch and"
                            + " one every 30 s; no carriage returns, for logs), or none; auto: a"
                            + " bar when stderr is a terminal, else lines. Default:"
                            + " ${DEFAULT-VALUE}.")
    private String progress;

    @Option(
            names = "--format",
            defaultValue = "table",
            converter = ReportFormat.Converter.class,
            paramLabel = "table|json",
            description =
                    "How the outcome is printed: table or json (summary.json). Default:"
                            + " ${DEFAULT-VALUE}.")
    private ReportFormat format;

    @Override
    public Integer call() throws IOException {
        Map<String, String> flags = flagValues();
        TrainProgress.Mode mode = TrainProgress.Mode.parse(progress);
        TrainingRun run = resume != null ? resumeRun(flags) : newRun(flags);
        run.withProgress(TrainProgress.of(mode));
        System.err.println(
                "train: "
                        + run.config().modelName()
                        + " "
                        + run.config().modelKeysSet()
                        + " on "
                        + run.data().train()
                        + "; validation: "
                        + (run.data().val() == null
                                ? "none"
                                : run.data().splitRule() + " (" + run.data().val().size() + ")")
                        + "; run directory "
                        + run.directory().path());
        TrainSummary s = run.run();
        System.out.print(report(s, run.directory()));
        return 0;
    }

    /** The flags as configuration keys with their text values, in a fixed order. */
    private Map<String, String> flagValues() {
        Map<String, String> m = new LinkedHashMap<>();
        Map<String, String> origin = new LinkedHashMap<>();
        put(m, origin, "model", model, "--model");
        put(m, origin, "dataset_path", data, "--data");
        put(m, origin, "epochs", epochs, "--epochs");
        put(m, origin, "batch_size", batchSize, "--batch-size");
        put(m, origin, "lr", lr, "--lr");
        put(m, origin, "seed", seed, "--seed");
        put(m, origin, "time_budget_minutes", timeBudget, "--time-budget");
        put(m, origin, "init_from", initFrom, "--init-from");
        for (String o : overrides) {
            int eq = o.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--override needs KEY=VALUE, got '" + o + "'");
            }
            String key = TrainConfig.canonical(o.substring(0, eq).strip());
            put(m, origin, key, o.substring(eq + 1).strip(), "--override " + o);
        }
        return m;
    }

    private static void put(
            Map<String, String> m,
            Map<String, String> origin,
            String key,
            Object value,
            String flag) {
        if (value == null) {
            return;
        }
        String text = String.valueOf(value);
        String prev = m.get(key);
        if (prev != null && !prev.equals(text)) {
            throw new ConfigException(
                    key
                            + " is given twice on the command line with different values: "
                            + origin.get(key)
                            + " ("
                            + prev
                            + ") and "
                            + flag
                            + " ("
                            + text
                            + ")");
        }
        m.put(key, text);
        origin.putIfAbsent(key, flag);
    }

    private TrainingRun newRun(Map<String, String> flags) {
        TrainConfig c = TrainConfig.resolve(configFile, flags);
        if (out != null) {
            Path abs = out.toAbsolutePath().normalize();
            Map<String, Object> where = new LinkedHashMap<>();
            where.put("save_dir", abs.getParent() == null ? "/" : abs.getParent().toString());
            where.put("run_name", abs.getFileName().toString());
            c = c.with(where, "from --out");
        }
        if (c.modelName() == null) {
            throw new ConfigException(
                    "no model given: use --model NAME or set 'model' in the configuration (list"
                            + " the names with: fourier4j models)");
        }
        if (c.model().imgSize() == null) {
            int size =
                    isCifar(c.data().datasetPath())
                            ? CifarFormat.SIZE
                            : (int) c.model().inputShape().get(1);
            c = c.with(Map.of("img_size", size), "(resolved)");
        }
        c.validate(); // before the data loads
        TrainData d = TrainData.load(c, c.model().inputShape());
        if (c.model().numClasses() == null) {
            c = c.with(Map.of("num_classes", d.train().numClasses()), "(from the data)");
        }
        return TrainingRun.start(c, ModelFactory.zoo(c), d);
    }

    private static boolean isCifar(String path) {
        if (path.equals(BundledSample.DATASET_PATH)) {
            return true;
        }
        Path p = Path.of(path);
        return Files.exists(p) && CifarReader.looksLikeCifar(p);
    }

    private TrainingRun resumeRun(Map<String, String> flags) {
        Path dir;
        if (!resume.isEmpty()) {
            dir = Path.of(resume);
            if (out != null
                    && !out.toAbsolutePath().normalize().equals(dir.toAbsolutePath().normalize())) {
                throw new IllegalArgumentException(
                        "--resume " + resume + " and --out " + out + " name different runs");
            }
        } else if (out != null) {
            dir = out;
        } else {
            throw new IllegalArgumentException(
                    "--resume needs the run directory: --resume DIR or --out DIR");
        }
        if (configFile != null) {
            throw new IllegalArgumentException(
                    "--config cannot be used with --resume: the run continues with its saved"
                            + " config.json (change resumable keys with flags or --override)");
        }
        RunDirectory rd = RunDirectory.open(dir);
        TrainConfig c =
                TrainConfig.defaults().with(TrainConfig.readFile(rd.config()), "in " + rd.config());
        for (Map.Entry<String, String> e : flags.entrySet()) {
            c = c.override(e.getKey(), e.getValue());
        }
        if (c.modelName() == null) {
            throw new ConfigException(rd.config() + " names no model");
        }
        TrainData d = null;
        if (c.model().numClasses() == null) {
            // a run started without the command line: count the classes of its data
            d = TrainData.load(c, c.model().inputShape());
            c = c.with(Map.of("num_classes", d.train().numClasses()), "(from the data)");
        }
        return TrainingRun.resume(dir, ModelFactory.zoo(c), flags, d);
    }

    private String report(TrainSummary s, RunDirectory dir) throws IOException {
        ObjectMapper json = new ObjectMapper();
        if (format == ReportFormat.JSON) {
            JsonNode summary = json.readTree(dir.summary().toFile());
            return Text.json(summary);
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(
                List.of(
                        "epoch",
                        "step",
                        "lr",
                        "train_loss",
                        "train_acc",
                        "val_loss",
                        "val_top1",
                        "val_top5",
                        "images/s"));
        for (String line : Files.readAllLines(dir.metricsJsonl())) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode m = json.readTree(line);
            rows.add(
                    List.of(
                            m.get("epoch").asText(),
                            m.get("global_step").asText(),
                            String.format(java.util.Locale.ROOT, "%.3g", m.get("lr").asDouble()),
                            num(m.get("train_loss")),
                            num(m.get("train_acc")),
                            num(m.get("val_loss")),
                            num(m.get("val_top1")),
                            num(m.get("val_top5")),
                            String.format(
                                    java.util.Locale.ROOT,
                                    "%.0f",
                                    m.get("images_per_s").asDouble())));
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("run directory", s.runDirectory());
        p.put("status", s.status() + " (ended by " + s.endedBy().replace('_', ' ') + ")");
        p.put("epochs completed", s.epochsCompleted());
        p.put("optimiser steps", s.globalSteps());
        if (s.bestEpoch() > 0 && !Double.isNaN(s.bestValTop1())) {
            p.put("best epoch", s.bestEpoch() + " (val top-1 " + Text.num(s.bestValTop1()) + ")");
        }
        p.put("seconds", String.format(java.util.Locale.ROOT, "%.1f", s.seconds()));
        if (s.runSeconds() > s.seconds() + 0.05) { // resumed: the run's time over its processes
            p.put("run seconds", String.format(java.util.Locale.ROOT, "%.1f", s.runSeconds()));
        }
        return (rows.size() > 1 ? Text.table(rows) + "\n" : "") + Text.pairs(p);
    }

    private static String num(JsonNode n) {
        return n == null || n.isNull() ? "-" : Text.num(n.asDouble());
    }
}
