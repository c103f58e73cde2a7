package org.fourier4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.fourier4j.files.AtomicFiles;
import org.fourier4j.models.LegacyNames;
import org.fourier4j.nn.ParameterNames;

/**
 * A training checkpoint: one zip file (entries carry CRC-32 checksums, so corruption is detected)
 * holding
 *
 * <ul>
 *   <li>{@code checkpoint.json}: the {@link TrainingState} (its {@link RunProgress}, optimiser
 *       counters, random state, parameter table, configuration);
 *   <li>{@code model.safetensors}: the model parameters under fourier4j's parameter names ({@link
 *       ParameterNames}), a safetensors file any safetensors reader opens once unzipped;
 *   <li>{@code ema.safetensors}: the weight average, when EMA is on, likewise;
 *   <li>{@code optimizer.bin}: the optimiser's per-parameter state ({@code exp_avg/<name>}, {@link
 *       HostTensor} format).
 * </ul>
 *
 * This is format version 2. Version 1 ({@code params.bin}, {@code ema.bin}, flat {@code
 * checkpoint.json}, DJL parameter paths of the models before the skeleton restructuring) stays
 * readable: {@link Loaded#named(Block)} migrates its names onto a model position by position with
 * {@link LegacyNames#migrate}, shapes checked.
 *
 * <p>It is always written through {@link AtomicFiles}: temporary file, fsync, atomic rename.
 * Reading checks the format and, before anything is copied into a model, that every parameter name
 * and shape matches ({@link #checkFits}): DJL's own loading does not.
 */
public final class Checkpoint {

    /** The {@code format} value of {@code checkpoint.json}. */
    public static final String FORMAT = "fourier4j-checkpoint";

    /** The current format version. */
    public static final int VERSION = 2;

    /** The model parameters' entry. */
    static final String MODEL_ENTRY = "model.safetensors";

    /** The weight average's entry. */
    static final String EMA_ENTRY = "ema.safetensors";

    private static final ObjectMapper JSON =
            new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * A checkpoint read from disk (tensors on the host).
     *
     * @param file where it came from
     * @param state the training state
     * @param params model parameters by name
     * @param optimizer optimiser state by {@code slot/parameter}
     * @param ema weight averages by name (empty without EMA)
     */
    public record Loaded(
            Path file,
            TrainingState state,
            Map<String, HostTensor> params,
            Map<String, HostTensor> optimizer,
            Map<String, HostTensor> ema) {

        /**
         * The same checkpoint under the fourier4j names of a model's parameters: as it is for
         * format 2; for format 1 the DJL paths migrated position by position ({@link
         * LegacyNames#migrate}).
         *
         * @param block the initialised model the checkpoint is for
         * @return the checkpoint with fourier4j names
         * @throws CheckpointException if a format-1 checkpoint does not line up with the model
         */
        public Loaded named(Block block) {
            if (state.version() >= 2) {
                return this;
            }
            List<String> names = new ArrayList<>(params.keySet());
            List<Shape> shapes = new ArrayList<>();
            params.values().forEach(t -> shapes.add(t.shape()));
            Map<String, String> map;
            try {
                map = LegacyNames.migrate(block, names, shapes);
            } catch (IllegalArgumentException e) {
                throw new CheckpointException(file + ": " + e.getMessage(), e);
            }
            Map<String, HostTensor> opt = new LinkedHashMap<>();
            optimizer.forEach(
                    (k, t) -> {
                        int slash = k.indexOf('/');
                        String param = k.substring(slash + 1);
                        String key = k.substring(0, slash + 1) + map.getOrDefault(param, param);
                        opt.put(key, t);
                    });
            return new Loaded(file, state, renamed(params, map), opt, renamed(ema, map));
        }

        private static Map<String, HostTensor> renamed(
                Map<String, HostTensor> tensors, Map<String, String> map) {
            Map<String, HostTensor> out = new LinkedHashMap<>();
            tensors.forEach((k, t) -> out.put(map.getOrDefault(k, k), t));
            return out;
        }
    }

    private Checkpoint() {}

    /**
     * The parameter table of a block.
     *
     * @param block an initialised block
     * @return fourier4j name, shape and type of each parameter
     */
    public static List<TrainingState.ParameterInfo> parameterTable(Block block) {
        List<TrainingState.ParameterInfo> out = new ArrayList<>();
        for (Map.Entry<String, Parameter> p : ParameterNames.of(block).entrySet()) {
            NDArray a = p.getValue().getArray();
            out.add(
                    new TrainingState.ParameterInfo(
                            p.getKey(), a.getShape().getShape(), a.getDataType().name()));
        }
        return out;
    }

