package org.fourier4j.onnx.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.fourier4j.onnx.OnnxExportException;
import org.fourier4j.onnx.OnnxRuntimeSession;
import org.fourier4j.onnx.proto.Onnx.ModelProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OnnxGraphBuilderTest {

    /** x (B, 2, 3) -> x @ M (3 x 2) + 1 -> transpose -> reshape (B, 4), at every opset. */
    @ParameterizedTest
    @ValueSource(ints = {17, 18, 19, 20, 21})
    void smallGraphRunsAtEveryOpsetWithADynamicBatch(int opset) {
        OnnxGraphBuilder g = new OnnxGraphBuilder(opset, true);
        OnnxOps ops = new OnnxOps(g);
        OnnxValue x = g.input("x", new long[] {1, 2, 3}, 0);
        OnnxValue m = g.constant("m", new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
        OnnxValue y = ops.addScalar(ops.matMul(x, m), 1);
        OnnxValue t = ops.transpose(y, 0, 2, 1);
        OnnxValue mean = ops.reduceMean(t, true, 2);
        OnnxValue out = ops.reshape(ops.sub(t, mean), OnnxOps.BATCH, 4);
        g.output(out, "y");
        ModelProto model = g.build("test", "0", Map.of());

        float[] in = {1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1, 2, 0, 0, 0, 0, 0};
        try (OnnxRuntimeSession s = OnnxRuntimeSession.open(model.toByteArray(), 1)) {
            OnnxRuntimeSession.Output o = s.run(in, 3, 2, 3);
            assertArrayEquals(new long[] {3, 4}, o.shape());
            // sample 0: rows (1,0,0) and (0,1,0) -> (1,2)+1 = (2,3), (3,4)+1 = (4,5);
            // transposed ((2,4),(3,5)) minus row means 3 and 4
            assertArrayEquals(
                    new float[] {-1, 1, -1, 1}, java.util.Arrays.copyOf(o.data(), 4), 1e-6f);
        }
    }

    @Test
    void metadataAndOpsetAreWritten() throws Exception {
        OnnxGraphBuilder g = new OnnxGraphBuilder(17, false);
        OnnxValue x = g.input("x", new long[] {2, 3}, 0);
        g.output(new OnnxOps(g).relu(x), "y");
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("fourier4j.model", "test");
        ModelProto model = g.build("test", "0.1", meta);
        ModelProto parsed = ModelProto.parseFrom(model.toByteArray());
        assertEquals(17, parsed.getOpsetImport(0).getVersion());
        assertEquals(8, parsed.getIrVersion());
        assertEquals("fourier4j.model", parsed.getMetadataProps(0).getKey());
        assertEquals("x", parsed.getGraph().getInput(0).getName());
        // a static batch is a fixed dimension
        assertEquals(
                2,
                parsed.getGraph()
                        .getInput(0)
                        .getType()
                        .getTensorType()
                        .getShape()
                        .getDim(0)
                        .getDimValue());
    }

    @Test
    void aWrongDeclaredShapeFailsWhenOnnxRuntimeLoadsTheModel() {
        OnnxGraphBuilder g = new OnnxGraphBuilder(17, false);
        OnnxValue x = g.input("x", new long[] {1, 4}, 0);
        // claim a (1, 5) output for a Relu of (1, 4)
        OnnxValue wrong =
                g.node(
                        "Relu",
                        java.util.List.of(x),
                        new long[] {1, 5},
                        0,
                        org.fourier4j.onnx.proto.Onnx.TensorProto.DataType.FLOAT);
        g.output(new OnnxOps(g).relu(wrong), "y");
        byte[] bytes = g.build("test", "0", Map.of()).toByteArray();
        OnnxExportException e =
                assertThrows(
                        OnnxExportException.class,
                        () -> OnnxRuntimeSession.open(bytes, 1, true).close());
        assertTrue(e.getMessage().contains("ONNX Runtime cannot load"), e.getMessage());
    }

    @Test
    void opsetOutsideTheSupportedRangeIsRefused() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new OnnxGraphBuilder(16, true));
        assertTrue(e.getMessage().contains("opset must be in [17, 21], got 16"), e.getMessage());
    }
}
