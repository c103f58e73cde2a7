package org.fourier4j.models;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.fourier4j.nn.DropPath;
import org.fourier4j.nn.GarbageChurn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every model's gradients must not depend on when the garbage collector runs. On DJL's PyTorch
 * engine a Java number passed to mul/div/pow becomes a Java-backed scalar that DJL frees at once
 * while autograd keeps it (see {@link org.fourier4j.fft.EngineArrays}); a collection between
 * forward and backward then silently corrupts the gradient. Each model's input and parameter
 * gradients are computed quietly, then while {@link GarbageChurn} collects and reuses native
 * memory; they must agree.
 */
class ModelGarbageCollectionTest {

    /**
     * The zoo's names, skipping a name whose model is built only of block kinds that earlier names
     * already covered (sizes of one family differ in widths and depths, not in code): the churn
     * makes each model slow, and every kind of block is still checked.
     */
    static Stream<String> names() {
        Set<String> covered = new HashSet<>();
        List<String> chosen = new ArrayList<>();
        for (String name : ModelZoo.names()) {
            Set<String> kinds = new HashSet<>();
            collectBlockKinds(ModelZooTest.small(name, ModelZooTest.twoSizes(name)[0]), kinds);
            if (covered.addAll(kinds)) {
                chosen.add(name);
            }
        }
        return chosen.stream();
    }

    private static void collectBlockKinds(Block block, Set<String> kinds) {
        kinds.add(block.getClass().getName());
        for (Block child : block.getChildren().values()) {
            collectBlockKinds(child, kinds);
        }
    }

    private static List<float[]> gradients(
            ImageClassifier model, NDManager m, NDArray x, NDArray w) {
        List<NDArray> targets = new ArrayList<>();
        targets.add(x);
        for (Pair<String, Parameter> p : model.getParameters()) {
            if (p.getValue().requiresGradient()) {
                targets.add(p.getValue().getArray());
            }
        }
        List<float[]> before = new ArrayList<>();
        for (NDArray t : targets) {
            before.add(t.getGradient().toFloatArray());
        }
        try (NDManager step = m.newSubManager();
                GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray y =
                    model.forward(new ParameterStore(step, false), new NDList(x), false)
                            .singletonOrThrow();
            NDArray loss = y.mul(w).sum();
            loss.attach(step);
            gc.backward(loss);
        }
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            float[] g = targets.get(i).getGradient().toFloatArray();
            for (int j = 0; j < g.length; j++) {
                g[j] -= before.get(i)[j]; // gradients accumulate over calls: this call's increment
            }
            out.add(g);
        }
        return out;
    }

    private static double maxRelativeDifference(List<float[]> a, List<float[]> b) {
        double worst = 0;
        for (int i = 0; i < a.size(); i++) {
            double diff = 0;
            double ref = 0;
            for (int j = 0; j < a.get(i).length; j++) {
                diff = Math.max(diff, Math.abs(a.get(i)[j] - b.get(i)[j]));
                ref = Math.max(ref, Math.abs(a.get(i)[j]));
            }
            worst = Math.max(worst, ref == 0 ? diff : diff / ref);
        }
        return worst;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void gradientsDoNotDependOnGarbageCollection(String name) {
        int size = ModelZooTest.twoSizes(name)[0];
        ImageClassifier model = ModelZooTest.small(name, size);
        try (NDManager m = NDManager.newBaseManager()) {
            Shape in = new Shape(2, 3, size, size);
            model.initialize(m, DataType.FLOAT32, in);
            NDArray x = ModelZooTest.random(m, in, 3);
            x.setRequiresGradient(true);
            NDArray w = ModelZooTest.random(m, new Shape(2, 10), 4);
            List<float[]> quiet = gradients(model, m, x, w);
            try (GarbageChurn churn = new GarbageChurn()) {
                for (int run = 0; run < 2; run++) {
                    double d = maxRelativeDifference(quiet, gradients(model, m, x, w));
                    assertTrue(
                            d <= 1e-5,
                            name + ": gradients changed by " + d + " under garbage collection");
                }
            }
        }
    }

    @Test
    void dropPathTrainingGradientDoesNotDependOnGarbageCollection() {
        DropPath dropPath = new DropPath(0.5f);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.ones(new Shape(64, 3));
            x.setRequiresGradient(true);
            float[][] grads = new float[3][];
            for (int run = 0; run < 3; run++) {
                Engine.getInstance().setRandomSeed(9);
                try (GarbageChurn churn = run == 0 ? null : new GarbageChurn();
                        NDManager step = m.newSubManager();
                        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray y =
                            dropPath.forward(new ParameterStore(step, false), new NDList(x), true)
                                    .singletonOrThrow();
                    NDArray loss = y.sum();
                    loss.attach(step);
                    System.gc();
                    gc.backward(loss);
                }
                NDArray g = x.getGradient();
                grads[run] = g.toFloatArray();
                x.getGradient().subi(g); // reset the accumulated gradient
            }
            for (int run = 1; run < 3; run++) {
                for (int i = 0; i < grads[0].length; i++) {
                    assertTrue(
                            grads[run][i] == grads[0][i],
                            "DropPath gradient " + i + " changed under GC");
                }
            }
            for (float v : grads[0]) {
                assertTrue(
                        v == 0f || v == 2f,
                        "a kept sample's gradient is 1 / (1 - rate) = 2, got " + v);
            }
        }
    }
}
