package org.fourier4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.fourier4j.models.ImageClassifier;
import org.fourier4j.models.ModelOptions;
import org.fourier4j.models.ModelZoo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * In inference a transformer block keeps only its output: a deeper model leaves exactly one more
 * array per extra block in the caller's manager, and the logits equal those of a forward pass that
 * records (where nothing is freed early).
 */
class InferenceScopeTest {

    @ParameterizedTest
    @ValueSource(strings = {"vit-tiny-p4", "fit-tiny", "fnet-tiny"})
    void blocksKeepOnlyTheirOutputs(String name) {
        assertEquals(6, arraysLeft(name, 8) - arraysLeft(name, 2), name + ": 6 more blocks");
    }

    /** Arrays a forward pass leaves in the input's manager. */
    private static int arraysLeft(String name, int layers) {
        ImageClassifier net = small(name, layers);
        try (NDManager m = NDManager.newBaseManager()) {
            net.initialize(m, DataType.FLOAT32, new Shape(2, 3, 32, 32));
            try (NDManager step = m.newSubManager()) {
                NDArray x = step.randomNormal(new Shape(2, 3, 32, 32));
                int before = step.getManagedArrays().size();
                net.forward(new ParameterStore(m, false), new NDList(x), false);
                return step.getManagedArrays().size() - before;
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"vit-tiny-p4", "fit-tiny"})
    void scopedLogitsEqualRecordedOnes(String name) {
        ImageClassifier net = small(name, 3);
        try (NDManager m = NDManager.newBaseManager()) {
            net.initialize(m, DataType.FLOAT32, new Shape(2, 3, 32, 32));
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = m.randomNormal(new Shape(2, 3, 32, 32));
            float[] scoped = net.forward(ps, new NDList(x), false).head().toFloatArray();
            float[] recorded;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                recorded = net.forward(ps, new NDList(x), false).head().toFloatArray();
            }
            for (int i = 0; i < scoped.length; i++) {
                assertEquals(recorded[i], scoped[i], 1e-5, name + " logit " + i);
            }
        }
    }

    private static ImageClassifier small(String name, int layers) {
        ModelOptions.Builder o = ModelOptions.builder().numClasses(10).imageSize(32);
        o.override("num_layers", layers).override("embed_dim", 32);
        if (name.startsWith("vit")) {
            o.override("num_heads", 2);
        } else {
            o.override("dim_feedforward", 64);
        }
        return ModelZoo.create(name, o.build());
    }
}
