package org.fourier4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every mixer and long-convolution kernel in float64: autograd against central finite differences
 * (step 1e-6, along a random direction) for the input and for each trainable parameter, relative
 * error <= 1e-5 (see {@link BlockTesting#checkGradients}); and no trainable parameter may end a
 * backward pass with an all-zero gradient.
 */
class MixerGradientTest {

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
    void autogradMatchesFiniteDifferencesForInputAndEveryParameter(MixerCase c) {
        try (NDManager m = manager.newSubManager()) {
            Block block =
                    BlockTesting.initialize(c.factory.get(), m, DataType.FLOAT64, c.shape, 17);
            NDArray x = BlockTesting.input(m, 5, DataType.FLOAT64, c.shape.getShape());
            BlockTesting.checkGradients(c.name, block, m, x, c.training, 1e-5);
        }
    }
}
