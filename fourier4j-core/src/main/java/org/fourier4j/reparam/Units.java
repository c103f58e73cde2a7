package org.fourier4j.reparam;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

/** What the units of this package share. */
final class Units {

    private Units() {}

    static void requireInitialized(Block b, String what) {
        if (!b.isInitialized()) {
            throw new IllegalStateException(
                    what + ": initialise the model (and load its weights) before fusing");
        }
    }

    /** Frees the parameters of a training form that fusion replaced. */
    static void closeParameters(Block b) {
        for (Pair<String, Parameter> p : b.getParameters()) {
            p.getValue().close();
        }
    }
}
