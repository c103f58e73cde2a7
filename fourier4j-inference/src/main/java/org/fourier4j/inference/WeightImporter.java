package org.fourier4j.inference;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.fourier4j.config.ConfigBinder;
import org.fourier4j.io.StateDict;
import org.fourier4j.io.TensorData;
import org.fourier4j.io.TorchCheckpoint;
import org.fourier4j.io.WeightFiles;
import org.fourier4j.io.WeightFormat;
import org.fourier4j.models.ImageClassifier;
import org.fourier4j.models.ModelFamily;
import org.fourier4j.models.ModelInfo;
import org.fourier4j.models.ModelOptions;
import org.fourier4j.models.ModelZoo;
import org.fourier4j.models.NameMap;
import org.fourier4j.models.Variant;
import org.fourier4j.nn.ParameterNames;

/**
 * Imports weights published for a zoo model (the official code's {@code .pth}/{@code .pth.tar},
 * timm's {@code model.safetensors}/{@code pytorch_model.bin}, or fourier4j's own) into a model
 * directory.
 *
 * <ol>
 *   <li>Reads the file (safetensors or torch.save, recognised from its bytes).
 *   <li>Translates the names through the family's scheme ({@code --names}, or the scheme that
 *       matches the most names).
 *   <li>Reads what the shapes decide (classes, image size, widths, depths, the training or deploy
 *       form: {@link ModelFamily#inferFromWeights}) and checks it against the named configuration
 *       with the user's overrides: a difference is an error that says which {@code -o} makes them
 *       agree. The form ({@code deploy}, {@code distillation}) and the number of classes follow the
 *       weights unless the user says otherwise.
 *   <li>Builds the model and loads every tensor, strictly (every parameter, every tensor, every
 *       shape) unless told not to; {@code numClasses} puts a fresh head for fine-tuning.
 * </ol>
 */
public final class WeightImporter {

    /** Keys that describe the weights' form: taken from the weights unless the user sets them. */
    static final Set<String> FORM_KEYS = Set.of("deploy", "distillation");

    private WeightImporter() {}

    /**
     * What to import.
     *
     * @param model the zoo name
     * @param overrides the user's {@code -o} overrides
     * @param weights the weight file
     * @param names the naming scheme, or {@code auto}
     * @param strict whether every parameter and tensor must match
     * @param numClasses a new number of classes (fresh head), or null to keep the weights'
     * @param imageSize the input size, or null for the one the weights fix or the model's default
     * @param preprocessing how images are prepared at the image size the import settles on, or null
     *     for ImageNet's evaluation transform
     * @param classes class names, or null for numbers
     * @param entry the torch.save wrapper entry to read ({@code model_ema}), or null to find it
     * @param adoptConfiguration take every setting the weights decide (widths, depths, kernels)
     *     instead of refusing weights that differ from the named configuration
     */
    public record Request(
            String model,
            Map<String, Object> overrides,
            Path weights,
            String names,
            boolean strict,
            Integer numClasses,
            Integer imageSize,
            java.util.function.IntFunction<Preprocessing> preprocessing,
            List<String> classes,
            String entry,
            boolean adoptConfiguration) {
        /** Checks and copies. */
        public Request {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(weights, "weights");
            overrides = overrides == null ? Map.of() : new LinkedHashMap<>(overrides);
            names = names == null ? "auto" : names;
            if (numClasses != null && numClasses < 1) {
                throw new IllegalArgumentException(
                        "--num-classes must be at least 1, got " + numClasses);
            }
        }
    }

    /**
     * An imported model.
     *
     * @param model the network with the weights, initialised
     * @param card its card
     * @param scheme the naming scheme used
     * @param loaded the number of parameters loaded
     * @param notLoaded what did not fit (empty when strict)
     * @param notes what was decided from the weights
     */
    public record Result(
            ImageClassifier model,
            ModelCard card,
            String scheme,
            int loaded,
            WeightMismatch notLoaded,
            List<String> notes) {}

