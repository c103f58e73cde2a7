package org.fourier4j.inference;

import java.util.ArrayList;
import java.util.List;

/**
 * How a set of weights fits a model, as PyTorch's strict loading reports it: parameters the weights
 * lack, tensors the model has no parameter for, and shapes that differ.
 *
 * @param missing fourier4j names of parameters without a tensor
 * @param unexpected names (in the weights' scheme) of tensors without a parameter
 * @param shapes one line per shape mismatch: name, the weights' shape, the model's shape
 */
public record WeightMismatch(List<String> missing, List<String> unexpected, List<String> shapes) {

    /** Copies the lists. */
    public WeightMismatch {
        missing = List.copyOf(missing);
        unexpected = List.copyOf(unexpected);
        shapes = List.copyOf(shapes);
    }

    /**
     * @return whether everything fits
     */
    public boolean isEmpty() {
        return missing.isEmpty() && unexpected.isEmpty() && shapes.isEmpty();
    }

    /**
     * A summary with at most {@code few} names of each kind.
     *
     * @param few how many names of each kind to show
     * @return e.g. {@code 2 missing (stages.0.blocks.0.gamma, ...), 1 unexpected (...)}
     */
    public String summary(int few) {
        List<String> parts = new ArrayList<>();
        add(parts, "missing", missing, few);
        add(parts, "unexpected", unexpected, few);
        add(parts, "with another shape", shapes, few);
        return String.join("; ", parts);
    }

    private static void add(List<String> parts, String what, List<String> names, int few) {
        if (names.isEmpty()) {
            return;
        }
        List<String> shown = names.subList(0, Math.min(few, names.size()));
        parts.add(
                names.size()
                        + " "
                        + what
                        + ": "
                        + String.join(", ", shown)
                        + (names.size() > few ? ", ..." : ""));
    }
}
