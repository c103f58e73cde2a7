package org.fourier4j.plan;

import java.util.Map;
import java.util.TreeMap;

/**
 * What an {@link InferencePlan} is made of: steps by kind, how many batch norms and scales were
 * folded into a neighbouring convolution or linear layer, and which blocks run unchanged (by
 * class).
 */
public final class PlanCensus {

    private final Map<String, Integer> steps = new TreeMap<>();
    private final Map<String, Integer> unchanged = new TreeMap<>();
    private int folded;

    void step(String kind) {
        steps.merge(kind, 1, Integer::sum);
    }

    void unchanged(String blockClass) {
        unchanged.merge(blockClass, 1, Integer::sum);
    }

    void folded(int n) {
        folded += n;
    }

    /**
     * @return the number of steps of each kind
     */
    public Map<String, Integer> steps() {
        return Map.copyOf(steps);
    }

    /**
     * @return the blocks that run as the model runs them, by class, with their number
     */
    public Map<String, Integer> unchangedBlocks() {
        return Map.copyOf(unchanged);
    }

    /**
     * @return the number of affine maps (inference batch norms, layer scales) folded into weights
     */
    public int foldedMaps() {
        return folded;
    }

    @Override
    public String toString() {
        return "steps " + steps + ", folded " + folded + ", unchanged " + unchanged;
    }
}
