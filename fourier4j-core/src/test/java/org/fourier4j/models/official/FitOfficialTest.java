package org.fourier4j.models.official;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.util.Map;
import org.fourier4j.models.MetaFormer;
import org.fourier4j.models.ModelOptions;
import org.fourier4j.models.ModelZoo;
import org.junit.jupiter.api.Test;

/**
 * FiT equals the FiT report's own code (siddagra/fourier-project, {@code FiT.py}) on its weights
 * and input: the tanh-squashed logits, the class token's features, every block.
 */
class FitOfficialTest {

    /** The fixture's configuration. */
    private static final ModelOptions OPTIONS =
            ModelOptions.builder()
                    .numClasses(10)
                    .imageSize(32)
                    .override("embed_dim", 64)
                    .override("dim_feedforward", 128)
                    .override("num_layers", 2)
                    .build();

    @Test
    void fitEqualsTheOfficialCode() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            OfficialFixture f = OfficialFixture.load("fit-small", m);
            MetaFormer model = (MetaFormer) ModelZoo.create("fit", OPTIONS);
            model.initialize(m, DataType.FLOAT32, new Shape(2, 3, 32, 32));
            f.loadInto(model, ModelZoo.family("fit").nameMaps().get("official"));
            NDArray block =
                    PatchFixtures.stemAndFirstBlock(
                            model, f.io.get("input"), new ParameterStore(m, false))[1];
            OfficialFixture.assertClose(
                    "out.encoder.layer.0", f.io.get("out.encoder.layer.0"), block);
            f.assertSameOutputs(model, Map.of("out.embed", 0, "out.encoder", 1), x -> x, m);
            assertTrue(f.io.get("logits").abs().max().getFloat() <= 1, "tanh-squashed logits");
        }
    }

    @Test
    void theWeightsDecideTheConfiguration() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            assertEquals(
                    Map.of(
                            "embed_dim", 64,
                            "dim_feedforward", 128,
                            "num_layers", 2,
                            "patch_size", 4,
                            "num_classes", 10,
                            "image_size", 32),
                    PatchFixtures.inferred(
                            "fit", OPTIONS, OfficialFixture.load("fit-small", m), "official"));
        }
    }

    @Test
    void officialNamesRoundTrip() throws IOException {
        PatchFixtures.assertRoundTrip(
                ModelZoo.family("fit").nameMaps().get("official"),
                PatchFixtures.officialKeys("fit"));
    }
}
