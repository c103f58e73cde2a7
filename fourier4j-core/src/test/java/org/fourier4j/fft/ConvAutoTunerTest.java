package org.fourier4j.fft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AUTO end to end on the engine (real timings; the assertions hold on any machine load). */
class ConvAutoTunerTest {

    @TempDir Path home;

    @Test
    void clearCallsAreMeasuredPersistedWithTheirStampAndReloaded() {
        Path file = home.resolve("conv-autotune.properties");
        AutotuneStamp stamp = AutotuneStamp.current();
        ConvAutoTuner tuner = new ConvAutoTuner(new AutotuneStore(file, stamp), true);
        try (NDManager m = NDManager.newBaseManager()) {
            // a 1-D depthwise kernel half as long as the signal: FFT by orders of magnitude
            NDArray s = m.randomNormal(new Shape(1, 8, 2048));
            NDArray k = m.randomNormal(new Shape(8, 1, 1023));
            ConvGeometry longConv =
                    ConvGeometry.resolve(
                            1,
                            s,
                            k,
                            null,
                            ConvOptions.builder().groups(8).padding(Padding.same()).build());
            ConvDecision d = tuner.choose(longConv, s, k, null, false);
            assertEquals(ConvAlgorithm.FFT, d.algorithm(), d.toString());
            assertEquals(ConvDecision.Source.MEASURED, d.source(), "nothing validated yet");
            assertTrue(d.rounds() >= 3 && d.directMs() > d.fftMs(), d.toString());

            // the same key is answered from memory, and a fresh tuner reads it from disk
            assertEquals(d, tuner.choose(longConv, s, k, null, false));
            ConvAutoTuner fresh = new ConvAutoTuner(new AutotuneStore(file, stamp), true);
            if (d.persisted()) {
                ConvDecision cached = fresh.cached(longConv, false);
                assertNotNull(cached, "decision not found on disk");
                assertEquals(ConvAlgorithm.FFT, cached.algorithm());
                assertEquals(d.fftMs(), cached.fftMs(), 1e-4 * d.fftMs());
            }
            assertNull(fresh.cached(longConv, true), "training decisions are keyed apart");
            Map<String, String> stored = new AutotuneStore(file, stamp).load();
            // the decision is on disk when persisted; the cost model's calibration beside it only
            // when its timings were stable, which a shared test machine cannot promise
            String decisionKey = ConvAutoTuner.DECISION + ConvAutoTuner.key(longConv, false, true);
            assertEquals(
                    d.persisted(), stored.containsKey(decisionKey), stored.keySet().toString());
            for (String value : stored.values()) {
                assertTrue(stamp.matches(AutotuneStore.fields(value)), value);
            }
        }
    }

    @Test
    void autoConvolvesExactlyAsItsChoice() {
        ConvAutoTuner tuner =
                new ConvAutoTuner(
                        new AutotuneStore(home.resolve("a.properties"), AutotuneStamp.current()),
                        true);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(1, 4, 12, 12));
            NDArray w = m.randomNormal(new Shape(4, 1, 5, 5));
            ConvOptions o = ConvOptions.builder().groups(4).padding(2, 2).build();
            ConvGeometry g = ConvGeometry.resolve(2, x, w, null, o);
            KernelSpectrumCache cache = new KernelSpectrumCache();
            NDArray expected = DirectConvolution.convolve(g, x, w, null);
            for (int call = 0; call < 8; call++) {
                NDArray y = tuner.convolve(g, x, w, null, cache, false, null);
                assertArrayEquals(expected.toFloatArray(), y.toFloatArray(), 1e-4f);
            }
            assertNotNull(tuner.cached(g, false));
            cache.clear();
        }
    }

    @Test
    void calibratedRatesArePositiveAndRoundTripThroughTheStore() {
        try (NDManager m = NDManager.newBaseManager()) {
            Calibration c =
                    Calibration.run(m, DataType.FLOAT32, TimeSource.SYSTEM, LoadMeter.system());
            CostModel back = CostModel.decode(c.model.encode());
            assertNotNull(back);
            assertTrue(back.directDepthwiseMacsPerMs() > 0 && back.fftPointLogsPerMs() > 0);
            assertEquals(1.0, back.maxRateFactor(c.model), 1e-4);
            assertNull(CostModel.decode("garbage"));
            assertNull(ConvDecision.fromFields(AutotuneStore.fields("choice=FFT;source=x")));
        }
    }
}
