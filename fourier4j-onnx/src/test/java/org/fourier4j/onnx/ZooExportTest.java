package org.fourier4j.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.fourier4j.models.ImageClassifier;
import org.fourier4j.models.MetaFormer;
import org.fourier4j.models.ModelInfo;
import org.fourier4j.models.ModelOptions;
import org.fourier4j.models.ModelZoo;
import org.fourier4j.onnx.proto.Onnx.ModelProto;
import org.fourier4j.onnx.proto.Onnx.StringStringEntryProto;
import org.fourier4j.reparam.Reparameterizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every zoo name, narrowed and shortened for speed, exports through the standard registry alone,
 * runs in ONNX Runtime and gives the logits of fourier4j's own forward pass within {@code 1e-4
 * max(1, max|ref|)}: at the size it was built for and at a second size it takes (position
 * embeddings and global filters resized as the forward pass resizes them), with random weights so
 * that no term is zero by initialisation, and a batch of 2 through the symbolic batch axis.
 */
class ZooExportTest {

    /** The zoo's configurations narrowed as in the core's model tests (same values). */
    static final Map<String, Map<String, Object>> SMALL =
            Map.ofEntries(
                    Map.entry(
                            "RepLKNet",
                            Map.of(
                                    "channels",
                                    "8,16,16,32",
                                    "layers",
                                    "1,1,1,1",
                                    "large_kernels",
                                    "13,11,9,7")),
                    Map.entry("ConvNeXt", Map.of("depths", "1,1,1,1", "dims", "8,16,16,32")),
                    Map.entry("DFFormer", Map.of("depths", "1,1,1,1", "dims", "8,16,16,32")),
                    Map.entry("ViT", Map.of("embed_dim", 16, "num_layers", 2, "num_heads", 2)),
                    Map.entry(
                            "FiT", Map.of("embed_dim", 16, "dim_feedforward", 32, "num_layers", 2)),
                    Map.entry(
                            "FNet",
                            Map.of("embed_dim", 16, "dim_feedforward", 32, "num_layers", 2)),
                    Map.entry("GFNet", Map.of("dims", "16", "depths", "2")),
                    Map.entry("GFNet-H", Map.of("dims", "8,16,16,32", "depths", "1,1,1,1")),
                    Map.entry(
                            "AFFNet",
                            Map.of(
                                    "channels",
                                    "8,8,16,16,16",
                                    "mv2_blocks",
                                    "1,1",
                                    "aff_blocks",
                                    "1,1,1")),
                    Map.entry(
                            "FFNet",
                            Map.of("depths", "1,1,1,1", "dims", "8,16,16,32", "stem_dim", 8)),
                    Map.entry("CAS-ViT", Map.of("depths", "1,1,1,1", "dims", "8,16,16,32")),
                    Map.entry("DSM", Map.of("depths", "1,1,1,1", "dims", "8,16,16,32")));

    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    static Stream<String> names() {
        return ModelZoo.names().stream();
    }

    /** The smallest size a model takes and a second, larger one (as the core's model tests). */
    static int[] twoSizes(String name) {
        ModelInfo info = ModelZoo.info(name);
        int m = info.sizeMultiple();
        int first = Math.max(info.minImageSize(), m);
        int second = m == 1 ? first + 13 : first + 3 * m;
        return new int[] {first, second};
    }

