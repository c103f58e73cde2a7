package org.fourier4j.onnx.export;

import ai.djl.nn.Block;
import org.fourier4j.onnx.graph.OnnxValue;

/**
 * Writes one block class's inference-mode forward pass into an ONNX graph. Registered in an {@link
 * ExporterRegistry} under the block's class; composite blocks export their children through {@link
 * ExportContext#child}, which looks their exporters up in the same registry.
 *
 * <p>Contract: the nodes added compute what {@code block.forward(..., training = false)} computes
 * for inputs of the shape of {@code input} (any batch size when the batch is dynamic: never fix the
 * batch in a reshape, use {@link org.fourier4j.onnx.graph.OnnxOps#BATCH}); a configuration that
 * cannot be expressed throws {@link ExportContext#unsupported}.
 *
 * @param <B> the block class
 */
@FunctionalInterface
public interface BlockExporter<B extends Block> {

    /**
     * Adds the block's computation.
     *
     * @param context the export in progress (graph, options, registry, the block's path)
     * @param block the block, initialised
     * @param input its input
     * @return its output
     */
    OnnxValue export(ExportContext context, B block, OnnxValue input);
}
