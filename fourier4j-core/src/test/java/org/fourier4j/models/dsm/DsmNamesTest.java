package org.fourier4j.models.dsm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fourier4j.models.ImageClassifier;
import org.fourier4j.models.ModelOptions;
import org.fourier4j.models.ModelZoo;
import org.fourier4j.nn.ParameterNames;
import org.junit.jupiter.api.Test;

/** DSM has only fourier4j's names; the shapes of its weights tell its configuration. */
class DsmNamesTest {

    private static Map<String, Shape> shapes(ModelOptions.Builder options, int size) {
        ImageClassifier model = ModelZoo.create("dsm-t", options.imageSize(size).build());
        Map<String, Shape> out = new LinkedHashMap<>();
        try (NDManager m = NDManager.newBaseManager()) {
            model.initialize(m, DataType.FLOAT32, new Shape(1, 3, size, size));
            ParameterNames.of(model).forEach((n, p) -> out.put(n, p.getArray().getShape()));
        }
        return out;
    }

    private static ModelOptions.Builder small() {
        return ModelOptions.builder()
                .numClasses(7)
                .override("depths", "1,2,1,1")
                .override("dims", "8,16,16,24")
                .override("mlp_ratio", 3)
                .override("bands", 3)
                .override("reduction", 2);
    }

    @Test
    void namesAreFourier4jsOwnAndDocumented() {
        Map<String, Shape> s = shapes(small().override("stem_stride", 1), 16);
        for (String name :
                new String[] {
                    "stem.weight",
                    "stages.1.downsample.weight",
                    "stages.1.blocks.1.norm1.weight",
                    "stages.0.blocks.0.token_mixer.weight_generator.band_bias",
                    "stages.0.blocks.0.token_mixer.weight_generator.fc1.weight",
                    "stages.0.blocks.0.ls1.gamma",
                    "stages.3.blocks.0.fc2.bias",
                    "stages.3.blocks.0.ls2.gamma",
                    "head.norm.weight",
                    "head.fc.weight"
                }) {
            assertTrue(s.containsKey(name), name + " not in " + s.keySet());
        }
        assertTrue(ModelZoo.family("dsm-t").nameMaps().isEmpty());
    }

    @Test
    void theShapesDecideTheConfiguration() {
        Map<String, Object> inferred =
                ModelZoo.family("dsm-t")
                        .inferFromWeights(shapes(small().override("stem_stride", 1), 16));
        assertEquals(7, inferred.get("num_classes"));
        assertArrayEquals(new int[] {1, 2, 1, 1}, (int[]) inferred.get("depths"));
        assertArrayEquals(new int[] {8, 16, 16, 24}, (int[]) inferred.get("dims"));
        assertEquals(3, inferred.get("mlp_ratio"));
        assertEquals(3, inferred.get("bands"));
        assertEquals(2, inferred.get("reduction"));
        assertFalse(inferred.containsKey("stem_stride"), "a 3x3 stem has stride 1 or 2");
        assertFalse(inferred.containsKey("layer_scale"), "its value is not in the shapes");

        Map<String, Object> plain =
                ModelZoo.family("dsm-t")
                        .inferFromWeights(shapes(small().override("layer_scale", 0), 64));
        assertEquals(4, plain.get("stem_stride"));
        assertEquals(0f, plain.get("layer_scale"));
    }

    @Test
    void smallestSizesFollowTheStemAndTheBands() {
        assertEquals(99, Dsm.minImageSize(Dsm.TINY));
        DsmConfig cifar =
                new DsmConfig(new int[] {1, 1, 1, 1}, new int[] {8, 8, 8, 8}, 4, 8, 4, 1, 0f);
        assertEquals(25, Dsm.minImageSize(cifar));
        assertEquals(4, Dsm.minGrid(8));
    }
}
