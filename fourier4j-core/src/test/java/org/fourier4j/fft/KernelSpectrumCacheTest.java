package org.fourier4j.fft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/** The kernel spectrum is reused only while valid, and calls do not leak native arrays. */
class KernelSpectrumCacheTest {

    private static final ConvOptions OPTS =
            ConvOptions.builder().padding(Padding.same()).groups(4).build();

    @Test
    void reusedInInferenceAndInvalidatedWhenTheWeightChangesInPlace() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(2, 4, 20, 20));
            NDArray w = m.randomNormal(new Shape(4, 1, 9, 9));
            KernelSpectrumCache cache = new KernelSpectrumCache();
            NDArray first = FftConvolution.convolve(2, x, w, null, OPTS, cache);
            NDArray second = FftConvolution.convolve(2, x, w, null, OPTS, cache);
            assertEquals(1, cache.hits());
            assertEquals(0, Comparison.relativeError(second, first));

            w.addi(1f); // as an optimiser step would
            NDArray third = FftConvolution.convolve(2, x, w, null, OPTS, cache);
            NDArray direct = DirectConvolution.convolve(2, x, w, null, OPTS);
            assertEquals(1, cache.hits(), "a changed weight must not hit the cache");
            assertTrue(Comparison.relativeError(third, direct) < 1e-5);

            // another input size is another entry; the batch size is not part of the key
            FftConvolution.convolve(
                    2, m.randomNormal(new Shape(1, 4, 17, 23)), w, null, OPTS, cache);
            FftConvolution.convolve(
                    2, m.randomNormal(new Shape(5, 4, 20, 20)), w, null, OPTS, cache);
            assertEquals(2, cache.hits());
            assertEquals(2, cache.size());
            cache.clear();
            assertEquals(0, cache.size());
        }
    }

    @Test
    void notUsedWhileTheWeightGradientIsRecorded() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(1, 4, 12, 12));
            NDArray w = m.randomNormal(new Shape(4, 1, 5, 5));
            KernelSpectrumCache cache = new KernelSpectrumCache();
            FftConvolution.convolve(2, x, w, null, OPTS, cache); // fills the cache
            w.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(FftConvolution.convolve(2, x, w, null, OPTS, cache).sum());
            }
            assertEquals(0, cache.hits());
            NDArray g = w.getGradient();
            assertTrue(g.abs().sum().getFloat() > 0, "the weight gradient must flow");
        }
    }

    @Test
    void repeatedCallsDoNotGrowTheCallersManager() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(1, 4, 16, 16));
            NDArray w = m.randomNormal(new Shape(8, 2, 5, 5));
            NDArray b = m.randomNormal(new Shape(8));
            ConvOptions opts =
                    ConvOptions.builder()
                            .groups(2)
                            .stride(2, 1)
                            .padding(2, 2)
                            .paddingMode(PaddingMode.REFLECT)
                            .build();
            w.setRequiresGradient(true);
            KernelSpectrumCache cache = new KernelSpectrumCache();
            int before = m.getManagedArrays().size();
            for (int i = 0; i < 20; i++) {
                try (NDManager step = m.newSubManager()) {
                    FftConvolution.convolve(2, x, w, b, opts, cache).attach(step);
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray y = FftConvolution.convolve(2, x, w, b, opts, cache);
                        y.attach(step);
                        NDArray loss = y.sum();
                        loss.attach(step);
                        gc.backward(loss);
                    }
                    DirectConvolution.convolve(2, x, w, b, opts).attach(step);
                }
            }
            int after = m.getManagedArrays().size();
            // the gradient buffer of w appears once; nothing else may accumulate
            assertTrue(after - before <= 4, "managed arrays grew from " + before + " to " + after);
        }
    }
}
