package org.fourier4j.onnx;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fourier4j.files.AtomicFiles;
import org.fourier4j.models.ImageClassifier;
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
        return build(block, inputShape, options, options.outputName(), Map.of());
    }

    /**
     * Builds the ONNX model of a zoo model at the image size it was built for (see {@link
     * #toModel(ImageClassifier, int, int, OnnxExportOptions)}).
     *
     * @param model the model, initialised (weights loaded)
     * @param options the options
     * @return the ONNX model
     * @throws OnnxExportException if a block cannot be exported
     */
    public static ModelProto toModel(ImageClassifier model, OnnxExportOptions options) {
        int size = model.options().imageSize();
        return toModel(model, size, size, options);
    }

    /**
     * Builds the ONNX model of a zoo model in its inference form: input {@code input} (N, C, H, W),
     * output {@code logits} (N, classes) unless the options name them otherwise; N is symbolic
     * unless the options fix it. Re-parameterisable units (RepLKNet's, FFNet's) are written as the
     * one convolution each equals, so the graph is the deploy form whether or not {@link
     * org.fourier4j.reparam.Reparameterizer#toInferenceForm} was called; the model is not changed.
     * The metadata names the zoo model ({@code fourier4j.model}, {@code fourier4j.num_classes}),
     * then the options' properties (e.g. the preprocessing and class names of a model directory).
     *
     * @param model the model, initialised (weights loaded)
     * @param height the image height the graph takes (spatial sizes are fixed in the graph)
     * @param width the image width
     * @param options the options
     * @return the ONNX model
     * @throws IllegalArgumentException if the size is not positive
     * @throws OnnxExportException if a block cannot be exported
     */
    public static ModelProto toModel(
            ImageClassifier model, int height, int width, OnnxExportOptions options) {
        if (model == null || options == null) {
            throw new IllegalArgumentException("model and options must not be null");
        }
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException(
                    "image size must be positive, got " + height + "x" + width);
        }
        int batch = options.fixedBatch() > 0 ? options.fixedBatch() : 1;
        Shape input = new Shape(batch, model.options().inChannels(), height, width);
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("fourier4j.model", model.modelName());
        metadata.put("fourier4j.num_classes", Integer.toString(model.options().numClasses()));
        return build(model, input, options, options.outputNameOr("logits"), metadata);
    }

    private static ModelProto build(
            Block block,
            Shape inputShape,
            OnnxExportOptions options,
            String outputName,
            Map<String, String> ownMetadata) {
        if (block == null || inputShape == null || options == null) {
            throw new IllegalArgumentException("block, input shape and options must not be null");
        }
        if (inputShape.dimension() < 1) {
            throw new IllegalArgumentException(
                    "input shape must have a batch axis, got " + inputShape);
        }
        if (options.fixedBatch() > 0 && inputShape.get(0) != options.fixedBatch()) {
            throw new IllegalArgumentException(
                    "the input shape "
                            + inputShape
                            + " does not have the fixed batch "
                            + options.fixedBatch());
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
            graph.output(output, outputName);
            if (options.preLogitsName() != null) {
                if (context.preLogits() == null) {
                    throw new OnnxExportException(
                            "cannot output pre-logits '"
                                    + options.preLogitsName()
                                    + "': "
                                    + block.getClass().getSimpleName()
                                    + " has no classifier head");
                }
                graph.output(context.preLogits(), options.preLogitsName());
            }
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("fourier4j.block", block.getClass().getName());
        metadata.put("fourier4j.input_shape", inputShape.toString());
        metadata.put("fourier4j.dynamic_batch", Boolean.toString(options.dynamicBatch()));
        metadata.put("fourier4j.spectral_method", options.spectralMethod().name());
        metadata.put("fourier4j.conv_method", options.convMethod().name());
        metadata.putAll(ownMetadata);
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
        return write(toModel(block, inputShape, options), out);
    }

    /**
     * Exports a zoo model's inference form at the image size it was built for to an ONNX file (see
     * {@link #toModel(ImageClassifier, int, int, OnnxExportOptions)}).
     *
     * <pre>{@code
     * ImageClassifier model = ModelZoo.create("gfnet-ti", ModelOptions.builder().build());
     * model.initialize(manager, DataType.FLOAT32, model.inputShape()); // then load weights
     * OnnxExport.export(model, OnnxExportOptions.defaults(), Path.of("gfnet-ti.onnx"));
     * }</pre>
     *
     * @param model the model, initialised (weights loaded)
     * @param options the options
     * @param out the .onnx file
     * @return the model written
     * @throws OnnxExportException if a block cannot be exported (nothing is written)
     * @throws IOException if the file cannot be written
     */
    public static ModelProto export(ImageClassifier model, OnnxExportOptions options, Path out)
            throws IOException {
        return write(toModel(model, options), out);
    }

    /**
     * Exports a zoo model's inference form at an image size to an ONNX file.
     *
     * @param model the model, initialised (weights loaded)
     * @param height the image height
     * @param width the image width
     * @param options the options
     * @param out the .onnx file
     * @return the model written
     * @throws OnnxExportException if a block cannot be exported (nothing is written)
     * @throws IOException if the file cannot be written
     */
    public static ModelProto export(
            ImageClassifier model, int height, int width, OnnxExportOptions options, Path out)
            throws IOException {
        return write(toModel(model, height, width, options), out);
    }

    /** Writes beside the target under a temporary name, then moves it in place. */
    private static ModelProto write(ModelProto model, Path out) throws IOException {
        AtomicFiles.write(out, model::writeTo);
        return model;
    }
}
