package org.fourier4j.cli;

import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
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
import org.fourier4j.data.Augmentation;
import org.fourier4j.data.BatchLoader;
import org.fourier4j.data.BundledSample;
import org.fourier4j.data.ChannelStats;
import org.fourier4j.data.CifarData;
import org.fourier4j.data.CifarReader;
import org.fourier4j.data.DataException;
import org.fourier4j.data.ImageSet;
import org.fourier4j.inference.LoadedModel;
import org.fourier4j.inference.ModelCard;
import org.fourier4j.inference.Preprocessing;
import org.fourier4j.train.EvalResult;
import org.fourier4j.train.Evaluator;
import org.fourier4j.train.TrainConfig;
import org.fourier4j.train.TrainData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fourier4j eval}: a trained model's loss, top-1/top-5, per-class accuracy, confusion. */
@Command(
        name = "eval",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Evaluates a model on labelled images: mean cross-entropy loss, top-1 and top-5"
                    + " accuracy, per-class accuracy and the confusion matrix (rows: true class,"
                    + " columns: predicted class).",
            "",
            "The model is a model directory (from import or train), a training run or a .ckpt"
                    + " file; a run's weight average is used when it has one (as training"
                    + " evaluated), unless --raw-weights. Inputs are normalised as the model's"
                    + " card says (a run: its data's statistics).",
            "",
            "--split val: a run's validation images, chosen by the run's val_split from --data"
                    + " (default: the run's dataset_path); for the bundled sample that is the"
                    + " sample's 1,000-image validation part. A model that was not trained here"
                    + " (imported) has no data of its own: --data is required, and every image"
                    + " of it is evaluated; its classes must be the model's.",
            "",
            "--split test: the official CIFAR test set, test_batch.bin (CIFAR-10) or test.bin"
                    + " (CIFAR-100) in --data. The bundled sample has no test set: its"
                    + " test_batch.bin holds its validation part, so --split test refuses it."
        })
final class EvalCommand implements Callable<Integer> {

    enum Split {
        VAL,
        TEST
    }

    @Option(
            names = "--checkpoint",
            required = true,
            paramLabel = "DIR|FILE",
            description =
                    "A model directory (from import or train), a run directory (its best"
                            + " weights, see --weights) or a .ckpt file.")
    private Path checkpoint;

    @Option(
            names = "--weights",
            defaultValue = "best",
            paramLabel = "best|last",
            description =
                    "Which checkpoint of a run directory: best (best validation top-1; last.ckpt"
                            + " if no epoch finished) or last. Default: ${DEFAULT-VALUE}.")
    private String weights;

    @Option(
            names = "--raw-weights",
            description = "Use the trained weights even when the checkpoint has a weight average.")
    private boolean rawWeights;

    @Option(
            names = "--data",
            paramLabel = "DIR|FILE",
            description = "The data (default: the run's dataset_path).")
    private String data;

    @Option(
            names = "--split",
            defaultValue = "val",
            paramLabel = "val|test",
            description = "val or test (see above). Default: ${DEFAULT-VALUE}.")
    private String split;

    @Option(
            names = "--batch-size",
            paramLabel = "N",
            description = "Images per batch (default: the run's eval_batch_size or batch_size).")
    private Integer batchSize;

    @Mixin private ReportOutput output;

    @Option(
            names = "--out",
            paramLabel = "FILE",
            description = "Also write the results as JSON to this file.")
    private Path out;

    @Override
    public Integer call() throws IOException {
        Split which = parseSplit(split);
        if (batchSize != null && batchSize < 1) {
            throw new IllegalArgumentException("--batch-size must be at least 1, got " + batchSize);
        }
        try (LoadedModel m = OpenedModel.open(checkpoint, weights, !rawWeights, System.err)) {
            ModelCard card = m.card();
            TrainConfig run = OpenedModel.runConfig(card);
            if (run == null && data == null) {
                throw new DataException(
                        checkpoint
                                + " holds model '"
                                + card.model()
                                + "', which was not trained here and has no data of its own:"
                                + " give --data with labelled images of its "
                                + card.numClasses()
                                + " classes");
            }
            // without a run, the images given are the evaluation data as they are
            TrainConfig c =
                    run != null ? run : TrainConfig.defaults().override("val_split", "none");
            String path = data != null ? data : c.data().datasetPath();
            ImageSet images;
            String rule;
            if (which == Split.VAL) {
                Shape input = new Shape(card.inChannels(), card.imageSize(), card.imageSize());
                TrainData d =
                        TrainData.load(c.with(Map.of("dataset_path", path), "from --data"), input);
                if (run == null) {
                    images = d.train();
                    rule = "every image of " + path;
                } else if (d.val() == null) {
                    throw new DataException(
                            "--split val: the run has no validation split (val_split "
                                    + c.data().valSplit()
                                    + "); use --split test with CIFAR data");
                } else {
                    images = d.val();
                    rule = d.splitRule();
                }
            } else {
                images = testSet(path, c);
                rule = "the official test set " + images.source();
            }
            OpenedModel.checkFits(m, images);
            int batch = batchSize != null ? batchSize : c.data().evalBatch();
            System.err.printf(
                    Locale.ROOT,
                    "eval: %s (%s weights) of %s on %s (%d images)%n",
                    card.model(),
                    m.weightsNote(),
                    OpenedModel.checkpoint(m),
                    rule,
                    images.size());
            Preprocessing pre = card.preprocessing();
            EvalResult r;
            try (BatchLoader loader =
                    new BatchLoader(
                            images,
                            new ChannelStats(pre.mean(), pre.std()),
                            Augmentation.none(),
                            new BatchLoader.Options(
                                    batch,
                                    false,
                                    false,
                                    c.data().numWorkers(),
                                    c.data().prefetch(),
                                    c.run().seed()))) {
                r =
                        Evaluator.evaluate(
                                m.model(),
                                new ParameterStore(m.manager(), false),
                                loader,
                                m.manager());
            }
            Map<String, Object> report = report(m, path, which, rule, r);
            String json = Text.json(report);
            if (out != null) {
                Path parent = out.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                Files.writeString(out, json, StandardCharsets.UTF_8);
            }
            output.print(() -> json, () -> table(report, r));
        }
        return 0;
    }

