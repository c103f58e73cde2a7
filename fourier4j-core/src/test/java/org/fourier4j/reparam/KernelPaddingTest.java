package org.fourier4j.reparam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** A small kernel centred in a larger one: values at the centre, zeros around, checked sizes. */
class KernelPaddingTest {

    @Test
    void centresEachAxisOnItsOwn() {
        try (NDManager m = NDManager.newBaseManager()) {
            // a 1x3 kernel (height 1, width 3) into 3x7: one row above and below, two columns
            // left and right
            NDArray k = m.create(new float[] {1, 2, 3}, new Shape(1, 1, 1, 3));
            float[] out = KernelPadding.centre(k, 3, 7).toFloatArray();
            float[] expected = new float[21];
            expected[7 + 2] = 1;
            expected[7 + 3] = 2;
            expected[7 + 4] = 3;
            assertArrayEquals(expected, out);
            assertSame(k, KernelPadding.centre(k, 1, 3), "already that size");
        }
    }

    @Test
    void refusesWhatCannotBeCentred() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray k = m.zeros(new Shape(2, 1, 3, 3));
            for (long[] size : new long[][] {{4, 5}, {1, 3}, {5, 6}}) {
                IllegalArgumentException e =
                        assertThrows(
                                IllegalArgumentException.class,
                                () -> KernelPadding.centre(k, size[0], size[1]));
                assertTrue(e.getMessage().contains("cannot centre a 3x3 kernel"), e.getMessage());
            }
            assertThrows(
                    IllegalArgumentException.class,
                    () -> KernelPadding.centre(m.zeros(new Shape(3, 3)), 5, 5));
        }
    }
}
