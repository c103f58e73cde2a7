package org.fourier4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.fourier4j.inference.LoadedModel;
import org.fourier4j.inference.ModelCard;
import org.fourier4j.inference.Preprocessing;
import org.fourier4j.inference.djl.InferenceBlock;
import org.fourier4j.inference.engine.EngineChoice;
import org.fourier4j.models.ImageClassifier;
import org.fourier4j.models.MetaFormer;
import org.fourier4j.models.ModelOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A loaded model's logits through ONNX Runtime as an inference engine: the same logits as its plan
 * on DJL, the choice kept per model and shape in the cache file (and read back from it), and a
 * wrong engine name refused with the property, the value and the choices.
 */
class EngineChoiceTest {

    @TempDir Path home;

    private String savedEngine;
    private String savedHome;

    @BeforeEach
    void isolate() {
        savedEngine = System.getProperty(EngineChoice.PROPERTY);
        savedHome = System.getProperty("fourier4j.home");
        System.setProperty("fourier4j.home", home.toString());
    }

    @AfterEach
    void restore() {
        restore(EngineChoice.PROPERTY, savedEngine);
        restore("fourier4j.home", savedHome);
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    private static LoadedModel gfnet(NDManager parent, int size) {
        NDManager m = parent.newSubManager();
        ImageClassifier net =
                ExportTesting.initialise(
                        m, ZooExportTest.small("gfnet-ti", size), 3, new Shape(1, 3, size, size));
        ModelCard card =
                ModelCard.of(
                        "gfnet-ti",
                        net.options(),
                        ModelCard.TRAINING,
                        Preprocessing.imagenet(size),
                        null,
                        Map.of());
        return new LoadedModel(Path.of("gfnet-ti"), card, net, m, "random");
    }

    private static float[] logits(LoadedModel model, float[] input, Shape shape) {
        try (NDManager scope = model.manager().newSubManager()) {
            NDArray x = scope.create(input, shape);
            return model.logits(x).toFloatArray();
        }
    }

    @Test
    void onnxRuntimeGivesThePlansLogits() {
        Shape shape = new Shape(3, 3, 32, 32);
        float[] input = ExportTesting.randomInput(shape, 5);
        try (NDManager manager = NDManager.newBaseManager()) {
            System.setProperty(EngineChoice.PROPERTY, EngineChoice.DJL);
            float[] djl;
            try (LoadedModel m = gfnet(manager, 32)) {
                djl = logits(m, input, shape);
            }
            System.setProperty(EngineChoice.PROPERTY, OnnxRuntimeEngine.NAME);
            try (LoadedModel m = gfnet(manager, 32)) {
                float[] ort = logits(m, input, shape);
                ExportTesting.assertClose(djl, ort, "gfnet-ti logits through onnxruntime");
                // another batch size reuses the session of the image size
                Shape one = new Shape(1, 3, 32, 32);
                float[] first = java.util.Arrays.copyOf(input, 3 * 32 * 32);
                ExportTesting.assertClose(
                        java.util.Arrays.copyOf(djl, 10), logits(m, first, one), "batch of one");
            }
        }
    }

    @Test
    void thePredictorPathAndForwardGiveThePlansLogitsAndFeaturesInOnnxRuntime() {
        Shape shape = new Shape(2, 3, 32, 32);
        float[] input = ExportTesting.randomInput(shape, 11);
        try (NDManager manager = NDManager.newBaseManager()) {
            System.setProperty(EngineChoice.PROPERTY, EngineChoice.DJL);
            float[][] djl = predictorOutputs(manager, input, shape);
            System.setProperty(EngineChoice.PROPERTY, OnnxRuntimeEngine.NAME);
            float[][] ort = predictorOutputs(manager, input, shape);
            ExportTesting.assertClose(djl[0], ort[0], "logits of DJL's predictor block");
            ExportTesting.assertClose(djl[1], ort[1], "features of DJL's predictor block");
            ExportTesting.assertClose(djl[0], ort[2], "logits of LoadedModel.forward");
            ExportTesting.assertClose(djl[1], ort[3], "features of LoadedModel.forward");
        }
    }

    /**
     * The logits and features of DJL's predictor block ({@link InferenceBlock}) and of {@link
     * LoadedModel#forward}, in the engine the property names.
     */
    private static float[][] predictorOutputs(NDManager manager, float[] input, Shape shape) {
        try (LoadedModel m = gfnet(manager, 32);
                NDManager scope = manager.newSubManager()) {
            NDArray x = scope.create(input, shape);
            InferenceBlock block = new InferenceBlock(m.model(), m.card().engineIdentity());
            NDList out = block.forward(new ParameterStore(scope, false), new NDList(x), false);
            NDList direct = m.forward(x);
            String engine = System.getProperty(EngineChoice.PROPERTY);
            assertEquals(engine, block.engineFor(x), "the predictor block's engine");
            assertEquals(engine, m.engines().engineFor(x), "LoadedModel's engine");
            return new float[][] {
                out.get(0).toFloatArray(),
                out.get(1).toFloatArray(),
                direct.get(0).toFloatArray(),
                direct.get(1).toFloatArray()
            };
        }
    }

    @Test
    void autoKeepsItsChoicePerModelAndShapeAndReadsItBack() throws Exception {
        System.setProperty(EngineChoice.PROPERTY, EngineChoice.AUTO);
        Shape shape = new Shape(2, 3, 32, 32);
        float[] input = ExportTesting.randomInput(shape, 9);
        try (NDManager manager = NDManager.newBaseManager()) {
            String first;
            try (LoadedModel m = gfnet(manager, 32);
                    NDManager scope = manager.newSubManager()) {
                first = m.engines().engineFor(scope.create(input, shape));
                // the plan compiled to time DJL holds its own copy of the weights
                assertEquals(
                        first.equals(EngineChoice.DJL),
                        m.engines().planCompiled(),
                        "the plan timed for the choice is kept only when DJL won");
            }
            assertTrue(List.of(EngineChoice.DJL, OnnxRuntimeEngine.NAME).contains(first), first);
            Path file = home.resolve(EngineChoice.FILE);
            Properties p = new Properties();
            try (var in = Files.newInputStream(file)) {
                p.load(in);
            }
            assertEquals(1, p.size(), p.toString());
            String key = p.stringPropertyNames().iterator().next();
            assertTrue(key.startsWith("gfnet-ti training c10 in3 "), key);
            assertTrue(
                    key.endsWith(" 32x32 b2 t" + org.fourier4j.fft.ConvAutoTuner.threads()), key);
            assertTrue(p.getProperty(key).startsWith(first + "|"), p.getProperty(key));

            // a later process takes the stored choice without timing: flip it and see it used
            String other =
                    first.equals(EngineChoice.DJL) ? OnnxRuntimeEngine.NAME : EngineChoice.DJL;
            p.setProperty(key, other + p.getProperty(key).substring(first.length()));
            try (var out = Files.newOutputStream(file)) {
                p.store(out, null);
            }
            try (LoadedModel m = gfnet(manager, 32);
                    NDManager scope = manager.newSubManager()) {
                NDArray x = scope.create(input, shape);
                assertEquals(other, m.engines().engineFor(x));
                assertFalse(m.engines().planCompiled(), "a stored choice compiles nothing");
                assertEquals(20, m.logits(x).size());
                assertEquals(other.equals(EngineChoice.DJL), m.engines().planCompiled());
            }
            assertEquals(1, EngineChoice.clear());
            assertTrue(Files.notExists(file));
        }
    }

    @Test
    void aModelThatDoesNotExportStaysOnDjlAndTheChoiceIsKept() throws Exception {
        System.setProperty(EngineChoice.PROPERTY, EngineChoice.AUTO);
        ModelOptions options = ModelOptions.builder().numClasses(4).imageSize(8).build();
        MetaFormer model = ExportTesting.opaqueMixerModel(options);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDManager m = manager.newSubManager();
            model.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, 3, 8, 8));
            ModelCard card =
                    ModelCard.of(
                            "custom",
                            options,
                            ModelCard.TRAINING,
                            Preprocessing.imagenet(8),
                            null,
                            Map.of());
            try (LoadedModel loaded = new LoadedModel(Path.of("custom"), card, model, m, "random");
                    NDManager scope = manager.newSubManager()) {
                NDArray x =
                        scope.create(
                                ExportTesting.randomInput(new Shape(1, 3, 8, 8), 2),
                                new Shape(1, 3, 8, 8));
                assertEquals(EngineChoice.DJL, loaded.engines().engineFor(x));
                assertEquals(4, loaded.logits(x).size());
            }
            Properties p = new Properties();
            try (var in = Files.newInputStream(home.resolve(EngineChoice.FILE))) {
                p.load(in);
            }
            assertEquals(1, p.size(), p.toString());
            assertTrue(p.values().iterator().next().toString().startsWith("djl|"), p.toString());
        }
    }

    @Test
    void anUnknownEngineIsRefusedWithTheChoices() {
        System.setProperty(EngineChoice.PROPERTY, "tensorrt");
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, EngineChoice::requested);
        assertTrue(e.getMessage().contains("fourier4j.engine"), e.getMessage());
        assertTrue(e.getMessage().contains("tensorrt"), e.getMessage());
        assertTrue(e.getMessage().contains("onnxruntime"), e.getMessage());
    }
}
