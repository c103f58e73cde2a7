package org.fourier4j.models.official;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.util.Map;
import org.fourier4j.models.ImageClassifier;
import org.fourier4j.models.MetaFormer;
import org.fourier4j.models.ModelFamily;
import org.fourier4j.models.ModelOptions;
import org.fourier4j.models.ModelZoo;
import org.fourier4j.models.NameMap;
import org.junit.jupiter.api.Test;

/**
 * CAS-ViT equals the official Tianfang-Zhang/CAS-ViT code ({@code rcvit.py}, built with its default
 * {@code distillation=True}) on its weights and input: the eval logits are the mean of {@code head}
 * and {@code dist_head}.
 */
class CasVitOfficialTest {

    private static final ModelFamily FAMILY = ModelZoo.family("casvit-xs");
    private static final NameMap OFFICIAL = FAMILY.nameMaps().get("official");

    @Test
    void logitsFeaturesAndStagesEqualTheOfficialCode() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            OfficialFixture f = OfficialFixture.load("casvit-small", m);
            ImageClassifier model =
                    ModelZoo.create(
                            "casvit-xs",
                            ModelOptions.builder()
                                    .numClasses(10)
                                    .imageSize(64)
                                    .override("depths", "2,1,1,1")
                                    .override("dims", "48,56,112,220")
                                    .override("distillation", true)
                                    .build());
            model.initialize(m, DataType.FLOAT32, new Shape(2, 3, 64, 64));
            f.loadInto(model, OFFICIAL);
            f.assertSameOutputs(
                    (MetaFormer) model,
                    Map.of(
                            "out.patch_embed", 0,
                            "out.network.0", 1,
                            "out.network.2", 2,
                            "out.network.4", 3,
                            "out.network.6", 4),
                    x -> x,
                    m);
        }
    }

    @Test
    void everyOfficialKeyRoundTrips() throws IOException {
        OfficialKeyList.assertRoundTrips(OFFICIAL, OfficialKeyList.read("casvit").keySet());
    }

    @Test
    void theShapesDecideDepthsWidthsRatioHeadsAndClasses() throws IOException {
        Map<String, Object> inferred =
                FAMILY.inferFromWeights(
                        OfficialKeyList.asFourier4j(OFFICIAL, OfficialKeyList.read("casvit")));
        assertEquals(10, inferred.get("num_classes"));
        assertEquals(true, inferred.get("distillation"));
        assertArrayEquals(new int[] {2, 1, 1, 1}, (int[]) inferred.get("depths"));
        assertArrayEquals(new int[] {48, 56, 112, 220}, (int[]) inferred.get("dims"));
        assertEquals(4, inferred.get("mlp_ratio"));
        assertEquals(5, inferred.size(), inferred.toString());
    }
}
