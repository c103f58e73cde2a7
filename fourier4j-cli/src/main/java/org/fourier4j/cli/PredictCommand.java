package org.fourier4j.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
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
import org.fourier4j.data.DataException;
import org.fourier4j.data.ImageFolderReader;
import org.fourier4j.inference.ImagePreprocessor;
import org.fourier4j.inference.LoadedModel;
import org.fourier4j.inference.ModelCard;
import org.fourier4j.inference.Preprocessing;
import org.fourier4j.inference.djl.ClassificationTranslator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fourier4j predict}: top-k classes of image files. */
@Command(
        name = "predict",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Classifies image files (JPEG or PNG, any size) with a model and prints the top-k"
                    + " classes with their softmax probabilities, most probable first. The model"
                    + " is a model directory (from import or train), a training run or a .ckpt"
                    + " file.",
            "",
            "Each image is prepared as the model's card says (model.json: shorter side scaled,"
                    + " centre crop, normalised), the same numbers as the Java API's predictor"
                    + " (Fourier4jModels.classifier); a model trained here scales to its input"
                    + " size exactly as image-folder training data is read and normalises with"
                    + " the run's statistics. A run's weight average is used when it has one,"
                    + " unless --raw-weights."
        })
final class PredictCommand implements Callable<Integer> {

    @Option(
            names = "--checkpoint",
            required = true,
            paramLabel = "DIR|FILE",
            description =
                    "A model directory, a run directory (its best weights, see --weights) or a"
                            + " .ckpt file.")
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

    @Mixin private EngineOption engine;

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

    @Mixin private ReportOutput output;

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
        engine.apply();
        try (LoadedModel m = OpenedModel.open(checkpoint, weights, !rawWeights, System.err)) {
            ModelCard card = m.card();
            if (card.inChannels() != 3) {
                throw new IllegalArgumentException(
                        "predict reads RGB images, but model '"
                                + card.model()
                                + "' of "
                                + checkpoint
                                + " takes "
                                + card.inChannels()
                                + " channel(s)");
            }
            List<String> classes = card.classes();
            int k = Math.min(topK, classes.size());
            if (k < topK) {
                System.err.printf(
                        Locale.ROOT,
                        "note: --top-k %d is more than the model's %d classes; showing %d%n",
                        topK,
                        classes.size(),
                        k);
            }
            // decode everything first, so that a bad file fails before any output
            ImagePreprocessor pre = new ImagePreprocessor(card.preprocessing());
            int crop = card.preprocessing().crop();
            float[][] inputs = new float[images.size()][];
            for (int i = 0; i < inputs.length; i++) {
                Path image = images.get(i);
                if (!Files.isRegularFile(image)) {
                    throw new DataException(
                            "image not found: "
                                    + image
                                    + (Files.exists(image) ? " is not a file" : " does not exist"));
                }
                BufferedImage img = ImageFolderReader.read(image);
                int w = img.getWidth();
                int h = img.getHeight();
                inputs[i] = pre.normalise(pre.pixels(img.getRGB(0, 0, w, h, null, 0, w), w, h));
            }
            List<Map<String, Object>> results = new ArrayList<>();
            for (int from = 0; from < inputs.length; from += batchSize) {
                int n = Math.min(batchSize, inputs.length - from);
                float[] batch = new float[n * 3 * crop * crop];
                for (int i = 0; i < n; i++) {
                    System.arraycopy(
                            inputs[from + i], 0, batch, i * 3 * crop * crop, 3 * crop * crop);
                }
                float[] logits;
                try (NDManager scope = m.manager().newSubManager()) {
                    NDArray x = scope.create(batch, new Shape(n, 3, crop, crop));
                    logits = m.logits(x).toFloatArray();
                }
                for (int i = 0; i < n; i++) {
                    List<Double> p =
                            ClassificationTranslator.softmax(
                                    Arrays.copyOfRange(
                                            logits, i * classes.size(), (i + 1) * classes.size()));
                    results.add(result(images.get(from + i), p, k, classes));
                }
            }
            Preprocessing p = card.preprocessing();
            System.err.printf(
                    Locale.ROOT,
                    "predict: %s (%s weights) of %s, images resized to %s%n",
                    card.model(),
                    m.weightsNote(),
                    OpenedModel.checkpoint(m),
                    p.resize() == crop
                            ? crop + "x" + crop
                            : p.resize() + " and cropped to " + crop + "x" + crop);
            output.print(() -> Text.json(results), () -> table(results));
        }
        return 0;
    }

    private static Map<String, Object> result(
            Path image, List<Double> p, int k, List<String> classes) {
        Integer[] order = new Integer[p.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(
                order,
                Comparator.comparingDouble((Integer i) -> -p.get(i)).thenComparingInt(i -> i));
        List<Map<String, Object>> top = new ArrayList<>();
        for (int r = 0; r < k; r++) {
            int c = order[r];
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("rank", r + 1);
            e.put("class_index", c);
            e.put("label", classes.get(c));
            e.put("probability", p.get(c));
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
