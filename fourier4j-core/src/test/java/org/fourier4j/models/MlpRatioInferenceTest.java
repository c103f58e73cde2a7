package org.fourier4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fourier4j.nn.ParameterNames;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * GFNet's {@code mlp_ratio} and RepLKNet's {@code ffn_ratio} (4 in every released model; the
 * official constructors take any) build the hidden width they say and are read back off the
 * weights, so that {@code import --adopt-config} takes weights saved with another ratio.
 */
class MlpRatioInferenceTest {

    @ParameterizedTest(name = "{0} {1}={2}")
    @CsvSource({
        "gfnet-ti, mlp_ratio, 2, 'dims=16;depths=2', 32, stages.0.blocks.0.mlp.fc1.weight, 16",
        "gfnet-h-ti, mlp_ratio, 3, 'dims=8,16,16,24;depths=1,1,1,1', 64,"
                + " stages.0.blocks.0.mlp.fc1.weight, 8",
        "replknet-31b, ffn_ratio, 2, 'channels=8,16,16,24;layers=1,1,1,1;large_kernels=5,5,5,3;"
                + "small_kernel=3', 64, stages.0.blocks.1.pw1.conv.weight, 8"
    })
    void theRatioBuildsItsWidthAndIsReadBack(
            String name, String key, int ratio, String overrides, int size, String fc1, int dim) {
        ModelOptions.Builder o =
                ModelOptions.builder().numClasses(5).imageSize(size).override(key, ratio);
        for (String kv : overrides.split(";")) {
            String[] p = kv.split("=");
            o.override(p[0], p[1]);
        }
        ImageClassifier model = ModelZoo.create(name, o.build());
        Map<String, Shape> shapes = new LinkedHashMap<>();
        try (NDManager m = NDManager.newBaseManager()) {
            model.initialize(m, DataType.FLOAT32, new Shape(1, 3, size, size));
            ParameterNames.of(model).forEach((n, p) -> shapes.put(n, p.getArray().getShape()));
        }
        assertEquals(ratio * dim, shapes.get(fc1).get(0), fc1 + " in " + shapes.keySet());
        assertEquals(ratio, ModelZoo.family(name).inferFromWeights(shapes).get(key));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"gfnet-ti, mlp_ratio", "gfnet-h-ti, mlp_ratio", "replknet-31b, ffn_ratio"})
    void aRatioBelowOneIsRefusedByName(String name, String key) {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                ModelZoo.create(
                                        name, ModelOptions.builder().override(key, 0).build()));
        assertTrue(e.getMessage().contains(key), e.getMessage());
    }
}
