package org.fourier4j.fft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** Ownership moves between managers (axis-wise slicing and padding are in {@link Axes}). */
final class ArrayOps {

    private ArrayOps() {}

    /**
     * Moves an operation's result into {@code scope}, so that it is freed when the scope closes.
     * Results belong to their first operand's manager; the first operation on a caller's array
     * (input, weight, bias) would otherwise leave its result in the caller's manager.
     */
    static NDArray own(NDManager scope, NDArray result) {
        result.attach(scope);
        return result;
    }
}
