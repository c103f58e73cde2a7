package org.fourier4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The safetensors writer against the official library's own serialization test vectors. */
class SafetensorsWriterTest {
    @TempDir Path dir;

    private static byte[] expected(String header, float... data) {
        ByteBuffer b =
                ByteBuffer.allocate(8 + header.length() + 4 * data.length)
                        .order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(header.length()).put(header.getBytes(StandardCharsets.UTF_8));
        for (float f : data) {
            b.putFloat(f);
        }
        return b.array();
    }

    private byte[] written(List<TensorData> tensors, Map<String, String> metadata)
            throws IOException {
        Path p = dir.resolve("out.safetensors");
        Safetensors.write(p, tensors, metadata);
        return Files.readAllBytes(p);
    }

    /**
     * The vectors of the official tests (https://github.com/huggingface/safetensors,
     * safetensors/src/tensor.rs: test_serialization, test_serialization_forced_alignement,
     * test_empty): compact JSON, fields in the order dtype, shape, data_offsets, padded with spaces
     * to a multiple of 8.
     */
    @Test
    void officialSerializationVectors() throws IOException {
        float[] data = {0, 1, 2, 3, 4, 5};
        assertArrayEquals(
                expected(
                        "{\"attn.0\":{\"dtype\":\"F32\",\"shape\":[1,2,3],\"data_offsets\":[0,24]}}",
                        data),
                written(List.of(TensorData.of("attn.0", data, 1, 2, 3)), Map.of()));
        assertArrayEquals(
                expected(
                        "{\"attn0\":{\"dtype\":\"F32\",\"shape\":[1,1,2,3],\"data_offsets\":[0,24]}}"
                            + "       ",
                        data),
                written(List.of(TensorData.of("attn0", data, 1, 1, 2, 3)), Map.of()));
        assertArrayEquals(expected("{}      "), written(List.of(), Map.of()));
        assertArrayEquals(
                expected("{\"__metadata__\":{\"framework\":\"pt\"}}     "),
                written(List.of(), Map.of("framework", "pt")));
    }

    @Test
    void tensorsAreOrderedLikeTheOfficialWriterAndNamesEscapedLikeSerde() throws IOException {
        List<TensorData> tensors =
                List.of(
                        TensorData.of("b", new float[] {1}, 1),
                        TensorData.ofBytes("mask", DType.BOOL, ByteBuffer.wrap(new byte[] {1}), 1),
                        TensorData.of("a", new float[] {2}, 1),
                        TensorData.of("steps", new long[] {3}),
                        TensorData.ofBytes("h", DType.F16, ByteBuffer.allocate(2), 1),
                        TensorData.of("quote\"\\\n\u0001é", new double[] {4}));
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("z", "1");
        metadata.put("a", "2");
        byte[] file = written(tensors, metadata);
        int n = (int) ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        String header = new String(file, 8, n, StandardCharsets.UTF_8);
        assertEquals(
                "{\"__metadata__\":{\"z\":\"1\",\"a\":\"2\"},\"steps\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[0,8]},\"quote\\\"\\\\\\n"
                    + "\\u0001é\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[8,16]},"
                    + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[16,20]},"
                    + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[20,24]},"
                    + "\"h\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[24,26]},"
                    + "\"mask\":{\"dtype\":\"BOOL\",\"shape\":[1],\"data_offsets\":[26,27]}}",
                header.stripTrailing());
        assertEquals(0, n % 8);
        try (StateDict back = Safetensors.read(dir.resolve("out.safetensors"))) {
            assertEquals(metadata, back.metadata());
            for (TensorData t : tensors) {
                TestFiles.assertBitIdentical(t, back.get(t.name()));
            }
        }
    }

    @Test
    void badInputIsRefusedAndNoFileIsLeftBehind() throws IOException {
        Path target = dir.resolve("x.safetensors");
        TensorData a = TensorData.of("a", new float[] {1}, 1);
        assertEquals(
                "two tensors are named 'a'",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> Safetensors.write(target, List.of(a, a), Map.of()))
                        .getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> Safetensors.write(target, List.of(a.renamed("__metadata__")), Map.of()));
        // a source that fails half way: the temporary file is removed, the target never appears
        StateDict closed = Safetensors.read(TestFiles.weights("dtypes.expected.safetensors"));
        closed.close();
        List<TensorData> failing = List.of(a, closed.get("f32.weight"));
        assertThrows(WeightFileException.class, () -> Safetensors.write(target, failing, Map.of()));
        assertFalse(Files.exists(target));
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(0, left.count());
        }
    }

    @Test
    void aFailedWriteKeepsThePreviousFile() throws IOException {
        Path target = dir.resolve("keep.safetensors");
        Safetensors.write(target, List.of(TensorData.of("a", new float[] {1}, 1)), Map.of());
        byte[] before = Files.readAllBytes(target);
        StateDict closed = Safetensors.read(TestFiles.weights("dtypes.expected.safetensors"));
        closed.close();
        assertThrows(
                WeightFileException.class,
                () -> Safetensors.write(target, List.of(closed.get("f32.weight")), Map.of()));
        assertArrayEquals(before, Files.readAllBytes(target));
    }
}
