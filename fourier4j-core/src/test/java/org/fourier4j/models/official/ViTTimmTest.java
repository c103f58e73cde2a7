package org.fourier4j.models.official;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Map;
import org.fourier4j.models.MetaFormer;
import org.fourier4j.models.ModelOptions;
import org.fourier4j.models.ModelZoo;
import org.fourier4j.models.NameMap;
import org.junit.jupiter.api.Test;

/**
 * The ViT equals a PyTorch ViT that follows timm's {@code VisionTransformer} forward, loaded
 * through the {@code timm} name map: the test resource {@code vit-timm-tiny} was made by {@code
 * src/test/python/make_vit_timm_fixture.py} (D 32, 2 blocks, 4 heads, patch 8, 32x32, 10 classes).
 */
class ViTTimmTest {

    private static final String CASE = "vit-timm-tiny";

    /** The reference's configuration. */
    private static final ModelOptions OPTIONS =
            ModelOptions.builder()
                    .numClasses(10)
                    .imageSize(32)
                    .override("embed_dim", 32)
                    .override("num_layers", 2)
                    .override("num_heads", 4)
                    .override("patch_size", 8)
                    .build();

    private static MetaFormer model(NDManager m) {
        MetaFormer model = (MetaFormer) ModelZoo.create("vit-tiny", OPTIONS);
        model.initialize(m, DataType.FLOAT32, new Shape(2, 3, 32, 32));
        return model;
    }

    private static NameMap timm() {
        return ModelZoo.family("vit-tiny").nameMaps().get("timm");
    }

    @Test
    void logitsFeaturesAndBlocksEqualTheReference() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            OfficialFixture f = OfficialFixture.resource(CASE, m);
            MetaFormer model = model(m);
            f.loadInto(model, timm());
            NDArray block =
                    PatchFixtures.stemAndFirstBlock(
                            model, f.io.get("input"), new ParameterStore(m, false))[1];
            OfficialFixture.assertClose("out.blocks.0", f.io.get("out.blocks.0"), block);
            f.assertSameOutputs(model, Map.of("out.pos_drop", 0, "out.blocks.1", 1), x -> x, m);
        }
    }

    @Test
    void theWeightsDecideTheConfigurationButTheHeads() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            OfficialFixture f = OfficialFixture.resource(CASE, m);
            assertEquals(
                    Map.of(
                            "embed_dim", 32,
                            "patch_size", 8,
                            "num_layers", 2,
                            "num_classes", 10,
                            "image_size", 32),
                    PatchFixtures.inferred("vit-tiny", OPTIONS, f, "timm"));
        }
    }

    @Test
    void timmNamesRoundTrip() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            PatchFixtures.assertRoundTrip(
                    timm(), new ArrayList<>(OfficialFixture.resource(CASE, m).weights.keySet()));
        }
    }
}
