package org.fourier4j.reparam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fourier4j.models.ImageClassifier;
import org.fourier4j.models.ModelOptions;
import org.fourier4j.models.ModelZoo;
import org.fourier4j.nn.ParameterNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The walker on a small model of each family: the inference form equals the training form in
 * inference mode (float64, max|diff| / max|ref| <= 1e-10), has the parameter names and shapes of
 * the model built with {@code deploy=true}, and a second walk changes nothing.
 */
class ReparameterizerTest {

    private static ImageClassifier small(String name, boolean deploy) {
        ModelOptions.Builder o =
                ModelOptions.builder().numClasses(5).imageSize(40).override("deploy", deploy);
        if (name.startsWith("replknet")) {
            o.override("channels", "4,8,8,16")
                    .override("layers", "1,1,2,1")
                    .override("large_kernels", "9,7,5,5")
                    .override("small_kernel", 3)
                    .override("large_kernel_algorithm", "fft");
        } else {
            o.override("depths", "1,1,2,1").override("dims", "4,8,8,16").override("stem_dim", 4);
        }
        return ModelZoo.create(name, o.build());
    }

    private static Map<String, Shape> shapes(Block b) {
        Map<String, Shape> out = new LinkedHashMap<>();
        ParameterNames.of(b).forEach((n, p) -> out.put(n, p.getArray().getShape()));
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"replknet-31b, 5", "ffnet-1, 18", "ffnet-3, 18"})
    void inferenceFormEqualsTheTrainingFormAndTheDeployBuild(String name, int units) {
        Shape in = new Shape(2, 3, 40, 40);
        try (NDManager m = NDManager.newBaseManager()) {
            ImageClassifier model =
                    Trained.initialize(small(name, false), m, DataType.FLOAT64, in, 1);
            NDArray x = Trained.input(m, DataType.FLOAT64, in, 2);
            double[] training = Trained.infer(model, m, x);
            assertFalse(Reparameterizer.isInferenceForm(model));
            assertEquals(units, Reparameterizer.units(model).size());

            assertEquals(units, Reparameterizer.toInferenceForm(model));
            assertTrue(Reparameterizer.isInferenceForm(model));
            double[] fused = Trained.infer(model, m, x);
            double err = Trained.relativeError(fused, training);
            assertTrue(err <= 1e-10, name + ": relative error " + err);

            assertEquals(0, Reparameterizer.toInferenceForm(model), "idempotent");
            assertEquals(0, Trained.relativeError(Trained.infer(model, m, x), fused));

            ImageClassifier deployed = small(name, true);
            deployed.initialize(m, DataType.FLOAT64, in);
            assertTrue(Reparameterizer.isInferenceForm(deployed));
            assertEquals(shapes(deployed), shapes(model));
        }
    }

    @Test
    void modelsWithoutFusableUnitsAreLeftAlone() {
        try (NDManager m = NDManager.newBaseManager()) {
            ImageClassifier convnext =
                    ModelZoo.create(
                            "convnext-t",
                            ModelOptions.builder()
                                    .numClasses(3)
                                    .imageSize(32)
                                    .override("depths", "1,1,1,1")
                                    .override("dims", "4,8,8,8")
                                    .build());
            assertThrows(
                    IllegalStateException.class, () -> Reparameterizer.toInferenceForm(convnext));
            convnext.initialize(m, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            Map<String, Shape> before = shapes(convnext);
            assertEquals(0, Reparameterizer.toInferenceForm(convnext));
            assertTrue(Reparameterizer.isInferenceForm(convnext));
            assertEquals(before, shapes(convnext));
        }
    }
}
