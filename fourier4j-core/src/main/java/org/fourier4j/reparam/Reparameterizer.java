package org.fourier4j.reparam;

import ai.djl.nn.Block;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns any model into its inference form by fusing every {@link Fusable} unit in place (RepLKNet's
 * large-kernel units, FFNet's {@code Conv2d_BN}, {@code RepVGGDW}, {@code Conv2d_BN_skip} and
 * FFNified attention): the structural re-parameterisation of RepVGG/RepLKNet, as the official
 * {@code structural_reparam()} (DingXiaoH/RepLKNet-pytorch) and {@code replace_batchnorm}
 * (ysj9909/FFNet, {@code export_model.py}) do. Blocks that are not fusable are left as they are
 * (RepLKNet's other conv-BN pairs, which its deploy form keeps). Call it after training or loading
 * and before inference; it is idempotent.
 *
 * <pre>{@code
 * model.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 224, 224));
 * // ... load or train the training form ...
 * int fused = Reparameterizer.toInferenceForm(model);
 * }</pre>
 */
public final class Reparameterizer {

    private Reparameterizer() {}

    /**
     * Fuses every fusable unit of a block tree.
     *
     * @param model an initialised block (a model or any part of one)
     * @return the number of units fused now (0 if it already was in inference form)
     * @throws IllegalStateException if the block is not initialised
     */
    public static int toInferenceForm(Block model) {
        if (!model.isInitialized()) {
            throw new IllegalStateException(
                    "Reparameterizer: initialise the model (and load its weights) before fusing");
        }
        int n = 0;
        for (Fusable f : units(model)) {
            n += f.fuse() ? 1 : 0;
        }
        return n;
    }

    /**
     * @param model a block tree
     * @return whether every fusable unit in it is fused (true if there are none)
     */
    public static boolean isInferenceForm(Block model) {
        return units(model).stream().allMatch(Fusable::isFused);
    }

    /**
     * The fusable units of a block tree, outermost first (a fusable unit's own children are not
     * searched: the unit fuses them).
     *
     * @param model a block tree
     * @return the units, in the order of the tree
     */
    public static List<Fusable> units(Block model) {
        List<Fusable> out = new ArrayList<>();
        collect(model, out);
        return out;
    }

    private static void collect(Block b, List<Fusable> out) {
        if (b instanceof Fusable) {
            out.add((Fusable) b);
            return;
        }
        for (Block child : b.getChildren().values()) {
            collect(child, out);
        }
    }
}
