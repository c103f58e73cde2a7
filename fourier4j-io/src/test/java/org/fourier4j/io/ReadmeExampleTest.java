package org.fourier4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's "Weight files" example, on a checkpoint with a model and an EMA entry. */
class ReadmeExampleTest {
    @TempDir Path dir;

    @Test
    void theReadmeExampleRuns() throws IOException {
        Path path = dir.resolve("checkpoint.pth");
        Files.copy(TestFiles.weights("wrapped-model-and-ema.pth"), path);
        int arrays = 0;
        // from here as in the README (paths resolved in the temporary folder)
        try (NDManager manager = NDManager.newBaseManager();
                StateDict weights = WeightFiles.read(path)) {
            for (TensorData t : weights.values()) {
                NDArray a = t.toNDArray(manager, DataType.FLOAT32);
                System.out.println(t.name() + " " + t.dtype() + " " + Arrays.toString(t.shape()));
                arrays += a.isEmpty() ? 0 : 1;
            }
            Safetensors.write(
                    dir.resolve("checkpoint.safetensors"), weights.values(), weights.metadata());
        }
        try (StateDict ema = TorchCheckpoint.read(path, "model_ema")) {
            float[] head = ema.get("3.weight").toFloats();
            assertEquals(8, head.length);
        }
        TorchCheckpoint.write(
                dir.resolve("tiny.pth"), List.of(TensorData.of("w", new float[] {1, 2}, 2)));
        // end of the README's code
        assertEquals(9, arrays);
        try (StateDict st = Safetensors.read(dir.resolve("checkpoint.safetensors"));
                StateDict tiny = TorchCheckpoint.read(dir.resolve("tiny.pth"))) {
            assertEquals("model", st.metadata().get("entry"));
            assertEquals(2, tiny.get("w").numel());
        }
    }
}
