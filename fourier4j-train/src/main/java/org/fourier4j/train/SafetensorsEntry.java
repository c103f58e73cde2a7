package org.fourier4j.train;

import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fourier4j.files.AtomicFiles;
import org.fourier4j.io.DType;
import org.fourier4j.io.Safetensors;
import org.fourier4j.io.StateDict;
import org.fourier4j.io.TensorData;

/**
 * Tensors as a safetensors file inside a checkpoint's zip ({@code model.safetensors}, {@code
 * ema.safetensors}), so that the entry, unzipped, opens with any safetensors reader. fourier4j's
 * {@link Safetensors} reads and writes files, so each entry passes through a temporary file: beside
 * the checkpoint when writing (named as {@link AtomicFiles}' temporaries, so a crash leaves nothing
 * {@link AtomicFiles#deleteStaleTemporaries} would not remove), in the system's temporary directory
 * when reading (the checkpoint may be on a read-only disk).
 */
final class SafetensorsEntry {

    private SafetensorsEntry() {}

    /**
     * Writes tensors as a safetensors file to a stream (a zip entry).
     *
     * @param out the stream (left open)
     * @param tensors the tensors, by name
     * @param metadata the header's {@code __metadata__}
     * @param beside the checkpoint being written, whose directory holds the temporary file
     * @throws IOException on a write error
     */
    static void write(
            OutputStream out, List<HostTensor> tensors, Map<String, String> metadata, Path beside)
            throws IOException {
        List<TensorData> data = new ArrayList<>(tensors.size());
        for (HostTensor t : tensors) {
            data.add(
                    TensorData.ofBytes(
                            t.name(),
                            DType.fromDjl(t.dataType()),
                            ByteBuffer.wrap(t.data()).order(ByteOrder.LITTLE_ENDIAN),
                            t.shape().getShape()));
        }
        Path dir = beside.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + beside.getFileName() + ".", ".tmp");
        try {
            Safetensors.write(tmp, data, metadata);
            Files.copy(tmp, out);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Reads a safetensors file from a stream (a zip entry) into host tensors.
     *
     * @param in the stream
     * @return the tensors by name, in the file's order
     * @throws IOException if it cannot be read or is not a valid safetensors file
     */
    static Map<String, HostTensor> read(InputStream in) throws IOException {
        Path tmp = Files.createTempFile("fourier4j-checkpoint-", ".safetensors");
        try {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Map<String, HostTensor> out = new LinkedHashMap<>();
            try (StateDict sd = Safetensors.read(tmp)) {
                for (TensorData t : sd.values()) {
                    ByteBuffer b = t.contiguousBytes();
                    byte[] bytes = new byte[b.remaining()];
                    b.get(bytes);
                    out.put(
                            t.name(),
                            new HostTensor(
                                    t.name(), t.dtype().djlType(), new Shape(t.shape()), bytes));
                }
            }
            return out;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
