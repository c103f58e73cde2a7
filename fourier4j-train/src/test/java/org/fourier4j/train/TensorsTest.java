package org.fourier4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

class TensorsTest {

    @Test
    void copyWritesIntoTheArraysOwnMemory() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.create(new float[] {1, 2, 3, 4});
            NDArray view = w.get("0:2"); // shares w's memory
            Tensors.copy(m.create(new float[] {5, 6, 7, -0f}), w);
            assertArrayEquals(new float[] {5, 6, 7, -0f}, w.toFloatArray(), 0f);
            assertArrayEquals(
                    new float[] {5, 6},
                    view.toFloatArray(),
                    0f,
                    "the memory was written, not swapped");
            assertArrayEquals(
                    new int[] {Float.floatToIntBits(-0f)},
                    new int[] {Float.floatToIntBits(w.toFloatArray()[3])},
                    "bit-exact, signed zero included");

            // what DJL's set(Buffer) does instead on the PyTorch engine: the array gets new memory
            // and views of the old one go stale (the reason checkpoints load through copy())
            NDArray u = m.create(new float[] {1, 2, 3, 4});
            NDArray uView = u.get("0:2");
            u.set(FloatBuffer.wrap(new float[] {5, 6, 7, 8}));
            assertArrayEquals(new float[] {5, 6, 7, 8}, u.toFloatArray(), 0f);
            assertArrayEquals(new float[] {1, 2}, uView.toFloatArray(), 0f);

            assertThrows(
                    IllegalArgumentException.class, () -> Tensors.copy(m.zeros(new Shape(3)), w));
        }
    }

    @Test
    void hostTensorCopyIntoKeepsTheMemory() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.create(new float[] {1, 2, 3});
            NDArray view = w.get("1:3");
            HostTensor.of("x", m.create(new float[] {9, 8, 7})).copyInto(w);
            assertArrayEquals(new float[] {9, 8, 7}, w.toFloatArray(), 0f);
            assertArrayEquals(new float[] {8, 7}, view.toFloatArray(), 0f);
        }
    }
}
