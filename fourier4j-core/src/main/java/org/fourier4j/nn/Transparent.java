package org.fourier4j.nn;

/**
 * A container whose children are named as if they were its parent's own, in {@link ParameterNames}:
 * a {@link Residual} unit groups {@code norm1}, {@code attn} and {@code ls1} of a transformer block
 * without adding a level to their names, as the papers' code has none.
 */
public interface Transparent {}