    static ImageClassifier small(String name, int size) {
        ModelOptions.Builder o = ModelOptions.builder().numClasses(10).imageSize(size);
        Map<String, Object> narrow = SMALL.get(ModelZoo.info(name).family());
        if (narrow == null) {
            throw new IllegalStateException(
                    "no small configuration for family " + ModelZoo.info(name).family());
        }
        narrow.forEach(o::override);
        return ModelZoo.create(name, o.build());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void everyZooModelExportsAndMatchesItsForwardAtTwoSizes(String name) {
        int[] sizes = twoSizes(name);
        ImageClassifier model =
                ExportTesting.initialise(
                        manager, small(name, sizes[0]), 7, new Shape(1, 3, sizes[0], sizes[0]));
        boolean wasFused = Reparameterizer.isInferenceForm(model);
        for (int size : sizes) {
            checkLogits(model, size, name + " at " + size);
        }
        checkPreLogits(model, sizes[0], name + " pre-logits");
        // the export folds re-parameterisable units without changing the model
        assertEquals(wasFused, Reparameterizer.isInferenceForm(model), name);
    }

    static Stream<String> reparameterisable() {
        return names().filter(n -> !Reparameterizer.units(small(n, twoSizes(n)[0])).isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reparameterisable")
    void fusedModelsExportTheirFusedConvolutions(String name) {
        int size = twoSizes(name)[0];
        ImageClassifier model =
                ExportTesting.initialise(
                        manager, small(name, size), 8, new Shape(1, 3, size, size));
        float[] x = ExportTesting.randomInput(new Shape(2, 3, size, size), 3);
        float[] training = ExportTesting.forward(manager, model, x, new Shape(2, 3, size, size));
        assertTrue(Reparameterizer.toInferenceForm(model) > 0, name);
        checkLogits(model, size, name + " fused");
        // and the fused form is the training form's inference (the same logits)
        ExportTesting.assertClose(
                training,
                ExportTesting.forward(manager, model, x, new Shape(2, 3, size, size)),
                name + " fused against training form");
    }

    @Test
    void anUnexportableLayerOfAModelIsNamedWithItsOperatorAndNothingIsWritten(@TempDir Path dir)
            throws IOException {
        // a model on the zoo's skeleton whose token mixer is opaque Java code
        ModelOptions options = ModelOptions.builder().numClasses(4).imageSize(8).build();
        MetaFormer model = ExportTesting.opaqueMixerModel(options);
        model.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, 3, 8, 8));
        Path out = dir.resolve("custom.onnx");
        OnnxExportException e =
                assertThrows(
                        OnnxExportException.class,
                        () -> OnnxExport.export(model, OnnxExportOptions.defaults(), out));
        assertTrue(e.getMessage().contains("'stages.0.blocks.0.mixer'"), e.getMessage());
        assertTrue(e.getMessage().contains("LambdaBlock 'opaque'"), e.getMessage());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(0, files.count(), "nothing is written, not even a partial file");
        }
    }

    /** Exports at one size, runs a batch of 2 in ONNX Runtime and compares with DJL's logits. */
    private static void checkLogits(ImageClassifier model, int size, String what) {
        ModelProto onnx = OnnxExport.toModel(model, size, size, OnnxExportOptions.defaults());
        assertEquals("input", onnx.getGraph().getInput(0).getName());
        assertEquals("logits", onnx.getGraph().getOutput(0).getName());
        assertEquals(model.modelName(), metadata(onnx, "fourier4j.model"));
        Shape in = new Shape(2, 3, size, size);
        float[] x = ExportTesting.randomInput(in, size);
        float[] expected = ExportTesting.forward(manager, model, x, in);
        assertTrue(spread(expected) > 1e-3, what + ": degenerate logits " + spread(expected));
        try (OnnxRuntimeSession session = OnnxRuntimeSession.open(onnx.toByteArray(), 1, true)) {
            OnnxRuntimeSession.Output y = session.run(x, in.getShape());
            assertArrayEquals(new long[] {2, 10}, y.shape(), what);
            ExportTesting.assertClose(expected, y.data(), what);
        }
    }

    /**
     * With {@code preLogitsName}, a second output holds the classifier's input (what DJL's
     * predictors return as features), equal to {@code forwardPreLogits}.
     */
    private static void checkPreLogits(ImageClassifier model, int size, String what) {
        OnnxExportOptions options = OnnxExportOptions.builder().preLogitsName("features").build();
        ModelProto onnx = OnnxExport.toModel(model, size, size, options);
        assertEquals("logits", onnx.getGraph().getOutput(0).getName());
        assertEquals("features", onnx.getGraph().getOutput(1).getName());
        Shape in = new Shape(2, 3, size, size);
        float[] x = ExportTesting.randomInput(in, size + 1);
        float[] expected;
        try (NDManager m = manager.newSubManager()) {
            ai.djl.training.ParameterStore ps = new ai.djl.training.ParameterStore(m, false);
            NDArray images = m.create(x, in);
            expected =
                    model.forwardPreLogits(ps, model.forwardFeatures(ps, images, false), false)
                            .toFloatArray();
        }
        try (OnnxRuntimeSession session = OnnxRuntimeSession.open(onnx.toByteArray(), 1, true)) {
            List<OnnxRuntimeSession.Output> y = session.runAll(x, in.getShape());
            assertArrayEquals(new long[] {2, expected.length / 2}, y.get(1).shape(), what);
            ExportTesting.assertClose(expected, y.get(1).data(), what);
        }
    }

    private static double spread(float[] v) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (float f : v) {
            min = Math.min(min, f);
            max = Math.max(max, f);
        }
        return max - min;
    }

    static String metadata(ModelProto model, String key) {
        for (StringStringEntryProto p : model.getMetadataPropsList()) {
            if (p.getKey().equals(key)) {
                return p.getValue();
            }
        }
        return null;
    }
}
