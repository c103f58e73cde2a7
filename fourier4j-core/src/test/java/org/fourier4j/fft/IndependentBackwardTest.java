package org.fourier4j.fft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/** AUTO's training-step timing: a backward of its own inside the caller's open collector. */
class IndependentBackwardTest {

    @Test
    void backwardOfAnIndependentGraphInsideAnOpenCollector() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray user = m.randomNormal(new Shape(5), DataType.FLOAT64);
            user.setRequiresGradient(true);
            NDArray own = m.randomNormal(new Shape(4), DataType.FLOAT64);
            own.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                assertTrue(IndependentBackward.available(own));
                NDArray userLoss = user.mul(3).sum();
                IndependentBackward.backward(own.square().sum());
                assertArrayEquals(
                        own.mul(2).toDoubleArray(), own.getGradient().toDoubleArray(), 1e-12);
                gc.backward(userLoss);
            }
            // the caller's graph got exactly its own gradient
            assertArrayEquals(
                    new double[] {3, 3, 3, 3, 3}, user.getGradient().toDoubleArray(), 1e-12);
        }
    }

    @Test
    void trainingMeasurementLeavesTheCallersGradientsAlone() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(1, 8, 20, 20));
            NDArray w = m.randomNormal(new Shape(8, 1, 7, 7));
            x.setRequiresGradient(true);
            w.setRequiresGradient(true);
            ConvGeometry g =
                    ConvGeometry.resolve(
                            2, x, w, null, ConvOptions.builder().groups(8).padding(3, 3).build());
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                try (ConvTrial trial =
                        new ConvTrial(
                                new ConvCall(g, x, w, null, true, false, null), System::nanoTime)) {
                    FloorTiming.Result r =
                            trial.time(new FloorTiming.Limits(1, 2, 2, 0, 0, 0), null);
                    assertTrue(r.floor(0) > 0 && r.floor(1) > 0, r.toString());
                    assertTrue(trial.referenceMs(ConvAlgorithm.FFT, r.floor(1)) > 0);
                }
                assertEquals(0, w.getGradient().abs().sum().getFloat(), "measuring reached w");
                assertEquals(0, x.getGradient().abs().sum().getFloat(), "measuring reached x");
                gc.backward(DirectConvolution.convolve(g, x, w, null).sum());
            }
            assertTrue(w.getGradient().abs().sum().getFloat() > 0, "the caller's backward works");
        }
    }
}
