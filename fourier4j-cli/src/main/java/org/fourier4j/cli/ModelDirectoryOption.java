package org.fourier4j.cli;

import java.nio.file.Path;
import org.fourier4j.inference.LoadedModel;
import org.fourier4j.inference.ModelDirectory;
import picocli.CommandLine.Option;

/** The {@code --checkpoint DIR} of a command that opens one model directory or training run. */
final class ModelDirectoryOption {

    @Option(
            names = "--checkpoint",
            required = true,
            paramLabel = "DIR",
            description = "A model directory or training run.")
    private Path checkpoint;

    /**
     * @return the model, opened (the caller closes it)
     */
    LoadedModel open() {
        return ModelDirectory.open(checkpoint);
    }
}
