package org.fourier4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every block, initialised at one size, runs at three other resolutions (odd and non-square
 * included) in float32: output shape = input shape = {@code getOutputShapes}, dtype kept, values
 * finite, and in training mode as well as inference mode; in training mode a backward pass of
 * {@code sum(y)} (a broadcast gradient, which the engine's inverse FFT cannot take directly)
 * completes and reaches the input.
 */
class MixerShapeTest {

    private static NDManager manager;

    @BeforeAll
    static void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    static List<MixerCase> cases() {
        return MixerCase.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void runsAtThreeResolutions(MixerCase c) {
        try (NDManager m = manager.newSubManager()) {
            Block block = BlockTesting.initialize(c.factory.get(), m, DataType.FLOAT32, c.shape, 3);
            assertEquals(c.shape, block.getOutputShapes(new Shape[] {c.shape})[0]);
            for (Shape s : c.resolutions) {
                for (boolean training : new boolean[] {false, true}) {
                    try (NDManager step = m.newSubManager()) {
                        NDArray x = BlockTesting.input(step, 11, DataType.FLOAT32, s.getShape());
                        if (training) {
                            x.setRequiresGradient(true);
                            try (GradientCollector gc =
                                    Engine.getInstance().newGradientCollector()) {
                                gc.backward(BlockTesting.forward(block, m, x, true).sum());
                            }
                            assertTrue(
                                    BlockTesting.maxAbs(BlockTesting.doubles(x.getGradient())) > 0,
                                    c.name + " input gradient");
                        }
                        NDArray y = BlockTesting.forward(block, m, x, training);
                        assertEquals(s, y.getShape(), c.name + " at " + s);
                        assertArrayEquals(
                                new Shape[] {s}, block.getOutputShapes(new Shape[] {s}), c.name);
                        assertEquals(DataType.FLOAT32, y.getDataType(), c.name);
                        for (float v : y.toFloatArray()) {
                            assertTrue(Float.isFinite(v), c.name + " at " + s + " gave " + v);
                        }
                    }
                }
            }
        }
    }
}
