package org.fourier4j.fft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConvAutoTunerTest {

    @TempDir Path home;

    @Test
    void clearCallsFollowTheModelAndDecisionsPersistToDisk() {
        Path file = home.resolve("conv-autotune.properties");
        ConvAutoTuner tuner = new ConvAutoTuner(new AutotuneStore(file));
        try (NDManager m = NDManager.newBaseManager()) {
            // a 1x1 convolution: direct is far cheaper than any transform
            NDArray x = m.randomNormal(new Shape(1, 16, 32, 32));
            NDArray pointwise = m.randomNormal(new Shape(16, 16, 1, 1));
            ConvGeometry small =
                    ConvGeometry.resolve(2, x, pointwise, null, ConvOptions.builder().build());
            ConvAutoTuner.Decision d1 = tuner.choose(small, x, pointwise, null, false);
            assertEquals(ConvAlgorithm.DIRECT, d1.algorithm());

            // a 1-D depthwise kernel as long as the signal: FFT by orders of magnitude
            NDArray s = m.randomNormal(new Shape(1, 32, 8192));
            NDArray k = m.randomNormal(new Shape(32, 1, 4095));
            ConvGeometry longConv =
                    ConvGeometry.resolve(
                            1,
                            s,
                            k,
                            null,
                            ConvOptions.builder().groups(32).padding(Padding.same()).build());
            ConvAutoTuner.Decision d2 = tuner.choose(longConv, s, k, null, false);
            assertEquals(ConvAlgorithm.FFT, d2.algorithm(), d2.toString());

            // the same key is answered from memory, and a fresh tuner reads it from disk
            assertEquals(
                    d1.algorithm(), tuner.choose(small, x, pointwise, null, false).algorithm());
            assertTrue(Files.isRegularFile(file));
            ConvAutoTuner fresh = new ConvAutoTuner(new AutotuneStore(file));
            ConvAutoTuner.Decision cached = fresh.cached(longConv, false);
            assertNotNull(cached, "decision not found on disk");
            assertEquals(ConvAlgorithm.FFT, cached.algorithm());
            assertEquals(null, fresh.cached(longConv, true), "training decisions are keyed apart");
            Map<String, String> stored = new AutotuneStore(file).load();
            assertTrue(stored.keySet().stream().anyMatch(key -> key.startsWith("model.float32 t")));
        }
    }

    @Test
    void closeCallsAreMeasuredSideBySide() {
        ConvAutoTuner tuner = new ConvAutoTuner(new AutotuneStore(home.resolve("a.properties")));
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(1, 64, 24, 24));
            NDArray w = m.randomNormal(new Shape(64, 1, 9, 9));
            ConvGeometry g =
                    ConvGeometry.resolve(
                            2, x, w, null, ConvOptions.builder().groups(64).padding(4, 4).build());
            // the tuner's own model: a second calibration could fall on the other side of the
            // margin on a busy machine
            CostModel model = tuner.model(m, DataType.FLOAT32);
            double ratio = model.directMs(g) / model.fftMs(g, true);
            ConvAutoTuner.Decision d = tuner.choose(g, x, w, null, false);
            if (Math.max(ratio, 1 / ratio) < ConvAutoTuner.CLEAR_MARGIN) {
                assertEquals(ConvAutoTuner.Source.MEASURED, d.source());
                ConvAlgorithm faster =
                        d.fftMs() < d.directMs() ? ConvAlgorithm.FFT : ConvAlgorithm.DIRECT;
                assertEquals(faster, d.algorithm());
            } else {
                assertEquals(ConvAutoTuner.Source.MODEL, d.source());
            }
            assertTrue(d.directMs() > 0 && d.fftMs() > 0);
        }
    }

    @Test
    void calibratedRatesArePositiveAndRoundTripThroughTheStore() {
        try (NDManager m = NDManager.newBaseManager()) {
            CostModel model = ConvAutoTuner.calibrate(m, DataType.FLOAT32);
            CostModel back = CostModel.decode(model.encode());
            assertNotNull(back);
            assertTrue(back.directDepthwiseMacsPerMs > 0 && back.fftPointLogsPerMs > 0);
            assertEquals(null, CostModel.decode("garbage"));
        }
    }

    @Test
    void anUnreadableCacheFileIsIgnored() throws Exception {
        Path file = home.resolve("broken.properties");
        Files.write(file, new byte[] {'\\', 'u', '1'});
        assertTrue(new AutotuneStore(file).load().isEmpty());
        assertEquals(null, ConvAutoTuner.Decision.decode("FFT|nonsense|1|2"));
    }
}
