package org.fourier4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A training loop with one sub-manager per step (forward, backward, close) must leave the
 * parameters' manager with the same number of arrays after every step: nothing a block computes
 * from its parameters may escape into the long-lived manager (results belong to the first operand's
 * manager; see {@link BatchScope}).
 */
class MixerMemoryTest {

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
    void parameterManagerDoesNotGrow(MixerCase c) {
        try (NDManager model = manager.newSubManager()) {
            Block block =
                    BlockTesting.initialize(c.factory.get(), model, DataType.FLOAT32, c.shape, 7);
            ParameterStore ps = new ParameterStore(model, false);
            // the second resolution exercises the resizing / other-length paths too
            Shape[] shapes = {c.shape, c.resolutions[1]};
            int baseline = -1;
            for (int step = 0; step < 8; step++) {
                try (NDManager scope = model.newSubManager()) {
                    NDArray x = scope.randomNormal(shapes[step % 2]);
                    x.setRequiresGradient(true); // parameter-free blocks need a leaf to backward to
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray y = block.forward(ps, new NDList(x), true).head();
                        gc.backward(y.square().mean());
                    }
                }
                int count = model.getManagedArrays().size();
                if (step == 1) {
                    baseline = count;
                } else if (step > 1) {
                    assertEquals(
                            baseline,
                            count,
                            c.name + ": arrays in the parameters' manager after step " + step);
                }
            }
        }
    }
}
