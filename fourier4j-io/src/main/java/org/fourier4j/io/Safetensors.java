package org.fourier4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.fourier4j.files.AtomicFiles;

/**
 * Reads and writes safetensors files (https://github.com/huggingface/safetensors): an 8-byte
 * little-endian header length N, N bytes of JSON ({@code {"name": {"dtype": "F32", "shape": [2, 3],
 * "data_offsets": [begin, end]}, "__metadata__": {...}}}), then the tensors' raw little-endian
 * bytes, offsets counted from the end of the header.
 *
 * <p><b>Reading</b> checks the whole header against the file before anything is allocated from it,
 * with the rules of the official reader: a header length above 100,000,000 bytes or past the end of
 * the file, a header that is not UTF-8 JSON starting with '{', unknown dtypes, negative or
 * overflowing shapes, offsets that do not match dtype x shape or lie outside the data section,
 * overlapping tensors, holes and trailing bytes in the data section (refused by the official reader
 * as well), duplicate names and a {@code __metadata__} that is not a map of strings are all refused
 * with a {@link WeightFileException} naming the tensor and the numbers. Tensors are then read on
 * demand by positional reads of the open file, so files over 2 GB work and a file is never held
 * twice in memory.
 *
 * <p><b>Writing</b> follows the official writer byte for byte: tensors ordered by element size,
 * largest first (the official dtype order: I64, F64, F32, I32, BF16, F16, I16, I8, U8, BOOL), then
 * by name in UTF-8 byte order, so that every tensor is aligned to its element size; {@code
 * __metadata__} first in the header, in the given order; the header padded with spaces to a
 * multiple of 8. The file is streamed tensor by tensor into a temporary file that is renamed over
 * the target at the end, so a failure never leaves a partial file under the target's name.
 */
public final class Safetensors {
    private Safetensors() {}

    /** Opens a safetensors file, checks its header and returns its tensors, unread. */
    public static StateDict read(Path path) throws IOException {
        FileSource source = FileSource.open(path);
        try {
            StateDict weights = read(path, source);
            source = null;
            return weights;
        } finally {
            if (source != null) {
                source.close();
            }
        }
    }

    private static StateDict read(Path path, FileSource source) throws IOException {
        long size = source.size();
        if (size < 8) {
            throw new WeightFileException(
                    path, "the file has " + size + " bytes, fewer than the 8-byte header length");
        }
        ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        source.read(0, prefix, "the header length");
        long n = prefix.getLong(0);
        if (TorchArchive.looksLikeZip(prefix.array())) {
            throw new WeightFileException(
                    path,
                    "a zip archive (a torch.save file?), not safetensors: read it with"
                            + " TorchCheckpoint.read or WeightFiles.read");
        }
        if (n < 0 || n > SafetensorsHeader.MAX_HEADER) {
            throw new WeightFileException(
                    path,
                    "header length "
                            + Long.toUnsignedString(n)
                            + " is absurd (the limit is "
                            + SafetensorsHeader.MAX_HEADER
                            + " bytes)");
        }
        if (n > size - 8) {
            throw new WeightFileException(
                    path,
                    "header length " + n + " runs past the end of the file (" + size + " bytes)");
        }
        ByteBuffer header = ByteBuffer.allocate((int) n);
        source.read(8, header, "the header");
        long dataStart = 8 + n;
        SafetensorsHeader parsed = SafetensorsHeader.parse(path, header.array(), size - dataStart);
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        for (SafetensorsHeader.Entry e : parsed.entries) {
            tensors.put(
                    e.name(),
                    new StoredTensor(
                            e.name(), e.dtype(), e.shape(), source, dataStart + e.begin(), null));
        }
        return new StateDict(tensors, parsed.metadata, WeightFormat.SAFETENSORS, path, source);
    }

