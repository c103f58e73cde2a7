package org.fourier4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.fourier4j.nn.ParameterNames;
import org.fourier4j.plan.InferencePlan;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every zoo name computes the same logits and pre-logits through its {@link InferencePlan} as
 * through the model, within float32 rounding ({@code 1e-5 * max(1, max|ref|)}: the plan folds batch
 * norms and scales into weights and sums in another order), on the small models of the
 * golden-logits test with the same non-trivial parameters (batch-norm statistics included); and
 * compiling leaves every parameter of the model as it was.
 */
class InferencePlanZooTest {

    static Stream<String> names() {
        return ModelZoo.names().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void planEqualsModel(String name) {
        int size = ModelZooTest.twoSizes(name)[0];
        try (NDManager m = NDManager.newBaseManager()) {
            ImageClassifier model = initialised(name, size, m);
            for (Map.Entry<String, Parameter> p : ParameterNames.of(model).entrySet()) {
                NDArray a = p.getValue().getArray();
                a.set(ZooGoldenLogitsTest.values(p.getKey(), a.getShape()));
            }
            Map<String, float[]> before = snapshot(model);
            NDArray x = input(m, size);
            ParameterStore ps = new ParameterStore(m, false);
            float[] ref = model.forward(ps, new NDList(x), false).singletonOrThrow().toFloatArray();
            NDArray features = model.forwardFeatures(ps, x, false);
            float[] refPre = model.forwardPreLogits(ps, features, false).toFloatArray();
            try (InferencePlan plan = InferencePlan.compile(model)) {
                assertClose(name + " logits", ref, plan.logits(x).toFloatArray());
                NDList both = plan.logitsAndPreLogits(x);
                assertClose(name + " logits with pre-logits", ref, both.get(0).toFloatArray());
                assertClose(name + " pre-logits", refPre, both.get(1).toFloatArray());
                assertEquals(new Shape(2, refPre.length / 2), both.get(1).getShape());
            }
            Map<String, float[]> after = snapshot(model);
            assertEquals(before.keySet(), after.keySet());
            before.forEach((k, v) -> assertArrayEquals(v, after.get(k), name + " changed " + k));
        }
    }

    /**
     * The blocks a plan may leave to the model: token mixers and embeddings that have no plan form.
     * Everything else, the families' own units included, must compile to steps (a whole block run
     * as the model runs it costs a scope, a view and DJL's forward per call).
     */
    private static final Set<String> MAY_RUN_UNCHANGED =
            Set.of(
                    "AdaptiveFrequencyFilter",
                    "DynamicFilter",
                    "FourierEncoderBlock",
                    "GlobalFilter",
                    "MultiHeadSelfAttention",
                    "PatchEmbedding",
                    "SgConvKernel",
                    "SpectrumMixer");

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void onlyMixersAndEmbeddingsRunUnchanged(String name) {
        try (NDManager m = NDManager.newBaseManager();
                InferencePlan plan =
                        InferencePlan.compile(
                                initialised(name, ModelZooTest.twoSizes(name)[0], m))) {
            for (String block : plan.census().unchangedBlocks().keySet()) {
                String simple = block.substring(block.lastIndexOf('.') + 1);
                assertTrue(
                        MAY_RUN_UNCHANGED.contains(simple),
                        name + ": " + block + " runs unchanged, " + plan.census());
            }
        }
    }

    /** The small test model of a zoo name, initialised for batches of 2. */
    private static ImageClassifier initialised(String name, int size, NDManager m) {
        ImageClassifier model = ZooGoldenLogitsTest.build(name, size);
        model.initialize(m, DataType.FLOAT32, new Shape(2, 3, size, size));
        return model;
    }

    private static void assertClose(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what + ": length");
        double max = 0;
        double diff = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs(expected[i]));
            diff = Math.max(diff, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(Double.isFinite(max), what + ": the reference is not finite");
        assertTrue(
                diff <= 1e-5 * Math.max(1, max),
                what + ": differs by " + diff + " (max |ref| " + max + ")");
    }

    private static Map<String, float[]> snapshot(ImageClassifier model) {
        Map<String, float[]> out = new LinkedHashMap<>();
        ParameterNames.of(model).forEach((k, p) -> out.put(k, p.getArray().toFloatArray()));
        return out;
    }

    private static NDArray input(NDManager m, int size) {
        Random r = new Random(7);
        float[] v = new float[2 * 3 * size * size];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return m.create(v, new Shape(2, 3, size, size));
    }
}
