package org.fourier4j.cli;

import org.fourier4j.inference.engine.EngineChoice;
import picocli.CommandLine.Option;

/** The {@code --engine} of a command that runs a model for inference. */
final class EngineOption {

    @Option(
            names = "--engine",
            paramLabel = "djl|auto|onnxruntime",
            description =
                    "What computes the outputs: djl (fourier4j's inference plan), onnxruntime (the"
                            + " model exported to ONNX in memory) or auto (the faster of the two"
                            + " for this model, image size and batch, timed on first use and kept"
                            + " in ~/.fourier4j/engine-choice.properties). Default: the system"
                            + " property fourier4j.engine, else auto.")
    private String engine;

    /**
     * Checks the choice and makes it this process's ({@link EngineChoice#PROPERTY}), before any
     * model is opened.
     *
     * @throws IllegalArgumentException naming the option, the value and the choices
     */
    void apply() {
        if (engine == null) {
            return;
        }
        if (!EngineChoice.choices().contains(engine)) {
            throw new IllegalArgumentException(
                    "--engine must be one of " + EngineChoice.choices() + ", got '" + engine + "'");
        }
        System.setProperty(EngineChoice.PROPERTY, engine);
    }
}
