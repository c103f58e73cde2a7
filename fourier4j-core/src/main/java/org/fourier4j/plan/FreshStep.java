package org.fourier4j.plan;

/**
 * A step whose output is always a new array, never its input or a view of it, so the next step may
 * update it in place (a residual sum, say).
 */
interface FreshStep extends Step {

    @Override
    default boolean fresh() {
        return true;
    }
}