    static Split parseSplit(String s) {
        return switch (s) {
            case "val" -> Split.VAL;
            case "test" -> Split.TEST;
            default ->
                    throw new IllegalArgumentException(
                            "--split must be val or test, got '" + s + "'");
        };
    }

    /** The official test batch at a CIFAR path. */
    private static ImageSet testSet(String path, TrainConfig c) {
        if (path.equals(BundledSample.DATASET_PATH)) {
            throw new DataException(
                    "--split test: the bundled sample has no test set (its test_batch.bin is the"
                            + " sample's validation part, which --split val evaluates); give"
                            + " --data with a CIFAR directory holding test_batch.bin or test.bin");
        }
        Path p = Path.of(path);
        if (!Files.exists(p)) {
            throw new DataException("--split test: " + path + " does not exist");
        }
        if (!CifarReader.looksLikeCifar(p)) {
            throw new DataException(
                    "--split test needs CIFAR data with test_batch.bin (CIFAR-10) or test.bin"
                            + " (CIFAR-100), but "
                            + path
                            + " is not CIFAR data");
        }
        CifarData d = CifarReader.read(p, c.data().cifar100Labels());
        if (d.test() == null) {
            throw new DataException(
                    "--split test: "
                            + path
                            + " has no test batch (test_batch.bin for CIFAR-10, test.bin for"
                            + " CIFAR-100)");
        }
        return d.test();
    }

    private static Map<String, Object> report(
            LoadedModel m, String data, Split split, String rule, EvalResult r) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("checkpoint", OpenedModel.checkpoint(m));
        o.put("model", m.card().model());
        o.put("weights", m.weightsNote());
        o.put("epochs_completed", m.card().source().get("epochs_completed"));
        o.put("global_step", m.card().source().get("global_step"));
        o.put("data", data);
        o.put("split", split.name().toLowerCase(Locale.ROOT));
        o.put("split_rule", rule);
        o.put("images", r.images());
        o.put("loss", r.loss());
        o.put("top1", r.top1());
        o.put("top5", r.top5());
        o.put("classes", r.classes());
        Map<String, Object> perClass = new LinkedHashMap<>();
        double[] acc = r.perClassAccuracy();
        for (int i = 0; i < acc.length; i++) {
            perClass.put(r.classes().get(i), Double.isNaN(acc[i]) ? null : acc[i]);
        }
        o.put("per_class_accuracy", perClass);
        o.put("confusion_matrix", r.confusion());
        return o;
    }

    private static String table(Map<String, Object> report, EvalResult r) {
        Map<String, Object> head = new LinkedHashMap<>();
        head.put("model", report.get("model") + " (" + report.get("weights") + " weights)");
        head.put(
                "checkpoint",
                report.get("checkpoint")
                        + " (epoch "
                        + report.get("epochs_completed")
                        + ", step "
                        + report.get("global_step")
                        + ")");
        head.put("split", report.get("split") + ": " + report.get("split_rule"));
        head.put("images", r.images());
        head.put("loss", Text.num(r.loss()));
        head.put("top-1", Text.num(r.top1()));
        head.put("top-5", Text.num(r.top5()));
        StringBuilder sb = new StringBuilder(Text.pairs(head)).append('\n');
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("class", "images", "correct", "accuracy"));
        double[] acc = r.perClassAccuracy();
        long[][] cm = r.confusion();
        for (int i = 0; i < acc.length; i++) {
            long n = 0;
            for (long v : cm[i]) {
                n += v;
            }
            rows.add(
                    List.of(
                            i + " " + r.classes().get(i),
                            String.valueOf(n),
                            String.valueOf(cm[i][i]),
                            Text.num(acc[i])));
        }
        sb.append(Text.table(rows)).append('\n');
        sb.append("confusion matrix (rows: true class, columns: predicted class)\n");
        List<List<String>> matrix = new ArrayList<>();
        List<String> header = new ArrayList<>();
        header.add("true\\pred");
        for (int j = 0; j < cm.length; j++) {
            header.add(String.valueOf(j));
        }
        matrix.add(header);
        for (int i = 0; i < cm.length; i++) {
            List<String> row = new ArrayList<>();
            row.add(i + " " + r.classes().get(i));
            for (long v : cm[i]) {
                row.add(String.valueOf(v));
            }
            matrix.add(row);
        }
        sb.append(Text.table(matrix));
        return sb.toString();
    }
}
