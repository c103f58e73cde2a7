package org.fourier4j.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses and checks a safetensors JSON header against the file it came from, before any tensor is
 * read: every rule of the official reader (https://github.com/huggingface/safetensors, {@code
 * Metadata::validate}) plus duplicate names, which the official reader would silently collapse.
 */
final class SafetensorsHeader {
    /** The official reader's limit on the header length. */
    static final long MAX_HEADER = 100_000_000L;

    private static final Set<String> KNOWN_UNSUPPORTED =
            Set.of(
                    "U16", "U32", "U64", "C64", "F8_E5M2", "F8_E4M3", "F8_E8M0", "F4", "F6_E2M3",
                    "F6_E3M2");

    private static final JsonFactory JSON =
            JsonFactory.builder()
                    .streamReadConstraints(
                            StreamReadConstraints.builder()
                                    .maxNestingDepth(16)
                                    .maxNumberLength(40)
                                    .build())
                    .build();

    /** One tensor of the header. */
    record Entry(String name, DType dtype, long[] shape, long begin, long end) {}

    final List<Entry> entries;
    final Map<String, String> metadata;

    private SafetensorsHeader(List<Entry> entries, Map<String, String> metadata) {
        this.entries = entries;
        this.metadata = metadata;
    }

    /**
     * @param header the header bytes (the file's bytes 8 .. 8 + length)
     * @param dataLength the bytes of the file after the header
     */
    static SafetensorsHeader parse(Path file, byte[] header, long dataLength)
            throws WeightFileException {
        String json;
        try {
            json =
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(header))
                            .toString();
        } catch (CharacterCodingException e) {
            throw new WeightFileException(file, "the header is not valid UTF-8");
        }
        if (json.isEmpty() || json.charAt(0) != '{') {
            throw new WeightFileException(file, "the header does not start with '{'");
        }
        SafetensorsHeader parsed;
        try (JsonParser parser = JSON.createParser(json)) {
            parsed = read(file, parser);
        } catch (JsonProcessingException e) {
            String message = e.getOriginalMessage();
            int cut = message.indexOf(" (start marker");
            message = cut > 0 ? message.substring(0, cut) : message;
            long at = e.getLocation() == null ? -1 : e.getLocation().getCharOffset();
            throw new WeightFileException(
                    file, "the header is not valid JSON (character " + at + "): " + message);
        } catch (WeightFileException e) {
            throw e;
        } catch (IOException e) {
            throw new WeightFileException(file, "cannot parse the header: " + e.getMessage());
        }
        parsed.checkLayout(file, dataLength);
        return parsed;
    }

    private static SafetensorsHeader read(Path file, JsonParser p) throws IOException {
        p.nextToken();
        List<Entry> entries = new ArrayList<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        Set<String> names = new HashSet<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            if (!names.add(name)) {
                throw new WeightFileException(
                        file, "the header names " + Describe.name(name) + " twice");
            }
            JsonToken value = p.nextToken();
            if (name.equals("__metadata__")) {
                readMetadata(file, p, value, metadata);
            } else {
                entries.add(readEntry(file, p, value, name));
            }
        }
        if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
            throw new WeightFileException(file, "the header has content after its JSON object");
        }
        return new SafetensorsHeader(entries, metadata);
    }

    private static void readMetadata(
            Path file, JsonParser p, JsonToken value, Map<String, String> metadata)
            throws IOException {
        if (value != JsonToken.START_OBJECT) {
            throw new WeightFileException(
                    file, "__metadata__ must be a map of strings, not " + describe(value));
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            if (v != JsonToken.VALUE_STRING) {
                throw new WeightFileException(
                        file,
                        "__metadata__ must map strings to strings, but "
                                + Describe.name(key)
                                + " is "
                                + describe(v));
            }
            if (metadata.put(key, p.getText()) != null) {
                throw new WeightFileException(
                        file, "__metadata__ names " + Describe.name(key) + " twice");
            }
        }
    }

    private static Entry readEntry(Path file, JsonParser p, JsonToken value, String name)
            throws IOException {
        String what = "tensor " + Describe.name(name);
        if (value != JsonToken.START_OBJECT) {
            throw new WeightFileException(
                    file, what + " must be an object, not " + describe(value));
        }
        String dtypeName = null;
        long[] shape = null;
        long[] offsets = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            switch (field) {
                case "dtype":
                    if (dtypeName != null || v != JsonToken.VALUE_STRING) {
                        throw new WeightFileException(
                                file, what + " needs one dtype string, got " + describe(v));
                    }
                    dtypeName = p.getText();
                    break;
                case "shape":
                    if (shape != null) {
                        throw new WeightFileException(file, what + " has two shapes");
                    }
                    shape = readIntegers(file, p, v, what + " shape");
                    break;
                case "data_offsets":
                    if (offsets != null) {
                        throw new WeightFileException(file, what + " has two data_offsets");
                    }
                    offsets = readIntegers(file, p, v, what + " data_offsets");
                    break;
                default:
                    // the official reader ignores fields it does not know
                    p.skipChildren();
            }
        }
        if (dtypeName == null || shape == null || offsets == null) {
            throw new WeightFileException(file, what + " needs dtype, shape and data_offsets");
        }
        DType dtype = DType.fromSafetensorsName(dtypeName);
        if (dtype == null) {
            String why =
                    KNOWN_UNSUPPORTED.contains(dtypeName)
                            ? "is not supported"
                            : "is not a safetensors dtype";
            throw new WeightFileException(
                    file,
                    what
                            + " has dtype "
                            + Describe.name(dtypeName)
                            + ", which "
                            + why
                            + " (supported: "
                            + Arrays.toString(DType.values())
                            + ")");
        }
        if (offsets.length != 2) {
            throw new WeightFileException(
                    file,
                    what + " needs data_offsets [begin, end], got " + offsets.length + " numbers");
        }
        return new Entry(name, dtype, shape, offsets[0], offsets[1]);
    }

    /** An array of non-negative integers that fit a long. */
    private static long[] readIntegers(Path file, JsonParser p, JsonToken v, String what)
            throws IOException {
        if (v != JsonToken.START_ARRAY) {
            throw new WeightFileException(file, what + " must be an array, not " + describe(v));
        }
        long[] values = new long[4];
        int n = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.VALUE_NUMBER_INT) {
                throw new WeightFileException(
                        file, what + " must hold integers, not " + describe(t));
            }
            JsonParser.NumberType type = p.getNumberType();
            if (type == JsonParser.NumberType.BIG_INTEGER) {
                throw new WeightFileException(
                        file,
                        what + " holds " + p.getText() + ", which overflows a 64-bit integer");
            }
            long value = p.getLongValue();
            if (value < 0) {
                throw new WeightFileException(file, what + " holds the negative number " + value);
            }
            if (n == values.length) {
                values = Arrays.copyOf(values, n * 2);
            }
            values[n++] = value;
        }
        return Arrays.copyOf(values, n);
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "the end of the header";
        }
        switch (t) {
            case START_OBJECT:
                return "an object";
            case START_ARRAY:
                return "an array";
            case VALUE_STRING:
                return "a string";
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return "a number";
            case VALUE_TRUE:
            case VALUE_FALSE:
                return "a boolean";
            case VALUE_NULL:
                return "null";
            default:
                return t.toString();
        }
    }

    /**
     * Sizes match dtype x shape, every tensor lies in the data section, and the tensors cover it
     * exactly: no overlap, no hole, nothing after the last one (the official reader refuses holes
     * and trailing bytes too, {@code InvalidOffset} and {@code MetadataIncompleteBuffer}).
     */
    private void checkLayout(Path file, long dataLength) throws WeightFileException {
        for (Entry e : entries) {
            String what = "tensor " + Describe.name(e.name());
            long numel;
            try {
                numel = TensorData.elementCount(e.shape(), e.dtype());
            } catch (IllegalArgumentException overflow) {
                throw new WeightFileException(
                        file,
                        what
                                + ": the byte size of shape "
                                + Describe.shape(e.shape())
                                + " overflows");
            }
            long bytes = numel * e.dtype().byteSize();
            if (e.end() < e.begin()) {
                throw new WeightFileException(
                        file, what + " has " + offsets(e) + " that end before they begin");
            }
            if (e.end() > dataLength) {
                throw new WeightFileException(
                        file,
                        what
                                + " claims bytes "
                                + range(e)
                                + " but the data section has "
                                + dataLength
                                + " bytes");
            }
            if (e.end() - e.begin() != bytes) {
                throw new WeightFileException(
                        file,
                        what
                                + " has "
                                + offsets(e)
                                + " ("
                                + (e.end() - e.begin())
                                + " bytes) but "
                                + e.dtype()
                                + " x "
                                + Describe.shape(e.shape())
                                + " needs "
                                + bytes
                                + " bytes");
            }
        }
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long covered = 0;
        Entry previous = null;
        for (Entry e : byOffset) {
            if (e.begin() < covered) {
                throw new WeightFileException(
                        file,
                        "tensors "
                                + Describe.name(previous.name())
                                + " (bytes "
                                + range(previous)
                                + ") and "
                                + Describe.name(e.name())
                                + " (bytes "
                                + range(e)
                                + ") overlap");
            }
            if (e.begin() > covered) {
                throw new WeightFileException(
                        file,
                        "bytes "
                                + covered
                                + ".."
                                + e.begin()
                                + " of the data section belong to no tensor (before "
                                + Describe.name(e.name())
                                + "); the format has no holes");
            }
            covered = e.end();
            previous = e;
        }
        if (covered != dataLength) {
            throw new WeightFileException(
                    file,
                    "the data section has "
                            + dataLength
                            + " bytes but the tensors end at"
                            + " byte "
                            + covered
                            + "; the format has no trailing bytes");
        }
    }

    /** {@code data_offsets [begin, end]}, for messages. */
    private static String offsets(Entry e) {
        return "data_offsets [" + e.begin() + ", " + e.end() + "]";
    }

    /** {@code begin..end}, for messages. */
    private static String range(Entry e) {
        return e.begin() + ".." + e.end();
    }
}
