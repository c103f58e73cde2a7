package org.fourier4j.models.official;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.fourier4j.models.MetaFormer;
import org.fourier4j.models.ModelOptions;
import org.fourier4j.models.ModelZoo;
import org.fourier4j.models.NameMap;
import org.junit.jupiter.api.Test;

/** GFNet and GFNet-H equal the official raoyongming/GFNet code on its weights and input. */
class GfNetOfficialTest {

    private static final Map<String, Object> ISOTROPIC =
            Map.of("dims", "96", "depths", "4", "patch_size", 8);
    private static final Map<String, Object> HIERARCHICAL =
            Map.of("dims", "24,48,96,192", "depths", "1,1,2,1");

    /** The official GFNet-H stage outputs and their index in the model's intermediates. */
    private static final Map<String, Integer> HIERARCHICAL_STAGES =
            Map.of("out.blocks.0", 1, "out.blocks.1", 2, "out.blocks.2", 3, "out.blocks.3", 4);

    /** The fixtures' configurations: 64x64 images, 10 classes. */
    private static ModelOptions options(Map<String, Object> overrides) {
        ModelOptions.Builder o = ModelOptions.builder().numClasses(10).imageSize(64);
        overrides.forEach(o::override);
        return o.build();
    }

    private static MetaFormer model(String name, NDManager m, Map<String, Object> overrides) {
        MetaFormer model = (MetaFormer) ModelZoo.create(name, options(overrides));
        model.initialize(m, DataType.FLOAT32, new Shape(2, 3, 64, 64));
        return model;
    }

    /** The stem adds the position embedding, which the official code adds after patch_embed. */
    private static void assertStem(OfficialFixture f, String module, NDArray stem) {
        NDArray ref = f.io.get(module).add(f.weights.get("pos_embed"));
        OfficialFixture.assertClose(module + " + pos_embed", ref, PatchFixtures.tokens(stem));
    }

    @Test
    void isotropicEqualsTheOfficialCode() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            OfficialFixture f = OfficialFixture.load("gfnet-small", m);
            MetaFormer model = model("gfnet-ti", m, ISOTROPIC);
            f.loadInto(model, ModelZoo.family("gfnet-ti").nameMaps().get("official"));
            NDArray[] first =
                    PatchFixtures.stemAndFirstBlock(
                            model, f.io.get("input"), new ParameterStore(m, false));
            assertStem(f, "out.patch_embed", first[0]);
            OfficialFixture.assertClose(
                    "out.blocks.0", f.io.get("out.blocks.0"), PatchFixtures.tokens(first[1]));
            f.assertSameOutputs(model, Map.of("out.blocks.3", 1), PatchFixtures::tokens, m);
        }
    }

    @Test
    void hierarchicalEqualsTheOfficialCode() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            OfficialFixture f = OfficialFixture.load("gfnet-h-small", m);
            MetaFormer model = model("gfnet-h-ti", m, HIERARCHICAL);
            f.loadInto(model, ModelZoo.family("gfnet-h-ti").nameMaps().get("official"));
            NDArray stem =
                    PatchFixtures.stemAndFirstBlock(
                            model, f.io.get("input"), new ParameterStore(m, false))[0];
            assertStem(f, "out.patch_embed.0", stem);
            f.assertSameOutputs(model, HIERARCHICAL_STAGES, PatchFixtures::tokens, m);
        }
    }

    /**
     * At 80 x 80 the official code floors the stage grids (20, 10, 5, 2: the stride-2 conv drops
     * the fifth row and column) and sizes each stage's filter as {@code sizes[i] * img_size //
     * 224}. The fixture kept with the tests: depths 1/2/1/1, dims 16/24/32/40, 7 classes,
     * randomised as the official fixtures' MANIFEST says, one input.
     */
    @Test
    void hierarchicalAtASizeThatIsNotAMultipleOf32EqualsTheOfficialCode() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            OfficialFixture f = OfficialFixture.resource("gfnet-h-odd-grid", m);
            MetaFormer model =
                    (MetaFormer)
                            ModelZoo.create(
                                    "gfnet-h-ti",
                                    ModelOptions.builder()
                                            .numClasses(7)
                                            .imageSize(80)
                                            .override("dims", "16,24,32,40")
                                            .override("depths", "1,2,1,1")
                                            .build());
            model.initialize(m, DataType.FLOAT32, new Shape(1, 3, 80, 80));
            f.loadInto(model, ModelZoo.family("gfnet-h-ti").nameMaps().get("official"));
            f.assertSameOutputs(model, HIERARCHICAL_STAGES, PatchFixtures::tokens, m);
        }
    }

    @Test
    void theWeightsDecideTheConfiguration() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            assertEquals(
                    Map.of(
                            "dims",
                            List.of(96),
                            "depths",
                            List.of(4),
                            "patch_size",
                            8,
                            "layer_scale",
                            0f,
                            "mlp_ratio",
                            4,
                            "num_classes",
                            10,
                            "image_size",
                            64),
                    PatchFixtures.inferred(
                            "gfnet-ti",
                            options(ISOTROPIC),
                            OfficialFixture.load("gfnet-small", m),
                            "official"));
            assertEquals(
                    Map.of(
                            "dims",
                            List.of(24, 48, 96, 192),
                            "depths",
                            List.of(1, 1, 2, 1),
                            "mlp_ratio",
                            4,
                            "num_classes",
                            10,
                            "image_size",
                            64),
                    PatchFixtures.inferred(
                            "gfnet-h-ti",
                            options(HIERARCHICAL),
                            OfficialFixture.load("gfnet-h-small", m),
                            "official"));
        }
    }

    @Test
    void officialNamesRoundTrip() throws IOException {
        NameMap iso = ModelZoo.family("gfnet-ti").nameMaps().get("official");
        PatchFixtures.assertRoundTrip(iso, PatchFixtures.officialKeys("gfnet"));
        NameMap h = ModelZoo.family("gfnet-h-ti").nameMaps().get("official");
        PatchFixtures.assertRoundTrip(h, PatchFixtures.officialKeys("gfnet-h"));
    }
}
