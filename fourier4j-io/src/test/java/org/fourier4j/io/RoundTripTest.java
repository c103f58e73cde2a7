package org.fourier4j.io;

import static org.fourier4j.io.TestFiles.assertBitIdentical;
import static org.fourier4j.io.TestFiles.bytes;
import static org.fourier4j.io.TestFiles.weights;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writing and reading back, against torch 1.13 (through committed files) and DJL's codec. */
class RoundTripTest {
    @TempDir Path dir;

    /**
     * The writers still produce the exact bytes that torch 1.13 loaded with weights_only=True and
     * checked tensor by tensor (make_weight_files.py verify on the committed files).
     */
    @Test
    void writersReproduceTheFilesTorchVerified() throws IOException {
        try (StateDict dtypes = TorchCheckpoint.read(weights("dtypes.pth"));
                StateDict views = TorchCheckpoint.read(weights("views.pth"))) {
            List<TensorData> tensors = WriteReferenceFiles.tensors(dtypes, views);
            Path pth = dir.resolve("w.pth");
            Path st = dir.resolve("w.safetensors");
            TorchCheckpoint.write(pth, tensors);
            Safetensors.write(st, tensors, WriteReferenceFiles.METADATA);
            assertArrayEquals(
                    Files.readAllBytes(weights("written-by-fourier4j.pth")),
                    Files.readAllBytes(pth));
            assertArrayEquals(
                    Files.readAllBytes(weights("written-by-fourier4j.safetensors")),
                    Files.readAllBytes(st));
        }
    }

    @Test
    void torchFilesRoundTripWithOrderAndDtypes() throws IOException {
        try (StateDict dtypes = TorchCheckpoint.read(weights("dtypes.pth"));
                StateDict views = TorchCheckpoint.read(weights("views.pth"))) {
            List<TensorData> tensors = WriteReferenceFiles.tensors(dtypes, views);
            Path pth = dir.resolve("round.pth");
            TorchCheckpoint.write(pth, tensors);
            try (StateDict back = TorchCheckpoint.read(pth)) {
                assertEquals(
                        tensors.stream().map(TensorData::name).collect(Collectors.toList()),
                        new ArrayList<>(back.names()));
                for (TensorData t : tensors) {
                    assertBitIdentical(t, back.get(t.name()));
                }
                assertEquals("archive", back.metadata().get("archive"));
                assertEquals("3", back.metadata().get("version"));
            }
        }
    }

    @Test
    void convertingBetweenFormatsStreamsFromFileToFile() throws IOException {
        Path st = dir.resolve("from-pth.safetensors");
        Path pth = dir.resolve("from-safetensors.pth");
        try (StateDict source = TorchCheckpoint.read(weights("dtypes.pth"))) {
            Safetensors.write(st, source.values(), Map.of("source", "dtypes.pth"));
        }
        try (StateDict source = Safetensors.read(st)) {
            TorchCheckpoint.write(pth, source.values());
        }
        try (StateDict original = TorchCheckpoint.read(weights("dtypes.pth"));
                StateDict again = TorchCheckpoint.read(pth)) {
            TestFiles.assertSameTensorsAnyOrder(original, again);
        }
    }

