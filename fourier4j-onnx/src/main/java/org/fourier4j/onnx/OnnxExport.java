package org.fourier4j.onnx;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fourier4j.onnx.export.ExportContext;
import org.fourier4j.onnx.graph.OnnxGraphBuilder;
import org.fourier4j.onnx.graph.OnnxValue;
import org.fourier4j.onnx.proto.Onnx.ModelProto;

/**
 * Exports a DJL block tree to ONNX: every block is written by the exporter registered for its class
 * (see {@link org.fourier4j.onnx.export.ExporterRegistry}), Fourier layers in standard operators.
 * The graph has one float input and one output; spatial sizes are those of the given input shape,
 * the batch is symbolic unless the options fix it.
 *
 * <pre>{@code
 * Block model = ...; // initialised
 * OnnxExport.export(model, new Shape(1, 3, 224, 224), OnnxExportOptions.defaults(), Path.of("model.onnx"));
 * }</pre>
 *
 * The file is written only when the whole graph could be built: a block that cannot be exported
 * throws an {@link OnnxExportException} naming its path and class, and nothing is written.
 */
public final class OnnxExport {

    /** The version written as the producer version. */
    public static final String PRODUCER_VERSION = "0.1.0";

    private OnnxExport() {}

    /**
     * Builds the ONNX model of a block.
     *
     * @param block the block, initialised, in inference mode semantics
     * @param inputShape the input shape (batch first)
     * @param options the options
     * @return the model
     * @throws OnnxExportException if a block cannot be exported
     */
    public static ModelProto toModel(Block block, Shape inputShape, OnnxExportOptions options) {
        if (block == null || inputShape == null || options == null) {
            throw new IllegalArgumentException("block, input shape and options must not be null");
        }
        if (inputShape.dimension() < 1) {
            throw new IllegalArgumentException(
                    "input shape must have a batch axis, got " + inputShape);
        }
        for (long d : inputShape.getShape()) {
            if (d < 1) {
                throw new IllegalArgumentException(
                        "input shape must be fully known, got " + inputShape);
            }
        }
        if (!block.isInitialized()) {
            throw new OnnxExportException(
                    "cannot export "
                            + block.getClass().getSimpleName()
                            + ": initialise the block first");
        }
        OnnxGraphBuilder graph = new OnnxGraphBuilder(options.opset(), options.dynamicBatch());
        try (NDManager manager = NDManager.newBaseManager()) {
            ExportContext context = new ExportContext(graph, options, manager);
            OnnxValue input = graph.input(options.inputName(), inputShape.getShape(), 0);
            OnnxValue output = context.export(block, "", input);
            graph.output(output, options.outputName());
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("fourier4j.block", block.getClass().getName());
        metadata.put("fourier4j.input_shape", inputShape.toString());
        metadata.put("fourier4j.dynamic_batch", Boolean.toString(options.dynamicBatch()));
        metadata.put("fourier4j.spectral_method", options.spectralMethod().name());
        metadata.put("fourier4j.conv_method", options.convMethod().name());
        metadata.putAll(options.metadata());
        String name =
                options.graphName() != null
                        ? options.graphName()
                        : block.getClass().getSimpleName();
        return graph.build(name, PRODUCER_VERSION, metadata);
    }

    /**
     * Exports a block to an ONNX file. The file appears only once complete (written beside it under
     * a temporary name, then moved).
     *
     * @param block the block, initialised
     * @param inputShape the input shape (batch first)
     * @param options the options
     * @param out the .onnx file
     * @return the model written
     * @throws OnnxExportException if a block cannot be exported (nothing is written)
     * @throws IOException if the file cannot be written
     */
    public static ModelProto export(
            Block block, Shape inputShape, OnnxExportOptions options, Path out) throws IOException {
        ModelProto model = toModel(block, inputShape, options);
        Path target = out.toAbsolutePath();
        Path dir = target.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Path tmp = Files.createTempFile(dir, target.getFileName().toString(), ".part");
        try {
            Files.write(tmp, model.toByteArray());
            Files.move(
                    tmp,
                    target,
                    StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return model;
    }
}
