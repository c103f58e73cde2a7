package org.fourier4j.train;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads a checkpoint's {@code checkpoint.json} into a {@link TrainingState}: size capped, format
 * and version checked, format 1's flat counters nested as {@link RunProgress}, and every field a
 * resume relies on required, so that a damaged or forged file fails here with the file named.
 */
final class CheckpointState {

    /** The largest {@code checkpoint.json} read (a large model's is well under a megabyte). */
    static final int MAX_STATE_BYTES = 64 << 20;

    private static final ObjectMapper JSON =
            new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private CheckpointState() {}

    static TrainingState read(ZipFile zip, Path file) throws IOException {
        ZipEntry meta = zip.getEntry("checkpoint.json");
        if (meta == null) {
            throw new CheckpointException(
                    file + " is not a fourier4j checkpoint (no checkpoint.json inside)");
        }
        ObjectNode tree;
        try (InputStream in = zip.getInputStream(meta)) {
            byte[] json = in.readNBytes(MAX_STATE_BYTES + 1);
            if (json.length > MAX_STATE_BYTES) {
                throw new CheckpointException(
                        file
                                + ": checkpoint.json is larger than "
                                + MAX_STATE_BYTES
                                + " bytes: not a fourier4j checkpoint");
            }
            if (!(JSON.readTree(json) instanceof ObjectNode o)) {
                throw new CheckpointException(
                        file + " is not a fourier4j checkpoint (checkpoint.json is no object)");
            }
            tree = o;
        }
        if (!Checkpoint.FORMAT.equals(tree.path("format").asText(null))) {
            throw new CheckpointException(
                    file
                            + " is not a fourier4j checkpoint (format '"
                            + tree.path("format").asText(null)
                            + "')");
        }
        int version = tree.path("version").asInt(-1);
        if (version < 1 || version > Checkpoint.VERSION) {
            throw new CheckpointException(
                    file
                            + " has checkpoint format version "
                            + version
                            + "; this fourier4j reads versions 1 to "
                            + Checkpoint.VERSION);
        }
        if (version == 1) {
            nestProgress(tree);
        }
        TrainingState state = JSON.treeToValue(tree, TrainingState.class);
        requireComplete(state, file);
        return state;
    }

    /** Format 1 kept the counters of {@link RunProgress} at the top level, under the same names. */
    private static void nestProgress(ObjectNode tree) {
        ObjectNode progress = tree.objectNode();
        for (Field f : RunProgress.class.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers()) && tree.has(f.getName())) {
                progress.set(f.getName(), tree.remove(f.getName()));
            }
        }
        tree.set("progress", progress);
    }

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
                                + " is missing from checkpoint.json)");
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
}
