package org.fourier4j.cli;

import static org.fourier4j.cli.OptionChecks.require;

import picocli.CommandLine.Option;

/** The {@code --threads} of a command that times DJL alone: libtorch's intra-op threads. */
final class EngineThreads {

    @Option(
            names = "--threads",
            paramLabel = "N",
            description = "Intra-op threads of the engine (default: all cores).")
    private Integer threads;

    /**
     * Checks the value and, when one is given, sets it for the engine. Call it before the engine
     * loads: libtorch reads the setting once.
     */
    void apply() {
        if (threads != null) {
            require(threads >= 1, "--threads must be at least 1, got " + threads);
            System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(threads));
        }
    }
}
