package org.fourier4j.models.official;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.fourier4j.config.ConfigBinder;
import org.fourier4j.models.MetaFormer;
import org.fourier4j.models.ModelFamily;
import org.fourier4j.models.ModelOptions;
import org.fourier4j.models.ModelZoo;
import org.fourier4j.models.NameMap;
import org.fourier4j.reparam.Reparameterizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * FFNet equals the official ysj9909/FFNet code ({@code models/ffnet.py}, deploy form by its {@code
 * export_model.py replace_batchnorm}) on its weights and input, training and deploy forms of
 * FFNet-1 (depthwise {@code Conv2d_BN} channel mixers) and FFNet-3 ({@code RepVGGDW} everywhere,
 * layer scale), within {@code 1e-4 * max(1, max|ref|)}; our training form fused by {@link
 * Reparameterizer} has the deploy form's names and shapes and gives its logits.
 */
class FfNetOfficialTest {

    private static final ModelFamily FAMILY = ModelZoo.family("ffnet-1");
    private static final NameMap OFFICIAL = FAMILY.nameMaps().get("official");
    private static final Map<String, Integer> STAGES =
            Map.of(
                    "out.patch_embed", 0,
                    "out.stages.0", 1,
                    "out.stages.1", 2,
                    "out.stages.2", 3,
                    "out.stages.3", 4);

    /** The fixtures' constructors: ffnet_1 / ffnet_3 with depth 1/1/2/1 and their widths. */
    static MetaFormer model(String fixture, NDManager m, boolean deploy) {
        boolean three = fixture.startsWith("ffnet3");
        MetaFormer model =
                (MetaFormer)
                        ModelZoo.create(
                                three ? "ffnet-3" : "ffnet-1",
                                ModelOptions.builder()
                                        .numClasses(10)
                                        .imageSize(64)
                                        .override("depths", "1,1,2,1")
                                        .override("dims", three ? "16,32,64,128" : "24,48,96,192")
                                        .override("deploy", deploy)
                                        .build());
        model.initialize(m, DataType.FLOAT32, new Shape(2, 3, 64, 64));
        return model;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"ffnet-small", "ffnet-small-deploy", "ffnet3-small", "ffnet3-small-deploy"})
    void stagesFeaturesAndLogitsEqualTheOfficialCode(String name) throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            OfficialFixture f = OfficialFixture.load(name, m);
            MetaFormer model = model(name, m, name.endsWith("-deploy"));
            f.loadInto(model, OFFICIAL);
            OfficialDiffs.assertSameOutputs(f, model, STAGES, m);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"ffnet-small", "ffnet3-small"})
    void ourFusionOfTheOfficialTrainingWeightsIsTheOfficialDeployForm(String name)
            throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            OfficialFixture training = OfficialFixture.load(name, m);
            OfficialFixture deploy = OfficialFixture.load(name + "-deploy", m);
            MetaFormer model = model(name, m, false);
            training.loadInto(model, OFFICIAL);
            // stem 2 + patch merging 2 x 3 + (token mixer + channel-mixer conv) x 5 blocks
            assertEquals(18, Reparameterizer.toInferenceForm(model));
            assertTrue(Reparameterizer.isInferenceForm(model));
            NDArray logits = training.logits(model, m);
            OfficialDiffs.print(name + " fused by us", "logits", deploy.io.get("logits"), logits);
            OfficialFixture.assertClose("fused logits", deploy.io.get("logits"), logits);
            // every official deploy key with its shape, nothing else
            deploy.loadInto(model, OFFICIAL);
        }
    }

    @Test
    void nameMapRoundTripsEveryOfficialKey() throws IOException {
        OfficialKeyList.assertRoundTrips(OFFICIAL, OfficialKeyList.read("ffnet").keySet());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "ffnet-small, false, 24, 3, 0.0",
        "ffnet-small-deploy, true, 24, 3, 0.0",
        "ffnet3-small, false, 16, 7, 1e-6",
        "ffnet3-small-deploy, true, 16, 7, 1e-6"
    })
    void weightsTellTheConfigurationAndTheForm(
            String name, boolean deploy, int width, int channelKernel, float layerScale)
            throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, Object> inferred =
                    FAMILY.inferFromWeights(
                            OfficialDiffs.shapes(OfficialFixture.load(name, m), OFFICIAL));
            assertEquals(
                    Map.of(
                            "num_classes",
                            10,
                            "deploy",
                            deploy,
                            "stem_dim",
                            64,
                            "dims",
                            List.of(width, 2 * width, 4 * width, 8 * width),
                            "depths",
                            List.of(1, 1, 2, 1),
                            "token_kernels",
                            List.of(3, 3, 7, 7),
                            "channel_kernels",
                            List.of(channelKernel, channelKernel, channelKernel, channelKernel),
                            "expansion",
                            3,
                            "layer_scale",
                            layerScale),
                    inferred);
            // the zoo's configuration says the same (compared as the importer does, by value)
            Object configured =
                    ConfigBinder.toMap(
                                    ModelZoo.variant(layerScale > 0 ? "ffnet-3" : "ffnet-1")
                                            .config())
                            .get("layer_scale");
            assertEquals(
                    ((Number) configured).doubleValue(),
                    ((Number) inferred.get("layer_scale")).doubleValue());
        }
    }
}
