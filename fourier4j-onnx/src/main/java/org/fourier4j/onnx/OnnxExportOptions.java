package org.fourier4j.onnx;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fourier4j.onnx.export.ExporterRegistry;
import org.fourier4j.onnx.graph.OnnxGraphBuilder;
import org.fourier4j.onnx.spectral.ConvMethod;
import org.fourier4j.onnx.spectral.SpectralMethod;

/**
 * Options of an ONNX export: opset, batch, how Fourier transforms and FFT convolutions are written,
 * names, metadata and the exporter registry.
 *
 * <pre>{@code
 * OnnxExportOptions options = OnnxExportOptions.builder().opset(17).dynamicBatch(true).build();
 * }</pre>
 */
public final class OnnxExportOptions {

    private final int opset;
    private final boolean dynamicBatch;
    private final int fixedBatch;
    private final SpectralMethod spectralMethod;
    private final ConvMethod convMethod;
    private final String inputName;
    private final String outputName;
    private final String preLogitsName;
    private final String graphName;
    private final Map<String, String> metadata;
    private final ExporterRegistry registry;

    private OnnxExportOptions(Builder b) {
        this.opset = b.opset;
        this.dynamicBatch = b.dynamicBatch;
        this.fixedBatch = b.fixedBatch;
        this.spectralMethod = b.spectralMethod;
        this.convMethod = b.convMethod;
        this.inputName = b.inputName;
        this.outputName = b.outputName;
        this.preLogitsName = b.preLogitsName;
        this.graphName = b.graphName;
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(b.metadata));
        this.registry = b.registry != null ? b.registry : ExporterRegistry.standard();
    }

    /**
     * @return a builder with the defaults (opset 17, dynamic batch, AUTO transforms)
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @return the defaults
     */
    public static OnnxExportOptions defaults() {
        return builder().build();
    }

    /**
     * @return the default-domain opset
     */
    public int opset() {
        return opset;
    }

    /**
     * @return whether the batch axis is symbolic ({@code batch}) instead of the export shape's
     */
    public boolean dynamicBatch() {
        return dynamicBatch;
    }

    /**
     * @return the batch size fixed with {@link Builder#fixedBatch}, or 0 (the batch is symbolic, or
     *     a block export's input shape gives it)
     */
    public int fixedBatch() {
        return fixedBatch;
    }

    /**
     * @return how Fourier transforms of token mixers are written
     */
    public SpectralMethod spectralMethod() {
        return spectralMethod;
    }

    /**
     * @return how FFT convolutions are written
     */
    public ConvMethod convMethod() {
        return convMethod;
    }

    /**
     * @return the graph input's name
     */
    public String inputName() {
        return inputName;
    }

    /**
     * @return the graph output's name ({@code output} unless set)
     */
    public String outputName() {
        return outputName != null ? outputName : "output";
    }

    /** The output's name as set, or the given default (a classifier's is {@code logits}). */
    String outputNameOr(String fallback) {
        return outputName != null ? outputName : fallback;
    }

    /**
     * @return the name of a second graph output holding a classifier's pre-logits (the pooled,
     *     normalised features its final linear layer takes), or null for the logits alone
     */
    public String preLogitsName() {
        return preLogitsName;
    }

    /**
     * @return the graph's name, or null for the block's class name
     */
    public String graphName() {
        return graphName;
    }

    /**
     * @return extra metadata properties, in order
     */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * @return the exporters
     */
    public ExporterRegistry registry() {
        return registry;
    }

    /** Builds {@link OnnxExportOptions}. */
    public static final class Builder {
        private int opset = 17;
        private boolean dynamicBatch = true;
        private int fixedBatch;
        private SpectralMethod spectralMethod = SpectralMethod.AUTO;
        private ConvMethod convMethod = ConvMethod.AUTO;
        private String inputName = "input";
        private String outputName;
        private String preLogitsName;
        private String graphName;
        private final Map<String, String> metadata = new LinkedHashMap<>();
        private ExporterRegistry registry;

        private Builder() {}

        /**
         * Sets the opset (default 17; 17 to 21). From 18 {@code ReduceMean} takes its axes as an
         * input, from 20 {@code DFT} its axis and {@code Gelu} is a standard operator.
         *
         * @param opset the opset
         * @return this builder
         */
        public Builder opset(int opset) {
            if (opset < OnnxGraphBuilder.MIN_OPSET || opset > OnnxGraphBuilder.MAX_OPSET) {
                throw new IllegalArgumentException(
                        "opset must be in ["
                                + OnnxGraphBuilder.MIN_OPSET
                                + ", "
                                + OnnxGraphBuilder.MAX_OPSET
                                + "], got "
                                + opset);
            }
            this.opset = opset;
            return this;
        }

        /**
         * Sets whether the batch axis is symbolic (default) or fixed to the export shape's.
         *
         * @param dynamic true for a symbolic batch
         * @return this builder
         */
        public Builder dynamicBatch(boolean dynamic) {
            this.dynamicBatch = dynamic;
            if (dynamic) {
                this.fixedBatch = 0;
            }
            return this;
        }

        /**
         * Fixes the batch axis to a size ({@code fourier4j export --batch N}): a classifier export
         * takes its input with this batch; a block export's input shape must have it.
         *
         * @param batch the batch size, at least 1
         * @return this builder
         */
        public Builder fixedBatch(int batch) {
            if (batch < 1) {
                throw new IllegalArgumentException(
                        "the fixed batch must be at least 1, got " + batch);
            }
            this.dynamicBatch = false;
            this.fixedBatch = batch;
            return this;
        }

        /**
         * Sets how token mixers' Fourier transforms are written (default AUTO).
         *
         * @param method AUTO, MATMUL or DFT
         * @return this builder
         */
        public Builder spectralMethod(SpectralMethod method) {
            this.spectralMethod = require(method, "spectral method");
            return this;
        }

        /**
         * Sets how FFT convolutions are written (default AUTO).
         *
         * @param method AUTO, DIRECT, MATMUL or DFT
         * @return this builder
         */
        public Builder convMethod(ConvMethod method) {
            this.convMethod = require(method, "conv method");
            return this;
        }

        /**
         * @param name the graph input's name (default {@code input})
         * @return this builder
         */
        public Builder inputName(String name) {
            this.inputName = require(name, "input name");
            return this;
        }

        /**
         * @param name the graph output's name (default {@code output}, for a classifier {@code
         *     logits})
         * @return this builder
         */
        public Builder outputName(String name) {
            this.outputName = require(name, "output name");
            return this;
        }

        /**
         * Adds a second output: a classifier's pre-logits (B, D), the features DJL's feature
         * translator and retrieval use, beside the logits.
         *
         * @param name the output's name, e.g. {@code pre_logits}
         * @return this builder
         */
        public Builder preLogitsName(String name) {
            this.preLogitsName = require(name, "pre-logits output name");
            return this;
        }

        /**
         * @param name the graph's name (default: the block's class name)
         * @return this builder
         */
        public Builder graphName(String name) {
            this.graphName = name;
            return this;
        }

        /**
         * Adds a metadata property (written after fourier4j's own).
         *
         * @param key the key
         * @param value the value
         * @return this builder
         */
        public Builder metadata(String key, String value) {
            metadata.put(require(key, "metadata key"), require(value, "metadata value"));
            return this;
        }

        /**
         * Sets the exporters (default {@link ExporterRegistry#standard()}).
         *
         * @param registry the registry
         * @return this builder
         */
        public Builder registry(ExporterRegistry registry) {
            this.registry = require(registry, "registry");
            return this;
        }

        /**
         * @return the options
         */
        public OnnxExportOptions build() {
            if (inputName.equals(outputName)
                    || (outputName == null
                            && (inputName.equals("output") || inputName.equals("logits")))) {
                throw new IllegalArgumentException(
                        "input and output names must differ, both are " + inputName);
            }
            return new OnnxExportOptions(this);
        }

        private static <T> T require(T value, String what) {
            if (value == null) {
                throw new IllegalArgumentException(what + " must not be null");
            }
            return value;
        }
    }
}
