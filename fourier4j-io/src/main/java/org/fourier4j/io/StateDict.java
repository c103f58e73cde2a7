package org.fourier4j.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The tensors of a weight file by name, in file order, with the file's metadata.
 *
 * <p>A state dict read from a file keeps the file open so that each tensor is read when asked for
 * ({@link TensorData} is lazy); {@link #close()} releases it, after which reading a tensor fails
 * with a {@link WeightFileException}. Use it in try-with-resources:
 *
 * <pre>{@code
 * try (StateDict weights = WeightFiles.read(path)) {
 *     NDArray w = weights.get("head.weight").toNDArray(manager, DataType.FLOAT32);
 * }
 * }</pre>
 */
public final class StateDict implements AutoCloseable {
    private final Map<String, TensorData> tensors;
    private final Map<String, String> metadata;
    private final WeightFormat format;
    private final Path source;
    private final Closeable resource;

    StateDict(
            Map<String, TensorData> tensors,
            Map<String, String> metadata,
            WeightFormat format,
            Path source,
            Closeable resource) {
        this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        this.format = format;
        this.source = source;
        this.resource = resource;
    }

    /** The tensors by name, in the order of the file (read-only). */
    public Map<String, TensorData> tensors() {
        return tensors;
    }

    /** The tensor names in file order. */
    public Set<String> names() {
        return tensors.keySet();
    }

    /** The tensors in file order. */
    public Collection<TensorData> values() {
        return tensors.values();
    }

    /** The tensor of that name, or null. */
    public TensorData get(String name) {
        return tensors.get(name);
    }

    /** Whether a tensor of that name exists. */
    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    /** The number of tensors. */
    public int size() {
        return tensors.size();
    }

    /**
     * What the file says about itself (read-only). For safetensors, the header's {@code
     * __metadata__} map. For torch.save files, what the reader found: {@code archive} (the zip's
     * folder name), {@code version} (the archive's format version), {@code entry} (the key of the
     * wrapper dict that held the state dict, absent for a bare state dict), {@code stripped_prefix}
     * ({@code module.} when DataParallel's prefix was removed from every key), {@code placeholders}
     * (the foreign globals turned into inert placeholders, when that mode was chosen), and the
     * wrapper's scalar entries (e.g. {@code epoch}) under their own key.
     */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** The file's format. */
    public WeightFormat format() {
        return format;
    }

    /** The file the tensors come from. */
    public Path source() {
        return source;
    }

    /** Closes the file; the tensors cannot be read afterwards. */
    @Override
    public void close() throws IOException {
        resource.close();
    }

    @Override
    public String toString() {
        return "StateDict[" + format + " " + source + ", " + tensors.size() + " tensors]";
    }
}
