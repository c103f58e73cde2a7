package org.fourier4j.inference;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.fourier4j.files.AtomicFiles;
import org.fourier4j.io.Safetensors;
import org.fourier4j.io.StateDict;
import org.fourier4j.io.TensorData;
import org.fourier4j.models.ImageClassifier;
import org.fourier4j.models.ModelZoo;
import org.fourier4j.nn.ParameterNames;

/**
 * A model as a directory: {@code model.json} (the {@link ModelCard}), {@code model.safetensors}
 * (the weights under fourier4j's parameter names, readable by any safetensors reader) and {@code
 * serving.properties} (so that DJL's {@code Criteria.optModelPath(dir)} loads it through
 * fourier4j's block and translator factories). {@code fourier4j import} and {@code fourier4j train}
 * write such directories; {@code eval}, {@code predict}, {@code forward}, {@code export} and the
 * Java API read them. Directories of other kinds (training runs of older versions) are read through
 * {@link ModelSource}s.
 */
public final class ModelDirectory {

    /** The card's file name. */
    public static final String CARD = "model.json";

    /** The weights' file name. */
    public static final String WEIGHTS = "model.safetensors";

    /** DJL's model-directory properties. */
    public static final String SERVING = "serving.properties";

    static final ObjectMapper JSON =
            new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ModelDirectory() {}

    /**
     * How to open a model.
     *
     * @param preferEma use a training run's weight average when it has one
     * @param preferBest use a training run's best epoch (else its last)
     * @param overrides zoo overrides on top of the card's that change how the model computes, not
     *     its parameters (e.g. {@code large_kernel_algorithm}); the weights must still fit
     */
    public record OpenOptions(
            boolean preferEma, boolean preferBest, Map<String, Object> overrides) {

        /** Copies the overrides. */
        public OpenOptions {
            overrides = overrides == null ? Map.of() : Map.copyOf(overrides);
        }

        /**
         * @param preferEma use a training run's weight average when it has one
         * @param preferBest use a training run's best epoch (else its last)
         */
        public OpenOptions(boolean preferEma, boolean preferBest) {
            this(preferEma, preferBest, Map.of());
        }

        /**
         * @return the defaults: the weight average where a training run has one, its best epoch
         */
        public static OpenOptions defaults() {
            return new OpenOptions(true, true);
        }

        /**
         * @param extra zoo overrides to add to the card's
         * @return these options with the overrides
         */
        public OpenOptions withOverrides(Map<String, Object> extra) {
            return new OpenOptions(preferEma, preferBest, extra);
        }

        /**
         * A card with these options' overrides added.
         *
         * @param card the directory's card
         * @return the card the model is built from
         */
        public ModelCard apply(ModelCard card) {
            if (overrides.isEmpty()) {
                return card;
            }
            Map<String, Object> all = new LinkedHashMap<>(card.overrides());
            all.putAll(overrides);
            return new ModelCard(
                    card.format(),
                    card.version(),
                    card.model(),
                    card.numClasses(),
                    card.imageSize(),
                    card.inChannels(),
                    all,
                    card.form(),
                    card.preprocessing(),
                    card.classes(),
                    card.source());
        }
    }

    /**
     * Whether a path is a model directory of this format.
     *
     * @param path a path
     * @return whether it has a {@code model.json}
     */
    public static boolean isModelDirectory(Path path) {
        return Files.isRegularFile(path.resolve(CARD));
    }

    /**
     * Reads a directory's card.
     *
     * @param dir the directory
     * @return the card
     * @throws ModelDirectoryException if it is missing or invalid
     */
    public static ModelCard readCard(Path dir) {
        Path file = dir.resolve(CARD);
        try {
            return JSON.readValue(file.toFile(), ModelCard.class);
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new ModelDirectoryException(dir + " is not a model directory: no " + CARD);
        } catch (IOException e) {
            Throwable c = e.getCause() instanceof IllegalArgumentException ? e.getCause() : e;
            throw new ModelDirectoryException(file + ": " + firstLine(c.getMessage()), e);
        }
    }

    /**
     * Opens a model directory (or any directory a {@link ModelSource} reads) for inference.
     *
     * @param path the directory
     * @return the model; close it to free its memory
     * @throws ModelDirectoryException if it cannot be read or does not fit its card
     */
    public static LoadedModel open(Path path) {
        return open(path, OpenOptions.defaults());
    }