    /**
     * Writes {@code tensors} and {@code metadata} as a safetensors file, atomically (see the class
     * comment for the order and layout).
     *
     * @throws IllegalArgumentException when two tensors have the same name or one is named {@code
     *     __metadata__}
     */
    public static void write(
            Path path, Collection<? extends TensorData> tensors, Map<String, String> metadata)
            throws IOException {
        Objects.requireNonNull(path, "path");
        List<TensorData> ordered = officialOrder(tensors);
        byte[] header = header(ordered, metadata == null ? Map.of() : metadata);
        AtomicFiles.writeChannel(
                path,
                channel -> {
                    ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
                    prefix.putLong(0, header.length);
                    writeFully(channel, prefix);
                    writeFully(channel, ByteBuffer.wrap(header));
                    for (TensorData t : ordered) {
                        long before = channel.position();
                        t.writeTo(channel);
                        if (channel.position() - before != t.byteSize()) {
                            throw new WeightFileException(
                                    path,
                                    "tensor "
                                            + Describe.name(t.name())
                                            + " gave "
                                            + (channel.position() - before)
                                            + " bytes instead of "
                                            + t.byteSize());
                        }
                    }
                });
    }

    /** Same, without metadata. */
    public static void write(Path path, Collection<? extends TensorData> tensors)
            throws IOException {
        write(path, tensors, Map.of());
    }

    private static List<TensorData> officialOrder(Collection<? extends TensorData> tensors) {
        Set<String> names = new HashSet<>();
        List<TensorData> ordered = new ArrayList<>(tensors.size());
        for (TensorData t : tensors) {
            if (t.name().equals("__metadata__")) {
                throw new IllegalArgumentException(
                        "a tensor cannot be named __metadata__ in a safetensors file");
            }
            if (!names.add(t.name())) {
                throw new IllegalArgumentException("two tensors are named '" + t.name() + "'");
            }
            ordered.add(t);
        }
        ordered.sort(
                Comparator.comparingInt((TensorData t) -> -officialRank(t.dtype()))
                        .thenComparing(
                                t -> t.name().getBytes(StandardCharsets.UTF_8),
                                Arrays::compareUnsigned));
        return ordered;
    }

    /** The position of the dtype in the official library's Dtype enum (its alignment order). */
    private static int officialRank(DType t) {
        switch (t) {
            case BOOL:
                return 0;
            case U8:
                return 1;
            case I8:
                return 2;
            case I16:
                return 3;
            case F16:
                return 4;
            case BF16:
                return 5;
            case I32:
                return 6;
            case F32:
                return 7;
            case F64:
                return 8;
            case I64:
                return 9;
            default:
                throw new IllegalArgumentException(t.toString());
        }
    }

    /** The JSON header as the official writer prints it (compact), padded to a multiple of 8. */
    private static byte[] header(List<TensorData> ordered, Map<String, String> metadata) {
        StringBuilder json = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            json.append("\"__metadata__\":{");
            boolean first = true;
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                if (!first) {
                    json.append(',');
                }
                first = false;
                appendString(json, Objects.requireNonNull(e.getKey(), "metadata key"));
                json.append(':');
                appendString(json, Objects.requireNonNull(e.getValue(), "metadata value"));
            }
            json.append('}');
        }
        long offset = 0;
        for (TensorData t : ordered) {
            if (json.length() > 1) {
                json.append(',');
            }
            appendString(json, t.name());
            json.append(":{\"dtype\":\"").append(t.dtype().safetensorsName()).append("\",");
            json.append("\"shape\":[");
            long[] shape = t.shape();
            for (int i = 0; i < shape.length; i++) {
                json.append(i > 0 ? "," : "").append(shape[i]);
            }
            long end = offset + t.byteSize();
            json.append("],\"data_offsets\":[").append(offset).append(',').append(end);
            json.append("]}");
            offset = end;
        }
        json.append('}');
        byte[] bytes = json.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (bytes.length + 7) / 8 * 8;
        byte[] out = Arrays.copyOf(bytes, padded);
        Arrays.fill(out, bytes.length, padded, (byte) ' ');
        return out;
    }

    /** A JSON string with serde_json's escapes (the official writer's JSON library). */
    private static void appendString(StringBuilder json, String s) {
        json.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"':
                    json.append("\\\"");
                    break;
                case '\\':
                    json.append("\\\\");
                    break;
                case '\b':
                    json.append("\\b");
                    break;
                case '\f':
                    json.append("\\f");
                    break;
                case '\n':
                    json.append("\\n");
                    break;
                case '\r':
                    json.append("\\r");
                    break;
                case '\t':
                    json.append("\\t");
                    break;
                default:
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
            }
        }
        json.append('"');
    }

    private static void writeFully(FileChannel channel, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }
}
