package org.fourier4j.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Forward, backward and gradients must not depend on when the garbage collector runs. Every block's
 * float64 gradients (input and parameters) are computed once quietly, then repeatedly while {@link
 * GarbageChurn} collects and reuses native memory; all must agree to 1e-12. Before constants were
 * made engine-owned ({@code EngineArrays}), the AFF mixer's input gradient came out 2% wrong in
 * most churned runs (the twiddle and scalar operands autograd kept had been freed).
 */
class MixerGarbageCollectionTest {

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

    private static List<double[]> gradients(
            Block block, NDManager m, boolean training, NDArray weights) {
        NDArray x = BlockTesting.input(m, 5, DataType.FLOAT64, weights.getShape().getShape());
        x.setRequiresGradient(true);
        List<NDArray> targets = new ArrayList<>();
        targets.add(x);
        for (Pair<String, NDArray> p : BlockTesting.trainable(block)) {
            targets.add(p.getValue());
        }
        List<double[]> before = new ArrayList<>();
        for (NDArray t : targets) {
            before.add(t == x ? new double[(int) x.size()] : BlockTesting.doubles(t.getGradient()));
        }
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray y = block.forward(new ParameterStore(m, false), new NDList(x), training).head();
            gc.backward(y.mul(weights).sum());
        }
        // parameter gradients accumulate over calls: report this call's increment
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            double[] g = BlockTesting.doubles(targets.get(i).getGradient());
            for (int j = 0; j < g.length; j++) {
                g[j] -= before.get(i)[j];
            }
            out.add(g);
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientsDoNotDependOnGarbageCollection(MixerCase c) {
        try (NDManager m = manager.newSubManager()) {
            Block block =
                    BlockTesting.initialize(c.factory.get(), m, DataType.FLOAT64, c.shape, 17);
            // train=false for blocks with BatchNorm: batch statistics are fine, but running stats
            // change
            boolean training = false;
            NDArray probe =
                    BlockTesting.forward(
                            block,
                            m,
                            BlockTesting.input(m, 5, DataType.FLOAT64, c.shape.getShape()),
                            training);
            NDArray weights =
                    BlockTesting.input(m, 6, DataType.FLOAT64, probe.getShape().getShape());
            List<double[]> quiet = gradients(block, m, training, weights);
            try (GarbageChurn churn = new GarbageChurn()) {
                for (int run = 0; run < 4; run++) {
                    List<double[]> churned = gradients(block, m, training, weights);
                    for (int i = 0; i < quiet.size(); i++) {
                        double err = BlockTesting.relativeError(churned.get(i), quiet.get(i));
                        assertTrue(
                                err <= 1e-12,
                                c.name
                                        + ": gradient "
                                        + i
                                        + " changed under garbage collection by "
                                        + err);
                    }
                }
            }
        }
    }
}
