package org.fourier4j.models.official;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fourier4j.models.ImageClassifier;
import org.fourier4j.models.MetaFormer;
import org.fourier4j.models.ModelFamily;
import org.fourier4j.models.ModelOptions;
import org.fourier4j.models.ModelZoo;
import org.fourier4j.models.NameMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DFFormer equals the official okojoalg/dfformer code ({@code models/dfformer.py}, {@code
 * MetaFormer} with {@code DynamicFilter} and {@code MlpHead}) on the fixture kept with the tests:
 * depths 1/1/2/1, dims 8/12/16/20, 10 classes, built for 64 x 64, randomised weights (filter banks
 * N(0, 0.25), weights N(0, 1/fan_in), norm and scale weights U(0.5, 1.5), biases and StarReLU
 * shifts N(0, 0.01)). {@code logits} and the stage outputs are the official model's at 64 x 64;
 * {@code logits.80} its {@code weight_resize=True} form at 80 x 80 (every bank resized). The
 * fixture was written by our own PyTorch reading of the official code, whose outputs equal the
 * official module's bit for bit on these weights (every key loaded strictly).
 */
class DfFormerOfficialTest {

    private static NDManager manager;
    private static OfficialFixture fixture;

    @BeforeAll
    static void load() throws IOException {
        manager = NDManager.newBaseManager();
        fixture = OfficialFixture.resource("dfformer-small", manager);
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private static ModelFamily family() {
        return ModelZoo.family("dfformer-s18");
    }

    private static MetaFormer model(NDManager m) {
        ImageClassifier model =
                ModelZoo.create(
                        "dfformer-s18",
                        ModelOptions.builder()
                                .numClasses(10)
                                .imageSize(64)
                                .override("depths", "1,1,2,1")
                                .override("dims", "8,12,16,20")
                                .build());
        model.initialize(m, DataType.FLOAT32, new Shape(2, 3, 64, 64));
        fixture.loadInto(model, family().nameMaps().get("official"));
        return (MetaFormer) model;
    }

    @Test
    void logitsFeaturesAndStagesEqualTheOfficialCode() {
        try (NDManager m = manager.newSubManager()) {
            fixture.assertSameOutputs(
                    model(m),
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

    @Test
    void anotherResolutionEqualsTheOfficialResizedFilters() {
        try (NDManager m = manager.newSubManager()) {
            NDArray logits =
                    model(m).forward(
                                    new ParameterStore(m, false),
                                    new NDList(fixture.io.get("input.80")),
                                    false)
                            .singletonOrThrow();
            OfficialFixture.assertClose("logits.80", fixture.io.get("logits.80"), logits);
        }
    }

    @Test
    void everyOfficialKeyRoundTripsThroughTheNameMap() {
        NameMap map = family().nameMaps().get("official");
        for (String key : fixture.weights.keySet()) {
            assertEquals(key, map.fromFourier4j(map.toFourier4j(key)), key);
        }
        assertEquals(
                "head.fc.fc1.weight", map.toFourier4j("head.fc1.weight"), "MLP head inside fc");
        assertEquals("head.norm.weight", map.toFourier4j("norm.weight"), "feature norm");
        assertEquals(
                "stages.2.blocks.1.res_scale1.scale",
                map.toFourier4j("stages.2.1.res_scale1.scale"));
    }

    @Test
    void theWeightsDecideTheConfiguration() {
        NameMap map = family().nameMaps().get("official");
        Map<String, Shape> shapes = new LinkedHashMap<>();
        fixture.weights.forEach((k, v) -> shapes.put(map.toFourier4j(k), v.getShape()));
        Map<String, Object> inferred = family().inferFromWeights(shapes);
        assertEquals(10, inferred.get("num_classes"));
        assertEquals(64, inferred.get("image_size"));
        assertEquals(List.of(8, 12, 16, 20), inferred.get("dims"));
        assertEquals(List.of(1, 1, 2, 1), inferred.get("depths"));
        assertEquals(4, inferred.get("num_filters"));
        assertEquals(0.25, (double) inferred.get("reweight_expansion_ratio"), 1e-12);
    }
}