    /**
     * Opens a model directory (or any directory a {@link ModelSource} reads) for inference.
     *
     * @param path the directory
     * @param options which weights
     * @return the model; close it to free its memory
     * @throws ModelDirectoryException if it cannot be read or does not fit its card
     */
    public static LoadedModel open(Path path, OpenOptions options) {
        NDManager manager = NDManager.newBaseManager();
        try {
            return open(path, options, manager);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Opens a model into a given manager (DJL's {@code Model} manager, for example); closing the
     * returned model closes that manager.
     *
     * @param path the directory
     * @param options which weights
     * @param manager where the model's arrays go
     * @return the model
     * @throws ModelDirectoryException if it cannot be read or does not fit its card
     */
    public static LoadedModel open(Path path, OpenOptions options, NDManager manager) {
        {
            // a training run's model.json holds its default weights (its best, averaged); other
            // weights of a run come from its checkpoints through the training module's source
            boolean defaultWeights = options.preferEma() && options.preferBest();
            if (isModelDirectory(path) && defaultWeights) {
                return openOwn(path, options, manager);
            }
            for (ModelSource s :
                    ServiceLoader.load(ModelSource.class, ModelDirectory.class.getClassLoader())) {
                if (s.accepts(path)) {
                    return s.open(path, options, manager);
                }
            }
            if (isModelDirectory(path)) {
                return openOwn(path, options, manager);
            }
            if (!Files.exists(path)) {
                throw new ModelDirectoryException("model directory not found: " + path);
            }
            throw new ModelDirectoryException(
                    path
                            + " is not a model directory (no "
                            + CARD
                            + ") nor a training run (no best.ckpt or last.ckpt)");
        }
    }

    private static LoadedModel openOwn(Path dir, OpenOptions options, NDManager manager) {
        ModelCard card = options.apply(readCard(dir));
        ImageClassifier model = build(card, dir.resolve(CARD));
        model.initialize(
                manager,
                DataType.FLOAT32,
                new Shape(1, card.inChannels(), card.imageSize(), card.imageSize()));
        Path weights = dir.resolve(WEIGHTS);
        if (!Files.isRegularFile(weights)) {
            throw new ModelDirectoryException(dir + " has no " + WEIGHTS);
        }
        try (StateDict sd = Safetensors.read(weights)) {
            WeightLoader.Plan plan = WeightLoader.plan(model, sd.tensors(), n -> n);
            if (!plan.mismatch().isEmpty()) {
                throw new ModelDirectoryException(
                        weights
                                + " does not fit model "
                                + card.model()
                                + ": "
                                + plan.mismatch().summary(5));
            }
            plan.apply();
        } catch (IOException e) {
            throw new ModelDirectoryException(weights + ": " + firstLine(e.getMessage()), e);
        }
        Object weightsNote = card.source().getOrDefault("weights", "raw");
        return new LoadedModel(dir, card, model, manager, String.valueOf(weightsNote));
    }

    /**
     * Builds the (uninitialised) network a card describes.
     *
     * @param card the card
     * @param where the card's file, for messages
     * @return the network
     */
    public static ImageClassifier build(ModelCard card, Path where) {
        try {
            return ModelZoo.create(card.model(), card.options());
        } catch (IllegalArgumentException e) {
            throw new ModelDirectoryException(where + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes a model directory: the card, the weights and DJL's properties. The directory is
     * written beside the target and renamed into place, so a failure leaves nothing behind; an
     * existing non-empty target is refused.
     *
     * @param dir the directory to create
     * @param card the card
     * @param model the initialised network with its weights
     * @throws ModelDirectoryException if the target exists or writing fails
     */
    public static void write(Path dir, ModelCard card, ImageClassifier model) {
        Path target = dir.toAbsolutePath().normalize();
        if (Files.exists(target) && !isEmptyDirectory(target)) {
            throw new ModelDirectoryException(
                    target + " already exists and is not empty: choose another --out or remove it");
        }
        Path parent = target.getParent();
        Path tmp = null;
        try {
            Files.createDirectories(parent);
            tmp = Files.createTempDirectory(parent, "." + target.getFileName() + ".tmp-");
            readable(tmp, "rwxr-xr-x");
            writeInto(tmp, card, model);
            Files.deleteIfExists(target);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target);
            }
            tmp = null;
        } catch (DirectoryNotEmptyException e) {
            throw new ModelDirectoryException(
                    target + " appeared while writing; nothing written", e);
        } catch (IOException e) {
            throw new ModelDirectoryException(
                    "cannot write " + target + ": " + firstLine(e.getMessage()), e);
        } finally {
            if (tmp != null) {
                deleteQuietly(tmp);
            }
        }
    }

    /**
     * Writes the card, weights and properties into an existing directory (each file atomically),
     * e.g. a training run's directory beside its checkpoints.
     *
     * @param dir the directory
     * @param card the card
     * @param model the network with its weights
     * @throws IOException on a write error
     */
    public static void writeInto(Path dir, ModelCard card, ImageClassifier model)
            throws IOException {
        Safetensors.write(
                dir.resolve(WEIGHTS),
                tensors(model),
                Map.of("format", "pt", "fourier4j.model", card.model()));
        AtomicFiles.writeBytes(dir.resolve(CARD), JSON.writeValueAsBytes(card));
        AtomicFiles.writeBytes(
                dir.resolve(SERVING), servingProperties().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A model's parameters as tensors under fourier4j names.
     *
     * @param model the initialised network
     * @return one tensor per parameter
     */
    public static List<TensorData> tensors(ImageClassifier model) {
        List<TensorData> out = new ArrayList<>();
        for (Map.Entry<String, Parameter> p : ParameterNames.of(model).entrySet()) {
            // views: each is read as it is written, so the weights are never held twice
            out.add(TensorData.viewOf(p.getKey(), p.getValue().getArray()));
        }
        return out;
    }

    static String servingProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("engine", "PyTorch");
        p.put("blockFactory", "org.fourier4j.inference.djl.Fourier4jBlockFactory");
        p.put("translatorFactory", "org.fourier4j.inference.djl.Fourier4jTranslatorFactory");
        p.put("option.hasParameter", "false");
        StringBuilder sb =
                new StringBuilder(
                        "# DJL reads this: Criteria.optModelPath(dir) builds the model with"
                                + " fourier4j's factories\n");
        p.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        return sb.toString();
    }

    /** Temporary files are private by default; the files of a model directory are not. */
    private static void readable(Path p, String permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(
                    p, java.nio.file.attribute.PosixFilePermissions.fromString(permissions));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its defaults apply
        }
    }

    private static boolean isEmptyDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a temporary directory beside the target
        }
    }

    static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
