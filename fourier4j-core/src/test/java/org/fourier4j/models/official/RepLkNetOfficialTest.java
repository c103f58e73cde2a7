package org.fourier4j.models.official;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.fourier4j.models.MetaFormer;
import org.fourier4j.models.ModelFamily;
import org.fourier4j.models.ModelOptions;
import org.fourier4j.models.ModelZoo;
import org.fourier4j.models.NameMap;
import org.fourier4j.reparam.Reparameterizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RepLKNet equals the official DingXiaoH/RepLKNet-pytorch code ({@code replknet.py}) on its weights
 * and input, in the training form and the merged deploy form, within {@code 1e-4 * max(1,
 * max|ref|)} (OfficialFixture); our training form fused by {@link Reparameterizer} has the deploy
 * form's names and shapes and gives its logits; the large kernels by DIRECT and by FFT agree.
 */
class RepLkNetOfficialTest {

    private static final ModelFamily FAMILY = ModelZoo.family("replknet-31b");
    private static final NameMap OFFICIAL = FAMILY.nameMaps().get("official");
    private static final Map<String, Integer> STAGES =
            Map.of(
                    "out.stem.3", 0,
                    "out.stages.0", 1,
                    "out.stages.1", 2,
                    "out.stages.2", 3,
                    "out.stages.3", 4);

    /** The fixture's constructor: channels 32-256, layers 1/1/2/1, kernels 13/11/9/7 + 5. */
    static MetaFormer model(NDManager m, boolean deploy, String algorithm) {
        MetaFormer model =
                (MetaFormer)
                        ModelZoo.create(
                                "replknet-31b",
                                ModelOptions.builder()
                                        .numClasses(10)
                                        .imageSize(64)
                                        .override("channels", "32,64,128,256")
                                        .override("layers", "1,1,2,1")
                                        .override("large_kernels", "13,11,9,7")
                                        .override("small_kernel", 5)
                                        .override("deploy", deploy)
                                        .override("large_kernel_algorithm", algorithm)
                                        .build());
        model.initialize(m, DataType.FLOAT32, new Shape(2, 3, 64, 64));
        return model;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"replknet-small", "replknet-small-deploy"})
    void stagesFeaturesAndLogitsEqualTheOfficialCode(String name) throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            OfficialFixture f = OfficialFixture.load(name, m);
            MetaFormer model = model(m, name.endsWith("-deploy"), "auto");
            f.loadInto(model, OFFICIAL);
            OfficialDiffs.assertSameOutputs(f, model, STAGES, m);
        }
    }

    @Test
    void ourFusionOfTheOfficialTrainingWeightsIsTheOfficialDeployForm() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            OfficialFixture training = OfficialFixture.load("replknet-small", m);
            OfficialFixture deploy = OfficialFixture.load("replknet-small-deploy", m);
            MetaFormer model = model(m, false, "auto");
            training.loadInto(model, OFFICIAL);
            assertEquals(5, Reparameterizer.toInferenceForm(model));
            assertTrue(Reparameterizer.isInferenceForm(model));
            NDArray logits = training.logits(model, m);
            OfficialDiffs.print(
                    "replknet-small fused by us", "logits", deploy.io.get("logits"), logits);
            OfficialFixture.assertClose("fused logits", deploy.io.get("logits"), logits);
            // every official deploy key with its shape, nothing else
            deploy.loadInto(model, OFFICIAL);
        }
    }

    @Test
    void directAndFftLargeKernelsAgreeOnTheOfficialWeights() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            OfficialFixture f = OfficialFixture.load("replknet-small", m);
            NDArray[] logits = new NDArray[2];
            String[] algorithms = {"direct", "fft"};
            for (int i = 0; i < 2; i++) {
                MetaFormer model = model(m, false, algorithms[i]);
                f.loadInto(model, OFFICIAL);
                logits[i] =
                        model.forward(
                                        new ParameterStore(m, false),
                                        new NDList(f.io.get("input")),
                                        false)
                                .singletonOrThrow();
            }
            OfficialDiffs.print("replknet-small", "fft vs direct", logits[0], logits[1]);
            OfficialFixture.assertClose("FFT vs DIRECT", logits[0], logits[1]);
            OfficialFixture.assertClose("FFT vs official", f.io.get("logits"), logits[1]);
        }
    }

    @Test
    void nameMapRoundTripsEveryOfficialKey() throws IOException {
        OfficialKeyList.assertRoundTrips(OFFICIAL, OfficialKeyList.read("replknet").keySet());
    }

    @Test
    void weightsTellTheConfigurationAndTheForm() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, Object> training =
                    FAMILY.inferFromWeights(
                            OfficialDiffs.shapes(
                                    OfficialFixture.load("replknet-small", m), OFFICIAL));
            assertEquals(
                    Map.of(
                            "num_classes",
                            10,
                            "deploy",
                            false,
                            "channels",
                            List.of(32, 64, 128, 256),
                            "layers",
                            List.of(1, 1, 2, 1),
                            "large_kernels",
                            List.of(13, 11, 9, 7),
                            "dw_ratio",
                            1.0f,
                            "ffn_ratio",
                            4,
                            "small_kernel",
                            5),
                    training);
            Map<String, Object> deploy =
                    FAMILY.inferFromWeights(
                            OfficialDiffs.shapes(
                                    OfficialFixture.load("replknet-small-deploy", m), OFFICIAL));
            assertEquals(true, deploy.get("deploy"));
            assertFalse(deploy.containsKey("small_kernel"), "merged: the small kernel is gone");
            assertEquals(List.of(13, 11, 9, 7), deploy.get("large_kernels"));
            assertEquals(training.get("channels"), deploy.get("channels"));
        }
    }
}
