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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * AFFNet equals the official microsoft/TokenMixers code (ml-cvnets, mode xx_small = AFFNet-ET) on
 * its weights and input, with both settings of activation and attention norm the fixtures record.
 */
class AffNetOfficialTest {

    private static final ModelFamily FAMILY = ModelZoo.family("affnet-et");
    private static final NameMap OFFICIAL = FAMILY.nameMaps().get("official");

    @ParameterizedTest(name = "{0}")
    @CsvSource({"affnet-small, relu, layer_norm_2d", "affnet-small-swish-ln, swish, layer_norm"})
    void logitsFeaturesAndStagesEqualTheOfficialCode(String fixture, String act, String norm)
            throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            OfficialFixture f = OfficialFixture.load(fixture, m);
            ImageClassifier model =
                    ModelZoo.create(
                            "affnet-et",
                            ModelOptions.builder()
                                    .numClasses(10)
                                    .imageSize(64)
                                    .override("activation", act)
                                    .override("norm", norm)
                                    .build());
            model.initialize(m, DataType.FLOAT32, new Shape(2, 3, 64, 64));
            f.loadInto(model, OFFICIAL);
            MetaFormer net = (MetaFormer) model;
            f.assertSameOutputs(
                    net,
                    Map.of(
                            "out.conv_1", 0,
                            "out.layer_1", 1,
                            "out.layer_2", 2,
                            "out.layer_3", 3,
                            "out.layer_4", 4,
                            "out.layer_5", 5),
                    x -> x,
                    m);
            OfficialFixture.assertClose(
                    "out.conv_1x1_exp",
                    f.io.get("out.conv_1x1_exp"),
                    net.forwardFeatures(
                            new ai.djl.training.ParameterStore(m, false),
                            f.io.get("input"),
                            false));
        }
    }

    @Test
    void everyOfficialKeyRoundTrips() throws IOException {
        OfficialKeyList.assertRoundTrips(OFFICIAL, OfficialKeyList.read("affnet").keySet());
    }

    @Test
    void theShapesDecideWidthsBlocksExpansionGroupsAndClasses() throws IOException {
        Map<String, Object> inferred =
                FAMILY.inferFromWeights(
                        OfficialKeyList.asFourier4j(OFFICIAL, OfficialKeyList.read("affnet")));
        assertEquals(10, inferred.get("num_classes"));
        assertArrayEquals(new int[] {32, 48, 64, 104, 144}, (int[]) inferred.get("channels"));
        assertArrayEquals(new int[] {1, 3}, (int[]) inferred.get("mv2_blocks"));
        assertArrayEquals(new int[] {2, 4, 3}, (int[]) inferred.get("aff_blocks"));
        assertEquals(2, inferred.get("mv2_expand"));
        assertEquals(8, inferred.get("groups"));
        assertEquals(6, inferred.size(), inferred.toString());
    }
}
