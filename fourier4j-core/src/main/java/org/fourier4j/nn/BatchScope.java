package org.fourier4j.nn;

import ai.djl.ndarray.NDArray;

/**
 * Keeps parameter-derived intermediates in the batch's memory scope.
 *
 * <p>An operation's result belongs to its first operand's manager. The first operation on a
 * parameter would put its result (and everything computed from it) in the model's long-lived
 * manager, growing native memory every training step. {@link #adopt} makes a view of the parameter
 * that lives in the batch's manager; the view stays in the autograd graph.
 */
final class BatchScope {

    private BatchScope() {}

    /**
     * Returns a view of {@code parameter} owned by {@code batch}'s manager.
     *
     * @param parameter a parameter array (or any long-lived array)
     * @param batch an array of the current batch
     * @return a view of the parameter, same shape, freed with the batch's manager
     */
    static NDArray adopt(NDArray parameter, NDArray batch) {
        return adopt(parameter, batch.getManager());
    }

    /**
     * Returns a view of {@code parameter} owned by {@code scope}.
     *
     * @param parameter a parameter array (or any long-lived array)
     * @param scope the manager that frees the view
     * @return a view of the parameter, same shape
     */
    static NDArray adopt(NDArray parameter, ai.djl.ndarray.NDManager scope) {
        NDArray view = parameter.reshape(parameter.getShape());
        view.attach(scope);
        return view;
    }
}
