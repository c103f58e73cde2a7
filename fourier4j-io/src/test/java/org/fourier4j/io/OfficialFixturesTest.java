package org.fourier4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The official models' state dicts in ../shared/fixtures/official (absent from a user's clone:
 * skipped then): each case's .pth (torch.save, original dtypes) and .safetensors (written by the
 * official safetensors library, every tensor F32) hold the same keys and the same values, bit for
 * bit after conversion to F32; and fourier4j's safetensors writer reproduces the official file byte
 * for byte.
 */
class OfficialFixturesTest {
    static final Path FIXTURES = Path.of("..", "..", "shared", "fixtures", "official");

    static List<String> cases() throws IOException {
        List<String> cases = new ArrayList<>();
        if (Files.isDirectory(FIXTURES)) {
            try (Stream<Path> files = Files.list(FIXTURES)) {
                files.map(p -> p.getFileName().toString())
                        .filter(n -> n.endsWith(".pth"))
                        .map(n -> n.substring(0, n.length() - 4))
                        .filter(n -> Files.exists(FIXTURES.resolve(n + ".safetensors")))
                        .sorted()
                        .forEach(cases::add);
            }
        }
        return cases;
    }

    @TestFactory
    Stream<DynamicTest> pthAndSafetensorsHoldTheSameTensors() throws IOException {
        List<String> cases = cases();
        assumeTrue(!cases.isEmpty(), "no official fixtures beside the worktree");
        return cases.stream().map(c -> DynamicTest.dynamicTest(c, () -> compare(c)));
    }

    private static void compare(String name) throws IOException {
        try (StateDict pth = TorchCheckpoint.read(FIXTURES.resolve(name + ".pth"));
                StateDict st = Safetensors.read(FIXTURES.resolve(name + ".safetensors"))) {
            assertEquals(new TreeSet<>(st.names()), new TreeSet<>(pth.names()));
            int integers = 0;
            for (TensorData expected : st.values()) {
                TensorData actual = pth.get(expected.name());
                assertEquals(DType.F32, expected.dtype());
                assertArrayEquals(expected.shape(), actual.shape(), expected.name());
                if (actual.dtype() != DType.F32) {
                    assertEquals(DType.I64, actual.dtype(), expected.name());
                    integers++;
                }
                float[] want = expected.toFloats();
                float[] got = actual.toFloats();
                for (int i = 0; i < want.length; i++) {
                    assertEquals(
                            Float.floatToRawIntBits(want[i]),
                            Float.floatToRawIntBits(got[i]),
                            expected.name() + "[" + i + "]");
                }
            }
            boolean batchNorm =
                    st.names().stream().anyMatch(n -> n.endsWith("num_batches_tracked"));
            assertEquals(batchNorm, integers > 0, "int64 num_batches_tracked kept in the .pth");
        }
    }

    /**
     * Rewriting a fixture gives the same data section byte for byte and an equivalent header. (The
     * fixtures' headers list each tensor's fields alphabetically, the official Rust writer in
     * struct order, dtype, shape, data_offsets, as fourier4j does: see SafetensorsWriterTest for
     * the official library's own test vectors.)
     */
    @TestFactory
    Stream<DynamicTest> rewritingAFixtureKeepsItsDataAndHeader() throws IOException {
        List<String> cases = cases();
        assumeTrue(!cases.isEmpty(), "no official fixtures beside the worktree");
        return cases.stream().map(c -> DynamicTest.dynamicTest(c, () -> rewrite(c)));
    }

    private static void rewrite(String name) throws IOException {
        Path official = FIXTURES.resolve(name + ".safetensors");
        Path ours = Files.createTempFile("official", ".safetensors");
        try (StateDict st = Safetensors.read(official)) {
            Safetensors.write(ours, st.values(), st.metadata());
            byte[] a = Files.readAllBytes(official);
            byte[] b = Files.readAllBytes(ours);
            assertEquals(a.length, b.length);
            int headerA = 8 + (int) ByteBuffer.wrap(a).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
            int headerB = 8 + (int) ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
            assertEquals(headerA, headerB);
            assertArrayEquals(
                    Arrays.copyOfRange(a, headerA, a.length),
                    Arrays.copyOfRange(b, headerB, b.length));
            ObjectMapper json = new ObjectMapper();
            assertEquals(
                    json.readTree(Arrays.copyOfRange(a, 8, headerA)),
                    json.readTree(Arrays.copyOfRange(b, 8, headerB)));
        } finally {
            Files.deleteIfExists(ours);
        }
    }
}
