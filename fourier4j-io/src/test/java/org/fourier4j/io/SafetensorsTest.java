package org.fourier4j.io;

import static org.fourier4j.io.TestFiles.weights;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Reading safetensors: values, metadata, and every kind of lying header refused up front. */
class SafetensorsTest {
    @TempDir Path dir;

    /** A file: 8-byte length, the header text as given, then {@code dataBytes} zero bytes. */
    private Path file(String name, String header, long dataBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return file(name, h.length, h, dataBytes);
    }

    private Path file(String name, long claimedLength, byte[] header, long dataBytes)
            throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + (int) dataBytes);
        b.order(ByteOrder.LITTLE_ENDIAN).putLong(claimedLength).put(header);
        Path p = dir.resolve(name);
        Files.write(p, b.array());
        return p;
    }

    @Test
    void readsEveryDtypeAndTheMetadata() throws IOException {
        try (StateDict sd = Safetensors.read(weights("dtypes.expected.safetensors"))) {
            assertEquals(WeightFormat.SAFETENSORS, sd.format());
            assertEquals(Map.of("format", "pt"), sd.metadata());
            assertEquals(13, sd.size());
            float[] f16 = sd.get("f16.special").toFloats();
            assertEquals(0x1p-24f, f16[2]);
            assertEquals(65504f, f16[4]);
            assertEquals(Float.POSITIVE_INFINITY, f16[6]);
            assertTrue(Float.isNaN(f16[8]));
            assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(f16[1]));
            float[] bf16 = sd.get("bf16.special").toFloats();
            assertEquals(Float.NEGATIVE_INFINITY, bf16[6]);
            assertTrue(bf16[2] > 0 && bf16[2] < Float.MIN_NORMAL, "bf16 subnormal kept");
            double[] i64 = sd.get("i64.values").toDoubles();
            assertEquals(0x1p62, i64[2]);
            assertEquals(-0x1p63, i64[3]);
            assertArrayEquals(new float[] {0, 255, 128, 7}, sd.get("u8.values").toFloats());
            assertArrayEquals(new float[] {-128, 127, 0, -1}, sd.get("i8.values").toFloats());
            assertArrayEquals(new double[] {1, 0, 1, 0, 0, 1}, sd.get("bool.mask").toDoubles());
            assertEquals(0, sd.get("f32.empty").toFloats().length);
            assertArrayEquals(new float[] {3.25f}, sd.get("f32.scalar").toFloats());
            double[] f64 = sd.get("f64.values").toDoubles();
            assertEquals(1e-310, f64[2]);
            assertEquals(Double.MIN_VALUE, f64[7]);
        }
    }

    @Test
    void contiguousBytesAreReadOnlyLittleEndian() throws IOException {
        try (StateDict sd = Safetensors.read(weights("dtypes.expected.safetensors"))) {
            ByteBuffer b = sd.get("i32.values").contiguousBytes();
            assertTrue(b.isReadOnly());
            assertEquals(ByteOrder.LITTLE_ENDIAN, b.order());
            assertEquals(16, b.remaining());
            assertEquals(Integer.MIN_VALUE, b.getInt(0));
        }
    }

    @Test
    void closedFilesCannotBeReadAnyMore() throws IOException {
        StateDict sd = Safetensors.read(weights("dtypes.expected.safetensors"));
        TensorData t = sd.get("f32.weight");
        sd.close();
        WeightFileException e = assertThrows(WeightFileException.class, t::toFloats);
        assertEquals(
                "dtypes.expected.safetensors: cannot read tensor 'f32.weight': the weight file was"
                        + " closed",
                e.getMessage());
    }

    static Stream<Arguments> lyingHeaders() {
        String f32x4 = "\"dtype\":\"F32\",\"shape\":[4]";
        return Stream.of(
                Arguments.of(
                        "offsets beyond the data section",
                        "{\"blocks.0.w\":{\"dtype\":\"F32\",\"shape\":[1020],\"data_offsets\":[16,4096]}}",
                        1024L,
                        "tensor 'blocks.0.w' claims bytes 16..4096 but the data section has 1024"
                                + " bytes"),
                Arguments.of(
                        "a 10^12-element tensor in a 1 KB file",
                        "{\"w\":{\"dtype\":\"F32\",\"shape\":[1000000000000],\"data_offsets\":[0,4000000000000]}}",
                        1024L,
                        "tensor 'w' claims bytes 0..4000000000000 but the data section has 1024"
                                + " bytes"),
                Arguments.of(
                        "size that does not match dtype x shape",
                        "{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}",
                        8L,
                        "tensor 'w' has data_offsets [0, 8] (8 bytes) but F32 x [3] needs 12"
                                + " bytes"),
                Arguments.of(
                        "negative dimension",
                        "{\"w\":{\"dtype\":\"F32\",\"shape\":[-1,2],\"data_offsets\":[0,8]}}",
                        8L,
                        "tensor 'w' shape holds the negative number -1"),
                Arguments.of(
                        "fractional dimension",
                        "{\"w\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}",
                        4L,
                        "tensor 'w' shape must hold integers, not a number"),
                Arguments.of(
                        "element count overflow",
                        "{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296,4294967296],\"data_offsets\":[0,4]}}",
                        4L,
                        "tensor 'w': the byte size of shape [4294967296, 4294967296, 4294967296]"
                                + " overflows"),
                Arguments.of(
                        "dimension beyond 64 bits",
                        "{\"w\":{\"dtype\":\"F32\",\"shape\":[99999999999999999999],\"data_offsets\":[0,4]}}",
                        4L,
                        "tensor 'w' shape holds 99999999999999999999, which overflows a 64-bit"
                                + " integer"),
                Arguments.of(
                        "byte size overflow",
                        "{\"w\":{\"dtype\":\"F64\",\"shape\":[2305843009213693952],\"data_offsets\":[0,8]}}",
                        8L,
                        "tensor 'w': the byte size of shape [2305843009213693952] overflows"),
                Arguments.of(
                        "offsets that end before they begin",
                        "{\"w\":{" + f32x4 + ",\"data_offsets\":[16,0]}}",
                        16L,
                        "tensor 'w' has data_offsets [16, 0] that end before they begin"),
                Arguments.of(
                        "three offsets",
                        "{\"w\":{" + f32x4 + ",\"data_offsets\":[0,16,32]}}",
                        16L,
                        "tensor 'w' needs data_offsets [begin, end], got 3 numbers"),
                Arguments.of(
                        "overlapping tensors",
                        "{\"a\":{"
                                + f32x4
                                + ",\"data_offsets\":[0,16]},\"b\":{"
                                + f32x4
                                + ",\"data_offsets\":[8,24]}}",
                        24L,
                        "tensors 'a' (bytes 0..16) and 'b' (bytes 8..24) overlap"),
                Arguments.of(
                        "a hole between tensors",
                        "{\"a\":{"
                                + f32x4
                                + ",\"data_offsets\":[0,16]},\"b\":{"
                                + f32x4
                                + ",\"data_offsets\":[24,40]}}",
                        40L,
                        "bytes 16..24 of the data section belong to no tensor (before 'b'); the"
                                + " format has no holes"),
                Arguments.of(
                        "trailing bytes",
                        "{\"a\":{" + f32x4 + ",\"data_offsets\":[0,16]}}",
                        20L,
                        "the data section has 20 bytes but the tensors end at byte 16; the format"
                                + " has no trailing bytes"),
                Arguments.of(
                        "duplicate names",
                        "{\"a\":{"
                                + f32x4
                                + ",\"data_offsets\":[0,16]},\"a\":{"
                                + f32x4
                                + ",\"data_offsets\":[16,32]}}",
                        32L,
                        "the header names 'a' twice"),
                Arguments.of(
                        "unsupported dtype",
                        "{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[4],\"data_offsets\":[0,4]}}",
                        4L,
                        "tensor 'w' has dtype 'F8_E4M3', which is not supported (supported: [F64,"
                                + " F32, F16, BF16, I64, I32, I16, I8, U8, BOOL])"),
                Arguments.of(
                        "unknown dtype",
                        "{\"w\":{\"dtype\":\"float32\",\"shape\":[4],\"data_offsets\":[0,16]}}",
                        16L,
                        "tensor 'w' has dtype 'float32', which is not a safetensors dtype"
                            + " (supported: [F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL])"),
                Arguments.of(
                        "metadata with a number",
                        "{\"__metadata__\":{\"format\":\"pt\",\"epoch\":3}}",
                        0L,
                        "__metadata__ must map strings to strings, but 'epoch' is a number"),
                Arguments.of(
                        "metadata that is a list",
                        "{\"__metadata__\":[\"pt\"]}",
                        0L,
                        "__metadata__ must be a map of strings, not an array"),
                Arguments.of(
                        "missing shape",
                        "{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}",
                        4L,
                        "tensor 'w' needs dtype, shape and data_offsets"),
                Arguments.of(
                        "tensor that is not an object",
                        "{\"w\":[1,2]}",
                        0L,
                        "tensor 'w' must be an object, not an array"),
                Arguments.of(
                        "not starting with a brace",
                        " {}",
                        0L,
                        "the header does not start with '{'"),
                Arguments.of(
                        "content after the JSON object",
                        "{} {}",
                        0L,
                        "the header has content after its JSON object"),
                Arguments.of(
                        "truncated JSON",
                        "{\"w\":{\"dtype\":\"F32\"",
                        0L,
                        "the header is not valid JSON (character 19): Unexpected end-of-input:"
                                + " expected close marker for Object"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lyingHeaders")
    void lyingHeadersAreRefusedBeforeAnythingIsAllocated(
            String what, String header, long dataBytes, String message) throws IOException {
        Path p = file("lying.safetensors", header, dataBytes);
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        WeightFileException e =
                assertThrows(WeightFileException.class, () -> Safetensors.read(p).close());
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertEquals("lying.safetensors: " + message, e.getMessage());
        assertTrue(allocated < (4 << 20), what + ": allocated " + allocated + " bytes");
    }

    @Test
    void headerLengthsThatLieAreRefused() throws IOException {
        byte[] h = "{}".getBytes(StandardCharsets.UTF_8);
        assertEquals(
                "a.safetensors: header length 1000 runs past the end of the file (10 bytes)",
                assertThrows(
                                WeightFileException.class,
                                () -> Safetensors.read(file("a.safetensors", 1000, h, 0)))
                        .getMessage());
        assertEquals(
                "b.safetensors: header length 1099511627776 is absurd (the limit is 100000000"
                        + " bytes)",
                assertThrows(
                                WeightFileException.class,
                                () -> Safetensors.read(file("b.safetensors", 1L << 40, h, 0)))
                        .getMessage());
        assertEquals(
                "c.safetensors: header length 18446744073709551615 is absurd (the limit is"
                        + " 100000000 bytes)",
                assertThrows(
                                WeightFileException.class,
                                () -> Safetensors.read(file("c.safetensors", -1L, h, 0)))
                        .getMessage());
        Path tiny = dir.resolve("d.safetensors");
        Files.write(tiny, new byte[] {2, 0, 0});
        assertEquals(
                "d.safetensors: the file has 3 bytes, fewer than the 8-byte header length",
                assertThrows(WeightFileException.class, () -> Safetensors.read(tiny)).getMessage());
        byte[] latin1 = {'{', '"', (byte) 0xff, '"', ':', '1', '}', ' '};
        assertEquals(
                "e.safetensors: the header is not valid UTF-8",
                assertThrows(
                                WeightFileException.class,
                                () -> Safetensors.read(file("e.safetensors", 8, latin1, 0)))
                        .getMessage());
    }

    @Test
    void aTorchFileIsNamedForWhatItIs() {
        assertEquals(
                "dtypes.pth: a zip archive (a torch.save file?), not safetensors: read it with"
                        + " TorchCheckpoint.read or WeightFiles.read",
                assertThrows(
                                WeightFileException.class,
                                () -> Safetensors.read(weights("dtypes.pth")))
                        .getMessage());
    }

    @Test
    void deeplyNestedUnknownFieldsAreRefused() throws IOException {
        String deep = "[".repeat(500) + "]".repeat(500);
        Path p =
                file(
                        "deep.safetensors",
                        "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"x\":"
                                + deep
                                + "}}",
                        4);
        WeightFileException e = assertThrows(WeightFileException.class, () -> Safetensors.read(p));
        assertTrue(e.getMessage().startsWith("deep.safetensors: the header is not valid JSON"));
    }

    @Test
    void unknownFieldsAndEmptyFilesAreAcceptedAsTheOfficialReaderDoes() throws IOException {
        Path p =
                file(
                        "extra.safetensors",
                        "{\"w\":{\"dtype\":\"I8\",\"shape\":[2],\"data_offsets\":[0,2],\"note\":{\"a\":[1]}},\"z\":{\"dtype\":\"F16\",\"shape\":[0],\"data_offsets\":[2,2]}}"
                            + "   ",
                        2);
        try (StateDict sd = Safetensors.read(p)) {
            assertEquals(List.of("w", "z"), List.copyOf(sd.names()));
            assertArrayEquals(new float[] {0, 0}, sd.get("w").toFloats());
        }
        try (StateDict empty = Safetensors.read(file("empty.safetensors", "{}      ", 0))) {
            assertEquals(0, empty.size());
        }
    }

    @Test
    void everyTruncationIsRefusedAtOpen() throws IOException {
        byte[] whole = Files.readAllBytes(weights("dtypes.expected.safetensors"));
        Path cut = dir.resolve("cut.safetensors");
        for (int length = 0; length < whole.length; length++) {
            Files.write(cut, Arrays.copyOf(whole, length));
            try {
                Safetensors.read(cut).close();
                fail("a file cut at " + length + " of " + whole.length + " bytes was accepted");
            } catch (WeightFileException expected) {
                assertTrue(expected.getMessage().startsWith("cut.safetensors: "));
            }
        }
    }
}