    @Test
    void manyTensorsAndLargeNumbersSurviveThePickle() throws IOException {
        List<TensorData> tensors = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            tensors.add(TensorData.of("layer." + i + ".w", new float[] {i, -i}, 2, 1));
        }
        tensors.add(TensorData.of("big", new float[70000], 70000));
        tensors.add(TensorData.of("wide", new float[70000], 1, 70000, 1));
        Path pth = dir.resolve("many.pth");
        TorchCheckpoint.write(pth, tensors);
        try (StateDict back = TorchCheckpoint.read(pth)) {
            assertEquals(tensors.size(), back.size());
            for (TensorData t : tensors) {
                assertBitIdentical(t, back.get(t.name()));
            }
        }
        // a 3e9-element shape needs LONG1 for its size; the unpickler reads it back
        TensorData huge =
                new TensorData("huge", DType.U8, new long[] {3_000_000_000L}) {
                    @Override
                    public TensorData renamed(String newName) {
                        return this;
                    }

                    @Override
                    Path file() {
                        return null;
                    }

                    @Override
                    void readInto(ByteBuffer dst) {
                        throw new UnsupportedOperationException();
                    }
                };
        byte[] pickle = TorchPickleWriter.stateDict(List.of(huge));
        Object top = new TorchUnpickler(false, key -> 3_000_000_000L).read(pickle);
        TensorRef ref = (TensorRef) ((Map<?, ?>) top).get("huge");
        assertArrayEquals(new long[] {3_000_000_000L}, ref.size);
        assertEquals(3_000_000_000L, ref.storage.numel());
    }

    @Test
    void ndArraysWrittenAndReadBack() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.randomNormal(new ai.djl.ndarray.types.Shape(3, 5));
            NDArray h = w.toType(DataType.FLOAT16, false);
            NDArray steps = m.create(42L);
            List<TensorData> tensors =
                    List.of(
                            TensorData.of("w", w),
                            TensorData.of("h", h),
                            TensorData.of("n", steps));
            Path pth = dir.resolve("nd.pth");
            Path st = dir.resolve("nd.safetensors");
            TorchCheckpoint.write(pth, tensors);
            Safetensors.write(st, tensors, Map.of());
            try (StateDict a = TorchCheckpoint.read(pth);
                    StateDict b = Safetensors.read(st)) {
                assertArrayEquals(w.toFloatArray(), a.get("w").toFloats());
                assertArrayEquals(
                        h.toType(DataType.FLOAT32, false).toFloatArray(), b.get("h").toFloats());
                assertEquals(42L, b.get("n").toNDArray(m, DataType.INT64).getLong());
                assertArrayEquals(
                        w.toFloatArray(), a.get("w").toNDArray(m, DataType.FLOAT32).toFloatArray());
            }
        }
    }

    /** DJL's own safetensors codec, an independent reader and writer, agrees both ways. */
    @Test
    void djlsCodecReadsOurFilesAndWeReadItsFiles() throws IOException {
        try (StateDict dtypes = Safetensors.read(weights("dtypes.expected.safetensors"));
                NDManager m = NDManager.newBaseManager()) {
            // DJL's PyTorch engine aborts the JVM on BF16 and I16: leave those out for DJL
            List<TensorData> djlSafe =
                    dtypes.values().stream()
                            .filter(t -> t.dtype() != DType.BF16 && t.dtype() != DType.I16)
                            .collect(Collectors.toList());
            Path ours = dir.resolve("ours.safetensors");
            Safetensors.write(ours, djlSafe, Map.of());
            NDList decoded = NDList.decode(m, Files.readAllBytes(ours));
            assertEquals(djlSafe.size(), decoded.size());
            for (NDArray a : decoded) {
                TensorData t = dtypes.get(a.getName());
                assertEquals(t.dtype().djlType(), a.getDataType(), t.name());
                assertArrayEquals(bytes(t), bytes(TensorData.of(t.name(), a)), t.name());
            }
            ByteArrayOutputStream djlFile = new ByteArrayOutputStream();
            decoded.encode(djlFile, NDList.Encoding.SAFETENSORS);
            Path theirs = dir.resolve("theirs.safetensors");
            Files.write(theirs, djlFile.toByteArray());
            try (StateDict back = Safetensors.read(theirs)) {
                assertEquals(djlSafe.size(), back.size());
                for (TensorData t : djlSafe) {
                    assertBitIdentical(t, back.get(t.name()));
                }
            }
        }
    }

    @Test
    void duplicateNamesAreRefusedByTheTorchWriter() {
        TensorData a = TensorData.of("a", new float[] {1}, 1);
        assertThrows(
                IllegalArgumentException.class,
                () -> TorchCheckpoint.write(dir.resolve("dup.pth"), List.of(a, a)));
    }
}