    /**
     * Host copies of a block's parameters.
     *
     * @param block an initialised block
     * @return one tensor per parameter, by fourier4j name
     */
    public static List<HostTensor> parameterTensors(Block block) {
        List<HostTensor> out = new ArrayList<>();
        for (Map.Entry<String, Parameter> p : ParameterNames.of(block).entrySet()) {
            out.add(HostTensor.of(p.getKey(), p.getValue().getArray()));
        }
        return out;
    }

    /**
     * Writes a checkpoint atomically.
     *
     * @param file the target (replaced only once the new checkpoint is complete on disk)
     * @param state the training state
     * @param params model parameters by fourier4j name
     * @param optimizer optimiser state
     * @param ema weight averages by fourier4j name, or null
     * @throws IOException on a write error; the previous file is then untouched
     */
    public static void write(
            Path file,
            TrainingState state,
            List<HostTensor> params,
            List<HostTensor> optimizer,
            List<HostTensor> ema)
            throws IOException {
        Map<String, String> meta = Map.of("format", "pt", "fourier4j.model", state.model());
        AtomicFiles.write(
                file,
                out -> {
                    ZipOutputStream zip = new ZipOutputStream(out);
                    zip.setLevel(Deflater.BEST_SPEED);
                    zip.putNextEntry(new ZipEntry("checkpoint.json"));
                    zip.write(JSON.writeValueAsBytes(state));
                    zip.closeEntry();
                    zip.putNextEntry(new ZipEntry(MODEL_ENTRY));
                    SafetensorsEntry.write(zip, params, meta, file);
                    zip.closeEntry();
                    if (ema != null) {
                        zip.putNextEntry(new ZipEntry(EMA_ENTRY));
                        SafetensorsEntry.write(zip, ema, meta, file);
                        zip.closeEntry();
                    }
                    zip.putNextEntry(new ZipEntry("optimizer.bin"));
                    DataOutputStream dos = new DataOutputStream(zip); // flushed, never closed
                    HostTensor.write(dos, optimizer);
                    dos.flush();
                    zip.closeEntry();
                    zip.close();
                });
    }

