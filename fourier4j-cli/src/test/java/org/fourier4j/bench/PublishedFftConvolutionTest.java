package org.fourier4j.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.fourier4j.fft.ConvOptions;
import org.fourier4j.fft.DirectConvolution;
import org.junit.jupiter.api.Test;

/** The baseline computes the same convolution, so timing it is a fair comparison. */
class PublishedFftConvolutionTest {

    @Test
    void equalsTheDirectConvolution() {
        try (NDManager m = NDManager.newBaseManager()) {
            Object[][] cases = {
                {
                    new Shape(2, 4, 13, 10),
                    new Shape(4, 1, 7, 7),
                    ConvOptions.builder().groups(4).padding(3, 3).build()
                },
                {
                    new Shape(1, 6, 11, 11),
                    new Shape(4, 3, 3, 5),
                    ConvOptions.builder()
                            .groups(2)
                            .stride(2, 1)
                            .dilation(2, 1)
                            .padding(1, 2)
                            .build()
                },
            };
            for (Object[] c : cases) {
                NDArray x = m.randomNormal((Shape) c[0]);
                NDArray w = m.randomNormal((Shape) c[1]);
                NDArray b = m.randomNormal(new Shape(((Shape) c[1]).get(0)));
                ConvOptions o = (ConvOptions) c[2];
                float[] expected = DirectConvolution.convolve(2, x, w, b, o).toFloatArray();
                float[] actual = PublishedFftConvolution.convolve(2, x, w, b, o).toFloatArray();
                double diff = 0;
                double ref = 0;
                for (int i = 0; i < expected.length; i++) {
                    diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
                    ref = Math.max(ref, Math.abs(expected[i]));
                }
                assertTrue(
                        actual.length == expected.length && diff / ref < 1e-4,
                        "relative error " + diff / ref);
            }
        }
    }
}
