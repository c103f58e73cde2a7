package org.fourier4j.reparam;

import ai.djl.nn.Block;

/**
 * A branch of a {@link MultiBranchConv}: a block that is, in inference, one convolution with bias
 * ({@link ConvBn}, {@link BnConv}).
 */
public interface ConvBranch extends Block {

    /**
     * @return the geometry of the equal convolution
     */
    ConvSpec spec();

    /**
     * The equal convolution, from the branch's parameters and running statistics.
     *
     * @return new detached arrays in the parameters' manager
     * @throws IllegalStateException if the branch is not initialised
     */
    ConvWeights equivalentConv();
}
