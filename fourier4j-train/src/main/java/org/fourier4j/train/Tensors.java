package org.fourier4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/**
 * Exact in-place copies between arrays.
 *
 * <p>DJL's {@code NDArray.set(Buffer)} (and {@code copyTo}, which uses it) does not copy into the
 * array on the PyTorch engine: it swaps the tensor's storage for the Java buffer's memory. A
 * parameter loaded that way lives in a Java direct buffer from then on, with whatever alignment
 * that buffer had, and the math libraries' results depend on alignment in the last bits: a resumed
 * run drifted from an uninterrupted one. {@link #copy} writes into the array's own storage instead
 * (an indexed assignment over the whole array), bit for bit.
 */
public final class Tensors {

    private static final NDIndex ALL = new NDIndex("...");

    private Tensors() {}

    /**
     * Copies {@code src} into {@code dst}'s own memory.
     *
     * @param src the values
     * @param dst the array to overwrite (keeps its storage, manager and gradient flag)
     */
    public static void copy(NDArray src, NDArray dst) {
        if (!src.getShape().equals(dst.getShape()) || src.getDataType() != dst.getDataType()) {
            throw new IllegalArgumentException(
                    "cannot copy "
                            + src.getDataType()
                            + src.getShape()
                            + " into "
                            + dst.getDataType()
                            + dst.getShape());
        }
        dst.set(ALL, src);
    }
}
