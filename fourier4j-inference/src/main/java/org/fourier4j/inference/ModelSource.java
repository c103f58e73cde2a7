package org.fourier4j.inference;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;

/**
 * Another kind of directory that holds a model, found with {@link java.util.ServiceLoader}: the
 * training module registers one for training runs written before runs carried a {@code model.json},
 * so that {@link ModelDirectory#open} reads them too when it is on the class path.
 */
public interface ModelSource {

    /**
     * @param path a directory or file given by the user
     * @return whether this source reads it
     */
    boolean accepts(Path path);

    /**
     * Opens the model.
     *
     * @param path the directory or file
     * @param options how to open it
     * @param manager the manager the model's arrays go to (closed by {@link LoadedModel#close})
     * @return the model, ready for inference
     */
    LoadedModel open(Path path, ModelDirectory.OpenOptions options, NDManager manager);
}
