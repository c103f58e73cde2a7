package org.fourier4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * A training checkpoint: one zip file (entries carry CRC-32 checksums, so corruption is detected)
 * holding
 *
 * <ul>
 *   <li>{@code checkpoint.json}: the {@link TrainingState} (epoch, step, schedule position,
 *       optimiser counters, random state, metrics so far, parameter table, configuration);
 *   <li>{@code params.bin}: the model parameters by path name ({@link HostTensor} format);
 *   <li>{@code optimizer.bin}: the optimiser's per-parameter state ({@code exp_avg/...});
 *   <li>{@code ema.bin}: the weight average, when EMA is on.
 * </ul>
 *
 * It is always written through {@link AtomicFiles}: temporary file, fsync, atomic rename. Reading
 * checks the format and, before anything is copied into a model, that every parameter name and
 * shape matches ({@link #checkFits}): DJL's own loading does not.
 */
public final class Checkpoint {

    /** The {@code format} value of {@code checkpoint.json}. */
    public static final String FORMAT = "fourier4j-checkpoint";

    /** The current format version. */
    public static final int VERSION = 1;

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
            Map<String, HostTensor> ema) {}

    private Checkpoint() {}

    /**
     * The parameter table of a block.
     *
     * @param block an initialised block
     * @return name, shape and type of each parameter
     */
    public static List<TrainingState.ParameterInfo> parameterTable(Block block) {
        List<TrainingState.ParameterInfo> out = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
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
     * @return one tensor per parameter, by path name
     */
    public static List<HostTensor> parameterTensors(Block block) {
        List<HostTensor> out = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            out.add(HostTensor.of(p.getKey(), p.getValue().getArray()));
        }
        return out;
    }

    /**
     * Writes a checkpoint atomically.
     *
     * @param file the target (replaced only once the new checkpoint is complete on disk)
     * @param state the training state
     * @param params model parameters
     * @param optimizer optimiser state
     * @param ema weight averages, or null
     * @throws IOException on a write error; the previous file is then untouched
     */
    public static void write(
            Path file,
            TrainingState state,
            List<HostTensor> params,
            List<HostTensor> optimizer,
            List<HostTensor> ema)
            throws IOException {
        AtomicFiles.write(
                file,
                out -> {
                    ZipOutputStream zip = new ZipOutputStream(out);
                    zip.setLevel(Deflater.BEST_SPEED);
                    zip.putNextEntry(new ZipEntry("checkpoint.json"));
                    zip.write(JSON.writeValueAsBytes(state));
                    zip.closeEntry();
                    writeTensors(zip, "params.bin", params);
                    writeTensors(zip, "optimizer.bin", optimizer);
                    if (ema != null) {
                        writeTensors(zip, "ema.bin", ema);
                    }
                    zip.close();
                });
    }

    private static void writeTensors(ZipOutputStream zip, String entry, List<HostTensor> tensors)
            throws IOException {
        zip.putNextEntry(new ZipEntry(entry));
        DataOutputStream dos = new DataOutputStream(zip); // flushed, never closed
        HostTensor.write(dos, tensors);
        dos.flush();
        zip.closeEntry();
    }

    /**
     * Reads a checkpoint (tensors stay on the host).
     *
     * @param file the checkpoint
     * @return its content
     * @throws CheckpointException if it is missing, not a checkpoint or corrupt
     */
    public static Loaded read(Path file) {
        if (!Files.exists(file)) {
            throw new CheckpointException("checkpoint not found: " + file);
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry meta = zip.getEntry("checkpoint.json");
            if (meta == null) {
                throw new CheckpointException(
                        file + " is not a fourier4j checkpoint (no checkpoint.json inside)");
            }
            TrainingState state;
            try (InputStream in = zip.getInputStream(meta)) {
                byte[] json = in.readNBytes(MAX_STATE_BYTES + 1);
                if (json.length > MAX_STATE_BYTES) {
                    throw new CheckpointException(
                            file
                                    + ": checkpoint.json is larger than "
                                    + MAX_STATE_BYTES
                                    + " bytes: not a fourier4j checkpoint");
                }
                state = JSON.readValue(json, TrainingState.class);
            }
            if (!FORMAT.equals(state.format())) {
                throw new CheckpointException(
                        file + " is not a fourier4j checkpoint (format '" + state.format() + "')");
            }
            if (state.version() != VERSION) {
                throw new CheckpointException(
                        file
                                + " has checkpoint format version "
                                + state.version()
                                + "; this fourier4j reads version "
                                + VERSION);
            }
            requireComplete(state, file);
            return new Loaded(
                    file,
                    state,
                    tensors(zip, "params.bin", file, true),
                    tensors(zip, "optimizer.bin", file, true),
                    tensors(zip, "ema.bin", file, false));
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

    /** The largest {@code checkpoint.json} read (a large model's is well under a megabyte). */
    static final int MAX_STATE_BYTES = 64 << 20;

    /** Fields that older checkpoints lack or that are only informative. */
    private static final Set<String> OPTIONAL_STATE =
            Set.of("classes", "normalizeMean", "normalizeStd", "randomState", "written");

    /** Every other field of a written state is set: one missing is a damaged or forged file. */
    private static void requireComplete(TrainingState state, Path file) {
        for (RecordComponent c : TrainingState.class.getRecordComponents()) {
            if (OPTIONAL_STATE.contains(c.getName())) {
                continue;
            }
            Object v;
            try {
                v = c.getAccessor().invoke(state);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            if (v == null) {
                throw new CheckpointException(
                        file
                                + " is not a complete fourier4j checkpoint ("
                                + c.getName()
                                + " is"
                                + " missing from checkpoint.json)");
            }
        }
        for (TrainingState.ParameterInfo p : state.parameters()) {
            if (p == null || p.name() == null || p.shape() == null || p.dataType() == null) {
                throw new CheckpointException(
                        file
                                + " is not a complete fourier4j checkpoint (a parameter entry of"
                                + " checkpoint.json is incomplete)");
            }
        }
    }

    private static Map<String, HostTensor> tensors(
            ZipFile zip, String entry, Path file, boolean required) throws IOException {
        ZipEntry e = zip.getEntry(entry);
        if (e == null) {
            if (required) {
                throw new CheckpointException(
                        file + " is not a complete fourier4j checkpoint (no " + entry + " inside)");
            }
            return Map.of();
        }
        try (DataInputStream in = new DataInputStream(zip.getInputStream(e))) {
            return HostTensor.read(in, file + "!" + entry);
        }
    }

    /**
     * Checks that checkpoint parameters fit a model: same model name, same parameter names, same
     * shapes.
     *
     * @param file the checkpoint, for messages
     * @param checkpointModel the model name recorded in it
     * @param params its parameters
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
        for (Pair<String, Parameter> p : block.getParameters()) {
            HostTensor t = params.get(p.getKey());
            Shape want = p.getValue().getArray().getShape();
            if (t == null) {
                missing.add(p.getKey() + " " + want);
                continue;
            }
            extra.remove(p.getKey());
            if (!t.shape().equals(want)) {
                shapes.add(p.getKey() + " (checkpoint " + t.shape() + ", model " + want + ")");
            } else if (t.dataType() != p.getValue().getArray().getDataType()) {
                shapes.add(
                        p.getKey()
                                + " (checkpoint "
                                + t.dataType()
                                + ", model "
                                + p.getValue().getArray().getDataType()
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
     * @param params the checkpoint's tensors (as {@link #checkFits} accepted them)
     * @param block the model
     */
    public static void copyInto(Map<String, HostTensor> params, Block block) {
        for (Pair<String, Parameter> p : block.getParameters()) {
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
     * @return the loaded checkpoint
     * @throws CheckpointException if it does not fit the model (nothing is copied then)
     */
    public static Loaded loadWeights(Path file, Block block, String modelName, boolean preferEma) {
        Loaded c = read(file);
        checkFits(file, c.state().model(), c.params(), block, modelName);
        Map<String, HostTensor> weights =
                preferEma && !c.ema().isEmpty() ? new LinkedHashMap<>(c.ema()) : c.params();
        if (weights != c.params()) {
            checkFits(file, c.state().model(), weights, block, modelName);
        }
        copyInto(weights, block);
        return c;
    }
}
