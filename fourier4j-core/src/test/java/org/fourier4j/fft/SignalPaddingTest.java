package org.fourier4j.fft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Padding modes against index arithmetic written out in plain loops. */
class SignalPaddingTest {

    /** Source index for output index i of a padded axis, or -1 for a zero. */
    private static int source(int i, int before, int size, PaddingMode mode) {
        int j = i - before;
        if (j >= 0 && j < size) {
            return j;
        }
        switch (mode) {
            case ZEROS:
                return -1;
            case CIRCULAR:
                return Math.floorMod(j, size);
            case REPLICATE:
                return j < 0 ? 0 : size - 1;
            default: // REFLECT
                return j < 0 ? -j : 2 * (size - 1) - j;
        }
    }

    @ParameterizedTest
    @EnumSource(PaddingMode.class)
    void twoDimensionalPaddingMatchesLoops(PaddingMode mode) {
        int h = 5;
        int w = 4;
        int[] left = {2, 3};
        int[] right = {3, 1};
        try (NDManager m = NDManager.newBaseManager()) {
            double[] data = new double[2 * h * w];
            for (int i = 0; i < data.length; i++) {
                data[i] = i + 1;
            }
            NDArray x = m.create(data, new Shape(1, 2, h, w));
            NDArray y = SignalPadding.pad(x, left, right, mode);
            int ph = h + left[0] + right[0];
            int pw = w + left[1] + right[1];
            double[] expected = new double[2 * ph * pw];
            for (int c = 0; c < 2; c++) {
                for (int i = 0; i < ph; i++) {
                    for (int j = 0; j < pw; j++) {
                        int si = source(i, left[0], h, mode);
                        int sj = source(j, left[1], w, mode);
                        expected[(c * ph + i) * pw + j] =
                                si < 0 || sj < 0 ? 0 : data[(c * h + si) * w + sj];
                    }
                }
            }
            assertArrayEquals(new long[] {1, 2, ph, pw}, y.getShape().getShape());
            assertArrayEquals(expected, y.toDoubleArray(), 0);
        }
    }

    @Test
    void reflectWiderThanTheAxisIsRejected() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.zeros(new Shape(1, 1, 3));
            assertThrows(
                    IllegalArgumentException.class,
                    () -> SignalPadding.pad(x, new int[] {3}, new int[] {0}, PaddingMode.REFLECT));
        }
    }
}
