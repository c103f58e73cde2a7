package org.fourier4j.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fourier4j.data.Augmentation;
import org.fourier4j.data.BatchLoader;
import org.fourier4j.data.DataException;
import org.fourier4j.data.HostBatch;
import org.fourier4j.data.ImageFolderReader;
import org.fourier4j.data.ImageSet;
import org.fourier4j.models.ImageClassifier;
import org.fourier4j.plan.InferencePlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fourier4j predict}: top-k classes of image files. */
@Command(
        name = "predict",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Classifies image files (JPEG or PNG, any size) with a trained checkpoint and prints"
                    + " the top-k classes with their softmax probabilities, most probable first.",
            "",
            "Each image is converted to RGB, its shorter side scaled to the model's input size"
                    + " (antialiased bilinear) and the centre cropped, exactly as image-folder"
                    + " training data is read, then normalised with the run's statistics. The"
                    + " model's weight average is used when the checkpoint has one, unless"
                    + " --raw-weights."
        })
final class PredictCommand implements Callable<Integer> {

    @Option(
            names = "--checkpoint",
            required = true,
            paramLabel = "DIR|FILE",
            description = "A run directory (its best.ckpt, see --weights) or a .ckpt file.")
    private Path checkpoint;

    @Option(
            names = "--weights",
            defaultValue = "best",
            paramLabel = "best|last",
            description = "Which checkpoint of a run directory. Default: ${DEFAULT-VALUE}.")
    private String weights;

    @Option(
            names = "--raw-weights",
            description = "Use the trained weights even when the checkpoint has a weight average.")
    private boolean rawWeights;

    @Option(
            names = "--top-k",
            defaultValue = "5",
            paramLabel = "K",
            description =
                    "Classes per image (at most the number of classes). Default:"
                            + " ${DEFAULT-VALUE}.")
    private int topK;

    @Option(
            names = "--batch-size",
            defaultValue = "32",
            paramLabel = "N",
            description = "Images per forward pass. Default: ${DEFAULT-VALUE}.")
    private int batchSize;

    @Option(
            names = "--format",
            defaultValue = "table",
            converter = ReportFormat.Converter.class,
            paramLabel = "table|json",
            description = "table or json. Default: ${DEFAULT-VALUE}.")
    private ReportFormat format;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Image files.")
    private List<Path> images;

    @Override
    public Integer call() {
        if (topK < 1) {
            throw new IllegalArgumentException("--top-k must be at least 1, got " + topK);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("--batch-size must be at least 1, got " + batchSize);
        }
        TrainedModel.Which w = EvalCommand.parseWeights(weights);
        Path file = TrainedModel.resolve(checkpoint, w, System.err);
        try (TrainedModel m = TrainedModel.load(file, !rawWeights, System.err)) {
            long[] in = m.factory.inputShape().getShape();
            if (in[0] != 3) {
                throw new IllegalArgumentException(
                        "predict reads RGB images, but model '"
                                + m.factory.name()
                                + "' of "
                                + file
                                + " takes "
                                + in[0]
                                + " channel(s)");
            }
            int h = (int) in[1];
            int wd = (int) in[2];
            int k = Math.min(topK, m.classes.size());
            if (k < topK) {
                System.err.printf(
                        Locale.ROOT,
                        "note: --top-k %d is more than the model's %d classes; showing %d%n",
                        topK,
                        m.classes.size(),
                        k);
            }
            // decode everything first, so that a bad file fails before any output
            byte[][] pixels = new byte[images.size()][];
            for (int i = 0; i < pixels.length; i++) {
                Path image = images.get(i);
                if (!Files.isRegularFile(image)) {
                    throw new DataException(
                            "image not found: "
                                    + image
                                    + (Files.exists(image) ? " is not a file" : " does not exist"));
                }
                pixels[i] = ImageFolderReader.decode(image, h, wd);
            }
            // labels are unknown: 0 is a placeholder the loader needs and nothing reads
            ImageSet set =
                    new ImageSet(3, h, wd, pixels, new int[pixels.length], m.classes, "the images");
            List<Map<String, Object>> results = new ArrayList<>();
            try (BatchLoader loader =
                    new BatchLoader(
                            set,
                            m.stats,
                            Augmentation.none(),
                            new BatchLoader.Options(batchSize, false, false, 0, 1, 0))) {
                // zoo models run as their inference plan (same logits, fewer engine calls)
                try (BatchLoader.EpochIterator it = loader.epoch(0, 0);
                        InferencePlan plan =
                                m.block instanceof ImageClassifier
                                        ? InferencePlan.compile((ImageClassifier) m.block)
                                        : null) {
                    while (it.hasNext()) {
                        HostBatch b = it.next();
                        float[] logits;
                        try (NDManager scope = m.manager.newSubManager()) {
                            NDArray x = b.inputs(scope);
                            NDArray y =
                                    plan != null
                                            ? plan.logits(x)
                                            : m.block
                                                    .forward(m.store, new NDList(x), false)
                                                    .singletonOrThrow();
                            logits = y.toFloatArray();
                        }
                        int classes = m.classes.size();
                        for (int i = 0; i < b.size(); i++) {
                            double[] p =
                                    softmax(
                                            Arrays.copyOfRange(
                                                    logits, i * classes, (i + 1) * classes));
                            results.add(result(images.get(b.indices()[i]), p, k, m.classes));
                        }
                    }
                }
            }
            System.err.printf(
                    Locale.ROOT,
                    "predict: %s (%s weights) of %s, images resized to %dx%d%n",
                    m.factory.name(),
                    m.weightsName(),
                    file,
                    h,
                    wd);
            System.out.print(format == ReportFormat.JSON ? Text.json(results) : table(results));
        }
        return 0;
    }

    /**
     * Softmax in double precision.
     *
     * @param logits one image's logits
     * @return probabilities summing to 1 up to rounding
     */
    static double[] softmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp(logits[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    private static Map<String, Object> result(Path image, double[] p, int k, List<String> classes) {
        Integer[] order = new Integer[p.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(
                order, Comparator.comparingDouble((Integer i) -> -p[i]).thenComparingInt(i -> i));
        List<Map<String, Object>> top = new ArrayList<>();
        for (int r = 0; r < k; r++) {
            int c = order[r];
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("rank", r + 1);
            e.put("class_index", c);
            e.put("label", classes.get(c));
            e.put("probability", p[c]);
            top.add(e);
        }
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("image", image.toString());
        o.put("predictions", top);
        return o;
    }

    @SuppressWarnings("unchecked")
    private static String table(List<Map<String, Object>> results) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("image", "rank", "label", "probability"));
        for (Map<String, Object> r : results) {
            for (Map<String, Object> e : (List<Map<String, Object>>) r.get("predictions")) {
                rows.add(
                        List.of(
                                String.valueOf(r.get("image")),
                                String.valueOf(e.get("rank")),
                                String.valueOf(e.get("label")),
                                Text.num((Double) e.get("probability"))));
            }
        }
        return Text.table(rows);
    }
}
