package org.fourier4j.inference.djl;

import ai.djl.Model;
import ai.djl.nn.Block;
import ai.djl.nn.BlockFactory;
import java.nio.file.Path;
import java.util.Map;
import org.fourier4j.inference.LoadedModel;
import org.fourier4j.inference.ModelDirectory;

/**
 * DJL's way into a model directory: {@code serving.properties} names this factory, so {@code
 * Criteria.builder().optModelPath(dir)} builds the zoo model the card describes, with its weights,
 * in the DJL model's manager.
 */
public final class Fourier4jBlockFactory implements BlockFactory {

    private static final long serialVersionUID = 1L;

    @Override
    public Block newBlock(Model model, Path modelPath, Map<String, ?> arguments) {
        LoadedModel loaded =
                ModelDirectory.open(
                        modelPath, ModelDirectory.OpenOptions.defaults(), model.getNDManager());
        return new InferenceBlock(loaded.model(), loaded.card().engineIdentity());
    }
}
