package org.fourier4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The merged inference form of FfnifiedAttention equals the multi-branch training form in inference
 * mode: max|merged - branches| / max|branches| <= 1e-5 in float64 (measured below 1e-14) and 1e-4
 * in float32, with BatchNorm statistics, scales and shifts that are far from the identity.
 */
class FfnifiedAttentionTest {

    @ParameterizedTest(name = "{0} k1={1} k2={2}")
    @CsvSource({"float64,7,7", "float64,7,3", "float64,3,5", "float32,7,7"})
    void mergedFormEqualsTheBranches(String type, int k1, int k2) {
        DataType dt = type.equals("float64") ? DataType.FLOAT64 : DataType.FLOAT32;
        Shape shape = new Shape(2, 6, 9, 7);
        try (NDManager m = NDManager.newBaseManager()) {
            FfnifiedAttention block =
                    BlockTesting.initialize(
                            FfnifiedAttention.builder()
                                    .setChannels(6)
                                    .optKernelSizes(k1, k2)
                                    .build(),
                            m,
                            dt,
                            shape,
                            8);
            Random r = new Random(k1 * 10 + k2);
            int batchNorms = 0;
            for (Pair<String, Parameter> p : block.getParameters()) {
                NDArray a = p.getValue().getArray();
                double[] v = BlockTesting.gaussian(r, a.size());
                String id = p.getKey();
                for (int i = 0; i < v.length; i++) {
                    if (id.endsWith("runningVar")) {
                        v[i] = 0.5 + Math.abs(v[i]); // a variance
                    } else if (id.endsWith("_weight")) {
                        v[i] *= 0.3;
                    }
                }
                if (id.endsWith("runningMean")) {
                    batchNorms++;
                }
                set(a, v);
            }
            assertEquals(
                    k1 == 7 ? (k2 == 7 ? 5 : 3) : (k2 == 7 ? 3 : 1),
                    batchNorms,
                    "training-time BatchNorms");
            NDArray x = BlockTesting.input(m, 2, dt, shape.getShape());
            double[] branches = BlockTesting.doubles(BlockTesting.forward(block, m, x, false));

            FfnifiedAttention merged = block.reparameterize();
            assertTrue(merged.isReparameterized());
            assertFalse(block.isReparameterized());
            assertSame(merged, merged.reparameterize());
            for (Pair<String, Parameter> p : merged.getParameters()) {
                assertFalse(p.getKey().contains("running"), "merged form still has " + p.getKey());
            }
            assertEquals(
                    6, merged.getParameters().size(), "three convolutions with weight and bias");
            double[] single = BlockTesting.doubles(BlockTesting.forward(merged, m, x, false));
            double err = BlockTesting.relativeError(single, branches);
            assertTrue(
                    err <= (dt == DataType.FLOAT64 ? 1e-5 : 1e-4),
                    type + ": relative error " + err);
            assertTrue(BlockTesting.maxAbs(branches) > 0.1, "non-trivial output");
        }
    }

    private static void set(NDArray a, double[] v) {
        if (a.getDataType() == DataType.FLOAT64) {
            a.set(v);
        } else {
            float[] f = new float[v.length];
            for (int i = 0; i < v.length; i++) {
                f[i] = (float) v[i];
            }
            a.set(f);
        }
    }

    @org.junit.jupiter.api.Test
    void reparameterizeNeedsAnInitializedBlock() {
        assertThrows(
                IllegalStateException.class,
                () -> FfnifiedAttention.builder().setChannels(4).build().reparameterize());
        assertThrows(
                IllegalArgumentException.class,
                () -> FfnifiedAttention.builder().setChannels(4).optKernelSizes(4, 7).build());
    }
}
