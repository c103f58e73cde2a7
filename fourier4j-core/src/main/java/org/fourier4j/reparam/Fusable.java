package org.fourier4j.reparam;

/**
 * A unit with a training form (parallel branches, batch norms) and an equal inference form (one
 * convolution with bias), that turns itself into the latter in place: it keeps its position and
 * name in its parent, only its own children change, so the model's parameter names become those of
 * the official deploy form. Equal in inference mode (running statistics), up to rounding. {@link
 * Reparameterizer#toInferenceForm} fuses every such unit of a model.
 */
public interface Fusable {

    /**
     * Turns the unit into its inference form. The unit must be initialised; its training-form
     * parameters are closed.
     *
     * @return false if it already was in inference form (nothing changed)
     * @throws IllegalStateException if the unit is not initialised
     */
    boolean fuse();

    /**
     * @return whether the unit is in its inference form
     */
    boolean isFused();
}
