package org.fourier4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;
import org.fourier4j.nn.ParameterNames;
import org.junit.jupiter.api.Test;

/**
 * The patch families (ViT, FiT, FNet, GFNet, GFNet-H) on the skeleton: their override keys, the
 * errors for bad values, and the fourier4j names of what each model is made of.
 */
class PatchFamiliesTest {

    private static IllegalArgumentException refused(String model, String key, Object value) {
        return assertThrows(
                IllegalArgumentException.class,
                () ->
                        ModelZoo.create(
                                model,
                                ModelOptions.builder().imageSize(64).override(key, value).build()));
    }

    @Test
    void badValuesAreRefusedNamingTheKey() {
        assertEquals(
                "model gfnet-ti: dims must have 1 entry, got [96, 192]",
                refused("gfnet-ti", "dims", "96,192").getMessage());
        assertEquals(
                "model gfnet-h-s: depths must have 4 entries, got [1, 1, 2]",
                refused("gfnet-h-s", "depths", "1,1,2").getMessage());
        assertEquals(
                "model gfnet-h-b: layer_scale must be >= 0, got -1.0",
                refused("gfnet-h-b", "layer_scale", -1).getMessage());
        assertEquals(
                "model fit-tiny: fourier_norm must be backward or ortho, got forward",
                refused("fit-tiny", "fourier_norm", "forward").getMessage());
        assertEquals(
                "model fnet-base: dropout_rate must be in [0, 1), got 1.0",
                refused("fnet-base", "dropout_rate", 1).getMessage());
        assertEquals(
                "model vit-small: num_heads=5 must divide embed_dim=384",
                refused("vit-small", "num_heads", 5).getMessage());
        assertTrue(
                refused("vit-tiny", "patch_size", 0).getMessage().contains("patch_size"),
                "patch_size named");
        // GFNet-H's stem is fixed: patch_size is not one of its keys
        assertTrue(
                refused("gfnet-h-ti", "patch_size", 8)
                        .getMessage()
                        .contains("unknown override 'patch_size'"));
    }

    @Test
    void familiesKeepTheirNamesAndKeys() {
        Map<String, List<String>> keys =
                Map.of(
                        "vit-base-p4",
                        List.of("embed_dim", "num_layers", "num_heads", "patch_size"),
                        "fit",
                        List.of(
                                "embed_dim",
                                "dim_feedforward",
                                "num_layers",
                                "patch_size",
                                "dropout_rate",
                                "head_tanh",
                                "fourier_norm"),
                        "gfnet-b",
                        List.of("dims", "depths", "patch_size", "layer_scale", "mlp_ratio"),
                        "gfnet-h-ti",
                        List.of("dims", "depths", "layer_scale", "mlp_ratio"));
        keys.forEach(
                (name, expected) ->
                        assertEquals(
                                java.util.Set.copyOf(expected),
                                java.util.Set.copyOf(ModelZoo.info(name).overrideKeys()),
                                name));
        assertEquals("FNet", ModelZoo.info("fnet-tiny").family());
        assertEquals("FiT", ModelZoo.family("fit-small").name());
        assertEquals("GFNet-H", ModelZoo.info("gfnet-h-s").family());
        assertTrue(ModelZoo.family("fnet-base").nameMaps().isEmpty(), "FNet has no official code");
    }

    @Test
    void gfNetHIsNamedAsTheOfficialCodeBehindTheSkeleton() {
        ModelOptions o =
                ModelOptions.builder()
                        .numClasses(3)
                        .imageSize(32)
                        .override("dims", "4,8,8,8")
                        .override("depths", "1,1,1,1")
                        .build();
        try (NDManager m = NDManager.newBaseManager()) {
            ImageClassifier model = ModelZoo.create("gfnet-h-ti", o);
            model.initialize(m, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            NameMap official = ModelZoo.family("gfnet-h-ti").nameMaps().get("official");
            Map<String, Shape> shapes = new java.util.LinkedHashMap<>();
            ParameterNames.of(model)
                    .forEach(
                            (n, p) ->
                                    shapes.put(official.fromFourier4j(n), p.getArray().getShape()));
            assertEquals(new Shape(1, 64, 4), shapes.get("pos_embed"));
            assertEquals(new Shape(8, 4, 2, 2), shapes.get("patch_embed.1.proj.weight"));
            assertEquals(new Shape(8, 5, 4, 2), shapes.get("blocks.0.0.filter.complex_weight"));
            assertEquals(new Shape(8), shapes.get("blocks.3.0.gamma"));
            assertEquals(new Shape(3, 8), shapes.get("head.weight"));
        }
    }
}