    /**
     * Reads a checkpoint of format 1 or 2 (tensors stay on the host).
     *
     * @param file the checkpoint
     * @return its content; {@link Loaded#named(Block)} gives fourier4j names for either format
     * @throws CheckpointException if it is missing, not a checkpoint or corrupt
     */
    public static Loaded read(Path file) {
        if (!Files.exists(file)) {
            throw new CheckpointException("checkpoint not found: " + file);
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            TrainingState state = CheckpointState.read(zip, file);
            if (state.version() == 1) {
                return new Loaded(
                        file,
                        state,
                        tensors(zip, "params.bin", file, true),
                        tensors(zip, "optimizer.bin", file, true),
                        tensors(zip, "ema.bin", file, false));
            }
            return new Loaded(
                    file,
                    state,
                    inModelOrder(safetensors(zip, MODEL_ENTRY, file, true), state),
                    tensors(zip, "optimizer.bin", file, true),
                    inModelOrder(safetensors(zip, EMA_ENTRY, file, false), state));
        } catch (CheckpointException e) {
            throw e;
        } catch (NoSuchFileException e) {
            throw new CheckpointException("checkpoint not found: " + file, e);
        } catch (ZipException e) {
            throw new CheckpointException(
                    file + " is not a fourier4j checkpoint or is corrupt (" + e.getMessage() + ")",
                    e);
        } catch (IOException e) {
            throw new CheckpointException(
                    "cannot read checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, HostTensor> tensors(
            ZipFile zip, String entry, Path file, boolean required) throws IOException {
        ZipEntry e = entry(zip, entry, file, required);
        if (e == null) {
            return Map.of();
        }
        try (DataInputStream in = new DataInputStream(zip.getInputStream(e))) {
            return HostTensor.read(in, file + "!" + entry);
        }
    }

    private static Map<String, HostTensor> safetensors(
            ZipFile zip, String entry, Path file, boolean required) throws IOException {
        ZipEntry e = entry(zip, entry, file, required);
        if (e == null) {
            return Map.of();
        }
        try (InputStream in = zip.getInputStream(e)) {
            return SafetensorsEntry.read(in);
        } catch (org.fourier4j.io.WeightFileException x) {
            throw new CheckpointException(file + "!" + entry + ": " + x.getMessage(), x);
        }
    }

    /** Safetensors files order tensors by type and name; the parameter table has the model's. */
    private static Map<String, HostTensor> inModelOrder(
            Map<String, HostTensor> tensors, TrainingState state) {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        for (TrainingState.ParameterInfo p : state.parameters()) {
            HostTensor t = tensors.get(p.name());
            if (t != null) {
                out.put(p.name(), t);
            }
        }
        tensors.forEach(out::putIfAbsent);
        return out;
    }

    private static ZipEntry entry(ZipFile zip, String entry, Path file, boolean required) {
        ZipEntry e = zip.getEntry(entry);
        if (e == null && required) {
            throw new CheckpointException(
                    file + " is not a complete fourier4j checkpoint (no " + entry + " inside)");
        }
        return e;
    }

    /**
     * Checks that checkpoint parameters fit a model: same model name, same parameter names
     * (fourier4j names), same shapes and types.
     *
     * @param file the checkpoint, for messages
     * @param checkpointModel the model name recorded in it
     * @param params its parameters, by fourier4j name ({@link Loaded#named})
     * @param block the initialised model
     * @param modelName the model's name
     * @throws CheckpointException listing every mismatched parameter
     */
    public static void checkFits(
            Path file,
            String checkpointModel,
            Map<String, HostTensor> params,
            Block block,
            String modelName) {
        List<String> shapes = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<String> extra = new ArrayList<>(params.keySet());
        for (Map.Entry<String, Parameter> p : ParameterNames.of(block).entrySet()) {
            HostTensor t = params.get(p.getKey());
            NDArray a = p.getValue().getArray();
            if (t == null) {
                missing.add(p.getKey() + " " + a.getShape());
                continue;
            }
            extra.remove(p.getKey());
            if (!t.shape().equals(a.getShape())) {
                shapes.add(
                        p.getKey() + " (checkpoint " + t.shape() + ", model " + a.getShape() + ")");
            } else if (t.dataType() != a.getDataType()) {
                shapes.add(
                        p.getKey()
                                + " (checkpoint "
                                + t.dataType()
                                + ", model "
                                + a.getDataType()
                                + ")");
            }
        }
        List<String> problems = new ArrayList<>();
        if (!shapes.isEmpty()) {
            problems.add("shape differs for " + String.join(", ", shapes));
        }
        if (!missing.isEmpty()) {
            problems.add("missing from the checkpoint: " + String.join(", ", missing));
        }
        if (!extra.isEmpty()) {
            List<String> ex = new ArrayList<>();
            for (String n : extra) {
                ex.add(n + " " + params.get(n).shape());
            }
            problems.add("not in the model: " + String.join(", ", ex));
        }
        boolean otherModel = !modelName.equals(checkpointModel);
        if (problems.isEmpty() && !otherModel) {
            return;
        }
        StringBuilder sb = new StringBuilder("checkpoint ").append(file);
        if (otherModel) {
            sb.append(" was written for model '")
                    .append(checkpointModel)
                    .append("', not '")
                    .append(modelName)
                    .append("'");
        } else {
            sb.append(" does not fit model '").append(modelName).append("'");
        }
        if (!problems.isEmpty()) {
            int n = shapes.size() + missing.size() + extra.size();
            sb.append(otherModel ? "; " : ": ")
                    .append(n)
                    .append(" parameter(s) differ: ")
                    .append(String.join("; ", problems));
        }
        throw new CheckpointException(sb.toString());
    }

    /**
     * Copies checked parameters into a model, in place.
     *
     * @param params the checkpoint's tensors by fourier4j name (as {@link #checkFits} accepted
     *     them)
     * @param block the model
     */
    public static void copyInto(Map<String, HostTensor> params, Block block) {
        for (Map.Entry<String, Parameter> p : ParameterNames.of(block).entrySet()) {
            params.get(p.getKey()).copyInto(p.getValue().getArray());
        }
    }

    /**
     * Loads a checkpoint's weights into a model for evaluation or prediction.
     *
     * @param file the checkpoint
     * @param block the initialised model
     * @param modelName the model's name
     * @param preferEma use the weight average when the checkpoint has one
     * @return the loaded checkpoint, under fourier4j names
     * @throws CheckpointException if it does not fit the model (nothing is copied then)
     */
    public static Loaded loadWeights(Path file, Block block, String modelName, boolean preferEma) {
        Loaded c = read(file);
        checkModel(c, block, modelName);
        c = c.named(block);
        checkFits(file, c.state().model(), c.params(), block, modelName);
        Map<String, HostTensor> weights = preferEma && !c.ema().isEmpty() ? c.ema() : c.params();
        if (weights != c.params()) {
            checkFits(file, c.state().model(), weights, block, modelName);
        }
        copyInto(weights, block);
        return c;
    }

    /**
     * For a format-1 checkpoint, whose names can only be migrated onto the right model: the model
     * name must agree first (the migration would otherwise report positions, not the model).
     */
    static void checkModel(Loaded c, Block block, String modelName) {
        if (c.state().version() == 1 && !modelName.equals(c.state().model())) {
            throw new CheckpointException(
                    "checkpoint "
                            + c.file()
                            + " was written for model '"
                            + c.state().model()
                            + "', not '"
                            + modelName
                            + "'");
        }
    }
}
