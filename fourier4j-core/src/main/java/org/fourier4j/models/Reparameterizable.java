package org.fourier4j.models;

/**
 * A model with a training form of parallel branches (convolutions with batch norm, small and large
 * kernels) and an equivalent inference form, one convolution per unit, that {@link
 * #reparameterize()} converts it into in place.
 */
public interface Reparameterizable {

    /**
     * Converts the model in place into its inference form; exact in inference mode. Call after
     * training or loading, before inference.
     *
     * @return the number of units fused (0 if already in inference form)
     */
    int reparameterize();
}
