package org.fourier4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fourier4j.inference.ModelCard;
import org.fourier4j.inference.ModelDirectory;
import org.fourier4j.inference.Preprocessing;
import org.fourier4j.models.ImageClassifier;
import org.fourier4j.models.ModelOptions;
import org.fourier4j.models.ModelZoo;
import org.fourier4j.nn.ParameterNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train --init-from}: strict loading by fourier4j name, a fresh head for new classes. */
class InitialWeightsTest {

    @TempDir Path tmp;

    private static ModelOptions options(int classes, String dims) {
        return ModelOptions.builder()
                .numClasses(classes)
                .imageSize(32)
                .override("depths", "1,1,1,1")
                .override("dims", dims)
                .build();
    }

    private static ImageClassifier model(NDManager m, ModelOptions o, int seed) {
        ImageClassifier model = ModelZoo.create("convnext-t", o);
        Engine.getInstance().setRandomSeed(seed);
        model.initialize(m, DataType.FLOAT32, new Shape(1, 3, 32, 32));
        return model;
    }

    private static Map<String, float[]> values(ImageClassifier model) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : ParameterNames.of(model).entrySet()) {
            out.put(e.getKey(), e.getValue().getArray().toFloatArray());
        }
        return out;
    }

    private Path source(NDManager m) {
        Path dir = tmp.resolve("source");
        ModelOptions o = options(10, "8,16,24,32");
        ModelCard card =
                ModelCard.of(
                        "convnext-t",
                        o,
                        ModelCard.TRAINING,
                        Preprocessing.trained(32, new double[] {0, 0, 0}, new double[] {1, 1, 1}),
                        null,
                        Map.of());
        ModelDirectory.write(dir, card, model(m, o, 1));
        return dir;
    }

    @Test
    void sameClassesLoadEveryParameter() {
        try (NDManager m = NDManager.newBaseManager()) {
            Path dir = source(m);
            Map<String, float[]> want = values(model(m, options(10, "8,16,24,32"), 1));
            ImageClassifier target = model(m, options(10, "8,16,24,32"), 2);
            InitialWeights.Result r = InitialWeights.load(dir, target, 10);
            assertEquals(want.size(), r.loaded());
            assertEquals(List.of(), r.freshHead());
            Map<String, float[]> got = values(target);
            for (String k : want.keySet()) {
                assertArrayEquals(want.get(k), got.get(k), k);
            }
        }
    }

    @Test
    void otherClassesGetAFreshClassifier() {
        try (NDManager m = NDManager.newBaseManager()) {
            Path dir = source(m);
            Map<String, float[]> want = values(model(m, options(10, "8,16,24,32"), 1));
            ImageClassifier target = model(m, options(4, "8,16,24,32"), 2);
            Map<String, float[]> before = values(target);
            InitialWeights.Result r = InitialWeights.load(dir, target, 4);
            assertEquals(List.of("head.fc.weight", "head.fc.bias"), r.freshHead());
            assertTrue(r.describe().contains("a fresh classifier"), r.describe());
            Map<String, float[]> got = values(target);
            for (String k : got.keySet()) {
                float[] expected = r.freshHead().contains(k) ? before.get(k) : want.get(k);
                assertArrayEquals(expected, got.get(k), k);
            }
        }
    }

    @Test
    void anotherArchitectureIsRefusedAndNothingIsCopied() {
        try (NDManager m = NDManager.newBaseManager()) {
            Path dir = source(m);
            ImageClassifier target = model(m, options(10, "8,16,24,40"), 2);
            Map<String, float[]> before = values(target);
            ConfigException e =
                    assertThrows(ConfigException.class, () -> InitialWeights.load(dir, target, 10));
            assertTrue(
                    e.getMessage()
                            .startsWith(
                                    "--init-from "
                                            + dir
                                            + ": the weights of convnext-t do not fit this"
                                            + " model: "),
                    e.getMessage());
            assertTrue(e.getMessage().contains(" vs model "), e.getMessage());
            Map<String, float[]> after = values(target);
            for (String k : before.keySet()) {
                assertArrayEquals(before.get(k), after.get(k), k);
            }
            assertFalse(before.isEmpty());
        }
    }
}
