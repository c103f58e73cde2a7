package org.fourier4j.models;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

/** Counts of a model's parameters. */
public final class ModelStats {

    private ModelStats() {}

    /**
     * Returns the number of learnable parameters: every parameter except batch-norm running
     * statistics (buffers in PyTorch, parameters in DJL), as papers count them.
     *
     * @param block an initialised block
     * @return the parameter count
     */
    public static long parameterCount(Block block) {
        long n = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            Parameter.Type t = p.getValue().getType();
            if (t == Parameter.Type.RUNNING_MEAN || t == Parameter.Type.RUNNING_VAR) {
                continue;
            }
            if (!p.getValue().isInitialized()) {
                throw new IllegalStateException(
                        "parameterCount: initialise the block first (" + p.getKey() + ")");
            }
            n += p.getValue().getArray().getShape().size();
        }
        return n;
    }
}
