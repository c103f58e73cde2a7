package org.fourier4j.fft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Constants made from Java data, in memory the engine owns.
 *
 * <p>DJL's PyTorch engine wraps Java data without copying ({@code torch::from_blob} over a direct
 * buffer that only the Java array object keeps alive). A view of such an array, or a tensor that
 * autograd saved for the backward pass, can outlive that object - once it is closed or collected,
 * the garbage collector frees the buffer and the engine reads whatever reuses the memory. This was
 * measured: a complex constant built by {@code view_as_complex} of a closed Java-backed array gave
 * wrong gradients whenever a collection ran between forward and backward. Copying into an engine
 * allocation makes the constant's lifetime the engine's (reference-counted) business.
 *
 * <p>The same trap hides in DJL's scalar overloads: {@code x.mul(2.0)}, {@code div}, {@code pow},
 * {@code maximum} and {@code minimum} with a {@code Number} wrap the number in a Java-backed array,
 * apply the tensor operation and close the array at once - but autograd keeps that operand for the
 * backward pass of products, quotients and powers. Inside a forward pass, multiply by {@link
 * #scalar} instead.
 */
public final class EngineArrays {

    private EngineArrays() {}

    /**
     * Returns an engine-owned scalar of the real precision of {@code like} (float32 for float32 and
     * complex64 data, else float64), in its manager: safe as an operand autograd keeps.
     *
     * @param like the array the scalar will meet
     * @param value the value
     * @return an array of shape () holding {@code value}
     */
    public static NDArray scalar(NDArray like, double value) {
        DataType t = like.getDataType();
        DataType real =
                t == DataType.FLOAT32 || t == DataType.COMPLEX64
                        ? DataType.FLOAT32
                        : DataType.FLOAT64;
        // ones() is engine memory; the product with the (Java-backed) number records no graph
        // because neither side needs a gradient, so nothing keeps the number
        NDArray one = like.getManager().ones(new Shape(), real);
        NDArray v = one.mul(value);
        one.close();
        return v;
    }

    /**
     * Returns an engine-owned array holding {@code values}.
     *
     * @param manager the manager of the result
     * @param values row-major values
     * @param shape the shape; its size must equal {@code values.length}
     * @param type FLOAT32 or FLOAT64
     * @return the array, no gradient
     */
    public static NDArray of(NDManager manager, double[] values, Shape shape, DataType type) {
        NDArray javaBacked = manager.create(values, shape);
        // toType converts (a new allocation); for float64 duplicate() clones
        NDArray owned =
                type == DataType.FLOAT64 ? javaBacked.duplicate() : javaBacked.toType(type, true);
        javaBacked.close();
        return owned;
    }
}
