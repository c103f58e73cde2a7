package org.fourier4j.io;

import static org.fourier4j.io.TestFiles.bytes;
import static org.fourier4j.io.TestFiles.weights;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** Conversions of TensorData, checked against the PyTorch engine's own conversions. */
class TensorDataTest {

    /** Every binary16 bit pattern, converted by libtorch (through DJL) and by fourier4j. */
    @Test
    void halfConvertsExactlyForAllBitPatterns() throws IOException {
        ByteBuffer all = ByteBuffer.allocate(2 * 65536).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 65536; i++) {
            all.putShort((short) i);
        }
        all.flip();
        TensorData t = TensorData.ofBytes("all", DType.F16, all, 65536);
        float[] ours = t.toFloats();
        double[] oursDouble = t.toDoubles();
        try (NDManager m = NDManager.newBaseManager()) {
            float[] torch = t.toNDArray(m, DataType.FLOAT32).toFloatArray();
            for (int i = 0; i < 65536; i++) {
                assertEquals(
                        Float.floatToRawIntBits(torch[i]),
                        Float.floatToRawIntBits(ours[i]),
                        "binary16 pattern " + i);
                assertEquals((double) ours[i], oursDouble[i], 0.0);
            }
        }
    }

    /**
     * bfloat16 patterns of every exponent with torch 1.13's float32 conversion of them (made by
     * make_weight_files.py; DJL's PyTorch engine cannot hold bfloat16 arrays).
     */
    @Test
    void bfloat16ConvertsExactlyAsTorchDoes() throws IOException {
        try (StateDict ref = Safetensors.read(weights("bf16-reference.safetensors"));
                NDManager m = NDManager.newBaseManager()) {
            TensorData bf16 = ref.get("bf16");
            float[] torch = ref.get("f32").toFloats();
            float[] ours = bf16.toFloats();
            float[] engine = bf16.toNDArray(m, DataType.FLOAT32).toFloatArray();
            double[] doubles = bf16.toDoubles();
            assertTrue(torch.length > 1000);
            for (int i = 0; i < torch.length; i++) {
                int expected = Float.floatToRawIntBits(torch[i]);
                assertEquals(expected, Float.floatToRawIntBits(ours[i]), "pattern #" + i);
                assertEquals(expected, Float.floatToRawIntBits(engine[i]), "pattern #" + i);
                assertEquals((double) torch[i], doubles[i], 0.0);
            }
        }
    }

    @Test
    void toNDArrayKeepsTheBytesOfEveryDtypeAndConvertsLikeToFloats() throws IOException {
        try (StateDict sd = Safetensors.read(weights("dtypes.expected.safetensors"));
                NDManager m = NDManager.newBaseManager()) {
            for (TensorData t : sd.values()) {
                if (t.dtype() == DType.BF16 || t.dtype() == DType.I16) {
                    // DJL's PyTorch engine aborts the JVM on these types: refused, not created
                    DataType type = t.dtype().djlType();
                    assertThrows(IllegalArgumentException.class, () -> t.toNDArray(m, type));
                    continue;
                }
                NDArray same = t.toNDArray(m, t.dtype().djlType());
                assertEquals(t.name(), same.getName());
                assertEquals(new Shape(t.shape()), same.getShape());
                ByteBuffer engine = same.toByteBuffer();
                byte[] engineBytes = new byte[engine.remaining()];
                engine.get(engineBytes);
                assertArrayEquals(bytes(t), engineBytes, t.name());
            }
            for (TensorData t : sd.values()) {
                float[] viaEngine = t.toNDArray(m, DataType.FLOAT32).toFloatArray();
                float[] viaJava = t.toFloats();
                assertEquals(viaJava.length, viaEngine.length);
                for (int i = 0; i < viaJava.length; i++) {
                    if (Float.isNaN(viaJava[i])) {
                        assertTrue(Float.isNaN(viaEngine[i]), t.name() + "[" + i + "]");
                    } else {
                        assertEquals(viaJava[i], viaEngine[i], 0f, t.name() + "[" + i + "]");
                    }
                }
                double[] doubles = t.toDoubles();
                double[] engineDoubles = t.toNDArray(m, DataType.FLOAT64).toDoubleArray();
                for (int i = 0; i < doubles.length; i++) {
                    assertTrue(
                            Double.compare(doubles[i], engineDoubles[i]) == 0
                                    || (Double.isNaN(doubles[i]) && Double.isNaN(engineDoubles[i])),
                            t.name() + "[" + i + "]: " + doubles[i] + " vs " + engineDoubles[i]);
                }
            }
        }
    }

    @Test
    void stridedTorchViewsBecomeContiguousEngineArrays() throws IOException {
        try (StateDict views = TorchCheckpoint.read(weights("views.pth"));
                StateDict expected = Safetensors.read(weights("views.expected.safetensors"));
                NDManager m = NDManager.newBaseManager()) {
            for (TensorData t : views.values()) {
                NDArray a = t.toNDArray(m, DataType.FLOAT64);
                assertArrayEquals(
                        expected.get(t.name()).toDoubles(), a.toDoubleArray(), 0.0, t.name());
            }
        }
    }

    @Test
    void factoriesCopyTheirInput() throws IOException {
        float[] values = {1, 2, 3, 4, 5, 6};
        TensorData f = TensorData.of("f", values, 2, 3);
        values[0] = 99;
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, f.toFloats());
        assertEquals(DType.F32, f.dtype());
        assertArrayEquals(
                new double[] {0.5, -1}, TensorData.of("d", new double[] {0.5, -1}, 2).toDoubles());
        TensorData l = TensorData.of("n", new long[] {Long.MAX_VALUE}, new long[0]);
        assertEquals(Long.MAX_VALUE, l.contiguousBytes().getLong(0));
        assertEquals(1, l.numel());
        TensorData renamed = f.renamed("g");
        assertEquals("g", renamed.name());
        assertArrayEquals(f.toFloats(), renamed.toFloats());
        assertEquals(
                "shape [2, 2] has 4 elements, got 6 values",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> TensorData.of("x", new float[6], 2, 2))
                        .getMessage());
        assertEquals(
                "tensor 'x' of I16 [3] needs 6 bytes, got 4",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> TensorData.ofBytes("x", DType.I16, ByteBuffer.allocate(4), 3))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> TensorData.of("x", new float[0], -1, 0));
    }

    @Test
    void ndArraysAreCopiedWithTheirType() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.arange(12f).reshape(3, 4).toType(DataType.FLOAT16, false);
            TensorData t = TensorData.of("a", a);
            a.close();
            assertEquals(DType.F16, t.dtype());
            assertArrayEquals(new long[] {3, 4}, t.shape());
            assertEquals(11f, t.toFloats()[11]);
            NDArray transposed = m.arange(6).reshape(2, 3).transpose();
            assertArrayEquals(
                    new float[] {0, 3, 1, 4, 2, 5}, TensorData.of("t", transposed).toFloats());
            NDArray strings = m.create(new String[] {"a"});
            assertThrows(IllegalArgumentException.class, () -> TensorData.of("s", strings));
        }
    }

    @Test
    void emptyAndScalarTensorsMakeEngineArrays() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray empty = TensorData.of("e", new float[0], 0, 3).toNDArray(m, DataType.FLOAT32);
            assertEquals(new Shape(0, 3), empty.getShape());
            NDArray scalar = TensorData.of("s", new double[] {2.5}).toNDArray(m, DataType.FLOAT32);
            assertEquals(new Shape(), scalar.getShape());
            assertEquals(2.5f, scalar.getFloat());
        }
    }

    @Test
    void aViewOfAnArrayWritesWhatACopyWritesAndDirectBuffersHoldTheFileBytes(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.arange(0f, 24f).reshape(2, 3, 4);
            NDArray b = m.create(new long[] {-5, 7, 1L << 40});
            java.nio.file.Path copies = dir.resolve("copies.safetensors");
            java.nio.file.Path views = dir.resolve("views.safetensors");
            Safetensors.write(
                    copies, java.util.List.of(TensorData.of("a", a), TensorData.of("b", b)));
            Safetensors.write(
                    views, java.util.List.of(TensorData.viewOf("a", a), TensorData.viewOf("b", b)));
            assertArrayEquals(
                    java.nio.file.Files.readAllBytes(copies),
                    java.nio.file.Files.readAllBytes(views));
            try (StateDict sd = Safetensors.read(views)) {
                ByteBuffer direct = sd.get("a").toDirectBuffer();
                assertTrue(direct.isDirect());
                assertEquals(ByteOrder.LITTLE_ENDIAN, direct.order());
                assertEquals(sd.get("a").contiguousBytes(), direct);
                NDArray loaded = m.zeros(new Shape(2, 3, 4));
                loaded.set(direct);
                assertArrayEquals(a.toFloatArray(), loaded.toFloatArray());
            }
        }
    }
}