    /**
     * Imports weights into a new model directory.
     *
     * @param request what to import
     * @param out the directory to create (refused if it exists and is not empty)
     * @return what was imported
     * @throws ModelDirectoryException naming the file and what is wrong; nothing is written then
     */
    public static Result importTo(Request request, Path out) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Result r = importWeights(request, manager);
            ModelDirectory.write(out, r.card(), r.model());
            return r;
        }
    }

    /**
     * Imports weights into a model in memory.
     *
     * @param request what to import
     * @param manager the manager the model's arrays go to
     * @return what was imported
     * @throws ModelDirectoryException naming the file and what is wrong
     */
    public static Result importWeights(Request request, NDManager manager) {
        Path file = request.weights();
        ModelFamily family;
        Variant<?> variant;
        try {
            family = ModelZoo.family(request.model());
            variant = ModelZoo.variant(request.model());
        } catch (IllegalArgumentException e) {
            throw new ModelDirectoryException(e.getMessage(), e);
        }
        try (StateDict sd = read(file, request.entry())) {
            return importFrom(request, family, variant, sd, manager);
        } catch (IOException e) {
            throw new ModelDirectoryException(ModelDirectory.firstLine(e.getMessage()), e);
        }
    }

    private static StateDict read(Path file, String entry) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new ModelDirectoryException("weights not found: " + file);
        }
        if (entry != null && WeightFiles.detect(file) == WeightFormat.TORCH_ZIP) {
            return TorchCheckpoint.read(file, entry);
        }
        return WeightFiles.read(file);
    }

    private static Result importFrom(
            Request request,
            ModelFamily family,
            Variant<?> variant,
            StateDict sd,
            NDManager manager)
            throws IOException {
        Path file = request.weights();
        ModelInfo info = variant.info();
        List<String> notes = new ArrayList<>();
        // 1. the naming scheme
        ModelOptions probe =
                options(info, request.overrides(), request.numClasses(), request.imageSize());
        NameMap scheme;
        if ("auto".equalsIgnoreCase(request.names())) {
            Set<String> ours = ParameterNames.of(ModelZoo.create(info.name(), probe)).keySet();
            scheme = NameSchemes.detect(family, sd.names(), ours);
            notes.add("names: " + scheme.scheme() + " (detected)");
        } else {
            scheme = NameSchemes.get(family, request.names());
        }
        Map<String, TensorData> translated = new LinkedHashMap<>();
        Map<String, String> theirs = new LinkedHashMap<>();
        for (TensorData t : sd.values()) {
            if (scheme.isSkipped(t.name())) {
                continue;
            }
            String ours = scheme.toFourier4j(t.name());
            translated.put(ours, t);
            theirs.put(ours, t.name());
        }
        // 2. what the weights decide
        Map<String, Shape> shapes = new LinkedHashMap<>();
        translated.forEach((n, t) -> shapes.put(n, new Shape(t.shape())));
        Map<String, Object> inferred = new LinkedHashMap<>(family.inferFromWeights(shapes));
        Map<String, Object> overrides = new LinkedHashMap<>(request.overrides());
        Integer classes = request.numClasses();
        boolean freshHead = classes != null;
        if (freshHead) {
            translated
                    .keySet()
                    .removeIf(n -> n.startsWith("head.fc.") || n.startsWith("head.dist."));
            notes.add("head: a new " + classes + "-class head (the weights' head is left out)");
        } else if (inferred.get("num_classes") instanceof Number) {
            classes = ((Number) inferred.get("num_classes")).intValue();
        }
        Integer size = request.imageSize();
        if (size == null && inferred.get("image_size") instanceof Number) {
            size = ((Number) inferred.get("image_size")).intValue();
            notes.add("image size " + size + " (from the weights)");
        }
        for (Map.Entry<String, Object> e : inferred.entrySet()) {
            String key = e.getKey();
            boolean adopt = FORM_KEYS.contains(key) || request.adoptConfiguration();
            if (adopt && !overrides.containsKey(key) && info.overrideKeys().contains(key)) {
                overrides.put(key, e.getValue());
            }
        }
        ModelOptions options = options(info, overrides, classes, size);
        checkAgainstConfiguration(file, info, variant, options, inferred, request.overrides());
        // 3. build and load
        ImageClassifier model = ModelZoo.create(info.name(), options);
        int s = options.imageSize();
        model.initialize(manager, DataType.FLOAT32, new Shape(1, options.inChannels(), s, s));
        WeightLoader.Plan plan =
                WeightLoader.plan(model, translated, n -> theirs.getOrDefault(n, n));
        WeightMismatch mismatch = plan.mismatch();
        if (freshHead) {
            List<String> missing = new ArrayList<>(mismatch.missing());
            missing.removeIf(n -> n.startsWith("head.fc.") || n.startsWith("head.dist."));
            mismatch = new WeightMismatch(missing, mismatch.unexpected(), mismatch.shapes());
        }
        if (request.strict() && !mismatch.isEmpty()) {
            throw new ModelDirectoryException(
                    file
                            + " does not fit "
                            + info.name()
                            + " ("
                            + scheme.scheme()
                            + " names): "
                            + mismatch.summary(3)
                            + unbuildableShapes(info, mismatch)
                            + " (--no-strict loads what fits)");
        }
        int loaded = plan.apply();
        String form =
                Boolean.TRUE.equals(deployOf(variant, options))
                        ? ModelCard.DEPLOY
                        : ModelCard.TRAINING;
        Preprocessing pre =
                request.preprocessing() != null
                        ? request.preprocessing().apply(options.imageSize())
                        : Preprocessing.imagenet(options.imageSize());
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("weights", file.toAbsolutePath().normalize().toString());
        source.put("sha256", sha256(file));
        source.put("format", sd.format().name().toLowerCase(java.util.Locale.ROOT));
        source.put("names", scheme.scheme());
        ModelCard card = ModelCard.of(info.name(), options, form, pre, request.classes(), source);
        return new Result(model, card, scheme.scheme(), loaded, mismatch, notes);
    }

    /**
     * Shapes that still differ once every setting read off the weights agrees come from a setting
     * the family does not have (another MLP ratio, say): say so, with the settings it does have.
     */
    private static String unbuildableShapes(ModelInfo info, WeightMismatch mismatch) {
        if (mismatch.shapes().isEmpty()) {
            return "";
        }
        return "; the settings read off the weights agree, so no -o KEY=VALUE of "
                + info.name()
                + " ("
                + String.join(", ", new java.util.TreeSet<>(info.overrideKeys()))
                + ") is likely to give these shapes: the weights come from a configuration"
                + " fourier4j does not build";
    }

    private static ModelOptions options(
            ModelInfo info, Map<String, Object> overrides, Integer classes, Integer size) {
        ModelOptions.Builder b =
                ModelOptions.builder()
                        .numClasses(classes == null ? info.reportedNumClasses() : classes)
                        .imageSize(size == null ? info.defaultImageSize() : size);
        overrides.forEach(b::override);
        return b.build();
    }

    private static Object deployOf(Variant<?> variant, ModelOptions options) {
        Object v = ConfigBinder.toMap(variant.configure(options)).get("deploy");
        return v;
    }

    /** Every family key the weights decide must equal the configuration's. */
    private static void checkAgainstConfiguration(
            Path file,
            ModelInfo info,
            Variant<?> variant,
            ModelOptions options,
            Map<String, Object> inferred,
            Map<String, Object> userOverrides) {
        Map<String, Object> configured = ConfigBinder.toMap(variant.configure(options));
        List<String> differ = new ArrayList<>();
        List<String> fix = new ArrayList<>();
        for (Map.Entry<String, Object> e : inferred.entrySet()) {
            String key = e.getKey();
            if (!configured.containsKey(key)) {
                continue; // num_classes, image_size: handled by the caller
            }
            String want = text(e.getValue());
            String have = text(configured.get(key));
            if (!want.equals(have)) {
                differ.add(key + "=" + want + " (" + info.name() + " has " + have + ")");
                fix.add("-o " + key + "=" + want);
            }
        }
        if (!differ.isEmpty()) {
            boolean user =
                    differ.stream()
                            .anyMatch(
                                    d -> userOverrides.containsKey(d.substring(0, d.indexOf('='))));
            throw new ModelDirectoryException(
                    file
                            + " was saved from another configuration: the weights have "
                            + String.join(", ", differ)
                            + (user ? "; your overrides disagree with the weights" : "")
                            + "; pass "
                            + String.join(" ", fix)
                            + " or pick the model name that matches");
        }
    }

    /** A value as text, lists without brackets: {@code 3,3,9,3}. */
    static String text(Object v) {
        if (v instanceof int[]) {
            v = java.util.Arrays.stream((int[]) v).boxed().toList();
        }
        if (v instanceof List<?>) {
            List<String> parts = new ArrayList<>();
            for (Object o : (List<?>) v) {
                parts.add(text(o));
            }
            return String.join(",", parts);
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
        }
        return String.valueOf(v).toLowerCase(java.util.Locale.ROOT);
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
