package org.fourier4j.onnx;

import static org.fourier4j.onnx.ExportTesting.check;
import static org.fourier4j.onnx.ExportTesting.initialise;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.fourier4j.nn.FourierEncoderBlock;
import org.fourier4j.nn.MetaFormerBlock;
import org.fourier4j.nn.MultiHeadSelfAttention;
import org.fourier4j.nn.PatchEmbedding;
import org.fourier4j.onnx.export.ExporterRegistry;
import org.fourier4j.onnx.proto.Onnx.ModelProto;
import org.fourier4j.onnx.proto.Onnx.StringStringEntryProto;
import org.fourier4j.onnx.proto.Onnx.TensorShapeProto;
import org.fourier4j.onnx.spectral.SpectralMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxExportTest {

    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /** Patch embedding, a Fourier encoder block, an attention block and a norm. */
    private static SequentialBlock tinyTransformer() {
        SequentialBlock model = new SequentialBlock();
        model.add(
                        new PatchEmbedding(
                                8, 4, 16, 1e-6f, PatchEmbedding.PositionInit.TRUNCATED_NORMAL, -1))
                .add(
                        FourierEncoderBlock.builder()
                                .setHiddenSize(8)
                                .setFeedForwardSize(16)
                                .optStyle(FourierEncoderBlock.Style.FIT)
                                .build())
                .add(
                        MetaFormerBlock.builder(8)
                                .setMixer(
                                        "attn",
                                        MultiHeadSelfAttention.builder()
                                                .setHiddenSize(8)
                                                .optHeads(2)
                                                .build())
                                .optMlpRatio(2)
                                .build())
                .add(LayerNorm.builder().axis(2).build());
        return initialise(manager, model, 1, new Shape(1, 3, 16, 16));
    }

    @Test
    void aComposedModelExportsAtEveryOpsetAndBothTransformMethods() {
        SequentialBlock model = tinyTransformer();
        for (int opset = 17; opset <= 21; opset++) {
            for (SpectralMethod m :
                    new SpectralMethod[] {SpectralMethod.MATMUL, SpectralMethod.DFT}) {
                check(
                        manager,
                        model,
                        new Shape(1, 3, 16, 16),
                        OnnxExportOptions.builder().opset(opset).spectralMethod(m).build());
            }
        }
        check(manager, model, new Shape(2, 3, 20, 24));
    }

    @Test
    void theWrittenFileReparsesWithItsMetadata(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("sub/model.onnx");
        OnnxExportOptions options =
                OnnxExportOptions.builder()
                        .opset(18)
                        .metadata("fourier4j.model", "tiny")
                        .graphName("tiny")
                        .build();
        OnnxExport.export(tinyTransformer(), new Shape(1, 3, 16, 16), options, out);
        ModelProto model = ModelProto.parseFrom(Files.readAllBytes(out));
        Map<String, String> meta = new HashMap<>();
        for (StringStringEntryProto e : model.getMetadataPropsList()) {
            meta.put(e.getKey(), e.getValue());
        }
        assertEquals("tiny", meta.get("fourier4j.model"));
        assertEquals(SequentialBlock.class.getName(), meta.get("fourier4j.block"));
        assertEquals("(1, 3, 16, 16)", meta.get("fourier4j.input_shape"));
        assertEquals("AUTO", meta.get("fourier4j.spectral_method"));
        assertEquals(18, model.getOpsetImport(0).getVersion());
        assertEquals("fourier4j", model.getProducerName());
        assertEquals("tiny", model.getGraph().getName());
        TensorShapeProto in = model.getGraph().getInput(0).getType().getTensorType().getShape();
        assertEquals("batch", in.getDim(0).getDimParam());
        assertEquals(16, in.getDim(3).getDimValue());
        assertEquals("output", model.getGraph().getOutput(0).getName());
        try (OnnxRuntimeSession s = OnnxRuntimeSession.open(out, 1)) {
            assertEquals("input", s.inputName());
            float[] x = ExportTesting.randomInput(new Shape(2, 3, 16, 16), 3);
            OnnxRuntimeSession.Output y = s.run(x, 2, 3, 16, 16);
            ExportTesting.assertClose(
                    ExportTesting.forward(manager, tinyTransformer(), x, new Shape(2, 3, 16, 16)),
                    y.data(),
                    "file");
        }
    }

    @Test
    void aFixedBatchIsWrittenAsADimension() {
        Shape s = new Shape(2, 6);
        ModelProto model =
                check(
                        manager,
                        initialise(manager, Linear.builder().setUnits(3).build(), 2, s),
                        s,
                        OnnxExportOptions.builder().dynamicBatch(false).build());
        assertEquals(
                2,
                model.getGraph()
                        .getInput(0)
                        .getType()
                        .getTensorType()
                        .getShape()
                        .getDim(0)
                        .getDimValue());
    }

    /** A block without exporter. */
    static final class Doubler extends AbstractBlock {
        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList in, boolean training, PairList<String, Object> p) {
            return new NDList(in.head().mul(2));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputs) {
            return inputs;
        }
    }

    @Test
    void anUnknownBlockIsNamedAndNoFileIsWritten(@TempDir Path dir) throws Exception {
        SequentialBlock model = new SequentialBlock();
        model.add(Linear.builder().setUnits(4).build())
                .add(new SequentialBlock().add(new Doubler()));
        initialise(manager, model, 3, new Shape(1, 4));
        Path out = dir.resolve("model.onnx");
        OnnxExportException e =
                assertThrows(
                        OnnxExportException.class,
                        () ->
                                OnnxExport.export(
                                        model, new Shape(1, 4), OnnxExportOptions.defaults(), out));
        assertTrue(e.getMessage().contains("'1.0'"), e.getMessage());
        assertTrue(e.getMessage().contains(Doubler.class.getName()), e.getMessage());
        assertFalse(Files.exists(out));
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count(), "no temporary file is left either");
        }
        // registering an exporter for the class makes the same model exportable
        ExporterRegistry registry =
                ExporterRegistry.standard()
                        .register(Doubler.class, (ctx, block, x) -> ctx.ops().scale(x, 2));
        check(
                manager,
                model,
                new Shape(1, 4),
                OnnxExportOptions.builder().registry(registry).build());
    }

    @Test
    void badArgumentsAreRefusedBeforeAnyWork() {
        SequentialBlock model = tinyTransformer();
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        OnnxExport.toModel(
                                model, new Shape(-1, 3, 16, 16), OnnxExportOptions.defaults()));
        assertThrows(IllegalArgumentException.class, () -> OnnxExportOptions.builder().opset(22));
        OnnxExportException e =
                assertThrows(
                        OnnxExportException.class,
                        () ->
                                OnnxExport.toModel(
                                        new SequentialBlock()
                                                .add(Linear.builder().setUnits(2).build()),
                                        new Shape(1, 2),
                                        OnnxExportOptions.defaults()));
        assertTrue(e.getMessage().contains("initialise"), e.getMessage());
    }
}
