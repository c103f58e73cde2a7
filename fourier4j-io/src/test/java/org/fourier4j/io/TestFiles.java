package org.fourier4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;

/** The reference files of src/test/resources/org/fourier4j/io/weights and comparisons. */
final class TestFiles {
    private TestFiles() {}

    /** A reference file made by src/test/python/make_weight_files.py. */
    static Path weights(String name) {
        URL url = TestFiles.class.getResource("weights/" + name);
        assertNotNull(url, "missing test resource weights/" + name);
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] bytes(TensorData t) throws IOException {
        ByteBuffer b = t.contiguousBytes();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    /** Same dtype, shape and bytes. */
    static void assertBitIdentical(TensorData expected, TensorData actual) throws IOException {
        String what = expected.name();
        assertEquals(expected.dtype(), actual.dtype(), what + " dtype");
        assertArrayEquals(expected.shape(), actual.shape(), what + " shape");
        assertArrayEquals(bytes(expected), bytes(actual), what + " bytes");
    }

    /** Same names in the same order, and bit-identical tensors. */
    static void assertSameTensors(StateDict expected, StateDict actual) throws IOException {
        assertEquals(new ArrayList<>(expected.names()), new ArrayList<>(actual.names()));
        for (TensorData t : expected.values()) {
            assertBitIdentical(t, actual.get(t.name()));
        }
    }

    /** Same names in any order, and bit-identical tensors. */
    static void assertSameTensorsAnyOrder(StateDict expected, StateDict actual) throws IOException {
        assertEquals(
                new java.util.TreeSet<>(expected.names()), new java.util.TreeSet<>(actual.names()));
        for (TensorData t : expected.values()) {
            assertBitIdentical(t, actual.get(t.name()));
        }
    }
}
