package org.fourier4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.fourier4j.fft.EngineArrays;

/**
 * Stochastic depth on a residual branch: in training, each sample's branch output is zeroed with
 * probability {@code rate} and the kept ones are scaled by {@code 1 / (1 - rate)}; identity in
 * inference or when the rate is 0. Works on any (B, ...) array.
 */
public class DropPath extends SameShapeBlock {

    private final float rate;

    /**
     * Creates the block.
     *
     * @param rate the drop probability, in [0, 1)
     */
    public DropPath(float rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("DropPath: rate must be in [0, 1), got " + rate);
        }
        this.rate = rate;
    }

    /**
     * @return the drop probability
     */
    public float getRate() {
        return rate;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        if (!training || rate == 0) {
            return inputs;
        }
        long[] maskShape = new long[x.getShape().dimension()];
        java.util.Arrays.fill(maskShape, 1);
        maskShape[0] = x.getShape().get(0);
        float keep = 1 - rate;
        NDArray mask =
                x.getManager()
                        .randomUniform(0, 1, new Shape(maskShape), x.getDataType())
                        .lt(keep)
                        .toType(x.getDataType(), false);
        return new NDList(x.mul(mask).mul(EngineArrays.scalar(x, 1.0 / keep)));
    }
}
