package org.fourier4j.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fourier4j.models.ImageClassifier;
import org.fourier4j.onnx.OnnxExport;
import org.fourier4j.onnx.OnnxExportOptions;
import org.fourier4j.onnx.OnnxRuntimeSession;
import org.fourier4j.onnx.proto.Onnx.ModelProto;
import org.fourier4j.onnx.spectral.ConvMethod;
import org.fourier4j.onnx.spectral.SpectralMethod;

/**
 * The ONNX Runtime side of {@link LatencyWorker}: the model (the same weights as the DJL row) is
 * exported in-process ({@link OnnxExport}, the inference form, batch symbolic, with the given
 * options), loaded into an ONNX Runtime session with the same intra-op thread count as the DJL row,
 * and timed on the same input. Before timing, one ONNX Runtime output is compared with DJL's on
 * that input ({@code max_abs_diff}, {@code max_abs_logit}), so a row shows that both runtimes
 * computed the same thing.
 */
final class OnnxLatency {

    /**
     * The export a user of the papers' PyTorch code gets from {@code torch.onnx.export}: every
     * convolution an ONNX {@code Conv} (large kernels included), Fourier transforms ONNX {@code
     * DFT} nodes.
     */
    static final OnnxExportOptions TORCH_STYLE_EXPORT =
            OnnxExportOptions.builder()
                    .convMethod(ConvMethod.DIRECT)
                    .spectralMethod(SpectralMethod.DFT)
                    .build();

    private OnnxLatency() {}

    static Map<String, Object> run(
            ImageClassifier net,
            NDManager m,
            float[] input,
            Shape shape,
            LatencyWorker.Config c,
            OnnxExportOptions options) {
        Map<String, Object> row = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        byte[] bytes;
        {
            ModelProto onnx = OnnxExport.toModel(net, c.size(), c.size(), options);
            row.put("onnx_nodes", onnx.getGraph().getNodeCount());
            bytes = onnx.toByteArray();
        }
        row.put("export_s", LatencyWorker.round((System.nanoTime() - t0) / 1e9, 2));
        int threads = c.threads() > 0 ? c.threads() : Runtime.getRuntime().availableProcessors();
        NDArray x = m.create(input, shape);
        float[] reference = LatencyWorker.forward(net, new ParameterStore(m, false), x, m);
        try (OnnxRuntimeSession session = OnnxRuntimeSession.open(bytes, threads)) {
            bytes = null; // the session holds the graph now
            System.gc();
            long[] dims = shape.getShape();
            float[] logits = session.run(input, dims).data();
            double diff = 0;
            double max = 0;
            for (int i = 0; i < reference.length; i++) {
                diff = Math.max(diff, Math.abs(reference[i] - logits[i]));
                max = Math.max(max, Math.abs(reference[i]));
            }
            row.put("max_abs_diff", diff);
            row.put("max_abs_logit", LatencyWorker.round(max, 4));
            row.putAll(LatencyWorker.time(() -> session.run(input, dims), c));
        }
        return row;
    }
}
