package org.fourier4j.reparam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Batch norm folding against the unfolded forward in inference mode (running statistics): in
 * float64 the folded convolution equals conv + BN (or BN + conv) to max|diff| / max|ref| <= 1e-12.
 */
class BatchNormFoldingTest {

    private static final double TOLERANCE = 1e-12;

    private static double[] conv(NDArray x, ConvWeights w, ConvSpec s) {
        int p = s.kernel() / 2;
        return Conv2d.conv2d(
                        x,
                        w.weight(),
                        w.bias(),
                        new Shape(s.stride(), s.stride()),
                        new Shape(p, p),
                        new Shape(1, 1),
                        s.groups())
                .singletonOrThrow()
                .toDoubleArray();
    }

    @ParameterizedTest(name = "k={0} stride={1} groups={2}")
    @CsvSource({"1, 1, 1", "3, 2, 1", "5, 1, 6", "7, 2, 3"})
    void convThenBatchNormIsOneConvolution(int kernel, int stride, int groups) {
        try (NDManager m = NDManager.newBaseManager()) {
            Shape in = new Shape(2, 6, 11, 9);
            ConvBn unit =
                    Trained.initialize(
                            ConvBn.builder(12, kernel).optStride(stride).optGroups(groups).build(),
                            m,
                            DataType.FLOAT64,
                            in,
                            kernel);
            NDArray x = Trained.input(m, DataType.FLOAT64, in, 1);
            double[] ref = Trained.infer(unit, m, x);
            try (ConvWeights w = unit.equivalentConv()) {
                assertEquals(new Shape(12, 6 / groups, kernel, kernel), w.weight().getShape());
                double err = Trained.relativeError(conv(x, w, unit.spec()), ref);
                assertTrue(err <= TOLERANCE, "relative error " + err);
            }
        }
    }

    @Test
    void batchNormThenOneByOneConvIsOneConvolution() {
        try (NDManager m = NDManager.newBaseManager()) {
            Shape in = new Shape(2, 5, 6, 7);
            BnConv unit = Trained.initialize(new BnConv(8, "bn", "c"), m, DataType.FLOAT64, in, 3);
            NDArray x = Trained.input(m, DataType.FLOAT64, in, 2);
            double[] ref = Trained.infer(unit, m, x);
            try (ConvWeights w = unit.equivalentConv()) {
                double err = Trained.relativeError(conv(x, w, unit.spec()), ref);
                assertTrue(err <= TOLERANCE, "relative error " + err);
            }
        }
    }

    @Test
    void batchNormAloneIsAScaleAndAShift() {
        try (NDManager m = NDManager.newBaseManager()) {
            Shape in = new Shape(3, 4, 2, 2);
            BatchNorm bn =
                    Trained.initialize(BatchNormFolding.batchNorm(), m, DataType.FLOAT64, in, 4);
            NDArray x = Trained.input(m, DataType.FLOAT64, in, 5);
            try (BatchNormFolding.Affine a = BatchNormFolding.affine(bn, BatchNormFolding.BN_EPS)) {
                double[] affine =
                        x.mul(a.scale().reshape(1, -1, 1, 1))
                                .add(a.shift().reshape(1, -1, 1, 1))
                                .toDoubleArray();
                double err = Trained.relativeError(affine, Trained.infer(bn, m, x));
                assertTrue(err <= TOLERANCE, "relative error " + err);
                assertTrue(
                        a.scale().getManager()
                                == bn.getParameters().get("gamma").getArray().getManager());
            }
        }
    }

    @Test
    void foldingIsDetachedAndChecksChannels() {
        try (NDManager m = NDManager.newBaseManager()) {
            BatchNorm bn =
                    Trained.initialize(
                            BatchNormFolding.batchNorm(),
                            m,
                            DataType.FLOAT32,
                            new Shape(1, 4, 1, 1),
                            6);
            NDArray w = m.ones(new Shape(3, 2, 1, 1));
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> BatchNormFolding.afterConv(w, bn, BatchNormFolding.BN_EPS));
            assertTrue(e.getMessage().contains("over 4 channels"), e.getMessage());
            NDArray ok = m.ones(new Shape(4, 2, 1, 1));
            ok.setRequiresGradient(true);
            try (ConvWeights folded = BatchNormFolding.afterConv(ok, bn, BatchNormFolding.BN_EPS)) {
                assertArrayEquals(new long[] {4, 2, 1, 1}, folded.weight().getShape().getShape());
                assertTrue(!folded.weight().hasGradient(), "folded weights carry no gradient");
            }
            assertThrows(
                    IllegalStateException.class,
                    () ->
                            BatchNormFolding.afterConv(
                                    ok, BatchNormFolding.batchNorm(), BatchNormFolding.BN_EPS));
        }
    }
}
