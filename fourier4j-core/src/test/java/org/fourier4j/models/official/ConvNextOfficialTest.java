package org.fourier4j.models.official;

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
import org.junit.jupiter.api.Test;

/** ConvNeXt equals the official facebookresearch/ConvNeXt code on its weights and input. */
class ConvNextOfficialTest {

    @Test
    void logitsFeaturesAndStagesEqualTheOfficialCode() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            OfficialFixture f = OfficialFixture.load("convnext-small", m);
            ImageClassifier model =
                    ModelZoo.create(
                            "convnext-t",
                            ModelOptions.builder()
                                    .numClasses(10)
                                    .imageSize(64)
                                    .override("depths", "1,1,2,1")
                                    .override("dims", "24,48,96,192")
                                    .build());
            model.initialize(m, DataType.FLOAT32, new Shape(2, 3, 64, 64));
            ModelFamily family = ModelZoo.family("convnext-t");
            f.loadInto(model, family.nameMaps().get("official"));
            f.assertSameOutputs(
                    (MetaFormer) model,
                    Map.of(
                            "out.downsample_layers.0", 0,
                            "out.stages.0", 1,
                            "out.stages.1", 2,
                            "out.stages.2", 3,
                            "out.stages.3", 4),
                    x -> x,
                    m);
        }
    }
}
