package org.fourier4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Arrays;

/**
 * What the channels-first norms ({@link LayerNorm2d}, {@link ChannelNorm}) share: a map (B, C,
 * *spatial) is normalised, then scaled and shifted per channel by {@code weight} (ones) and {@code
 * bias} (zeros), whose size C is taken from the input at initialisation.
 */
abstract class ChannelsFirstNorm extends AbstractBlock {

    private final String name;
    private final Parameter weight;
    private final Parameter bias;

    /**
     * Declares the per-channel {@code weight} and {@code bias}.
     *
     * @param name the name used in error messages
     */
    ChannelsFirstNorm(String name) {
        super((byte) 1);
        this.name = name;
        weight = addParameter(Parameters.normScale());
        bias = addParameter(Parameters.normShift());
    }

    /**
     * Checks an input shape.
     *
     * @param input the shape
     * @return the shape
     * @throws IllegalArgumentException naming the layout the norm expects
     */
    abstract Shape check(Shape input);

    /**
     * Normalises a checked input, before the per-channel affine.
     *
     * @param x (B, C, *spatial)
     * @return the normalised map, same shape
     */
    abstract NDArray normalize(NDArray x);

    @Override
    protected void prepare(Shape[] inputShapes) {
        Shape s = check(BlockInputs.single(name, inputShapes));
        weight.setShape(new Shape(s.get(1)));
        bias.setShape(new Shape(s.get(1)));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Shape s = check(x.getShape());
        long built = weight.getArray().getShape().get(0);
        if (s.get(1) != built) {
            throw new IllegalArgumentException(
                    name + ": built for " + built + " channels, got input " + s);
        }
        long[] affine = new long[s.dimension()];
        Arrays.fill(affine, 1);
        affine[1] = s.get(1);
        NDArray w = perChannel(ps, weight, x, training, new Shape(affine));
        NDArray b = perChannel(ps, bias, x, training, new Shape(affine));
        return new NDList(normalize(x).mul(w).add(b));
    }

    /** The parameter shaped to broadcast over x, in x's memory scope (see {@link BatchScope}). */
    private static NDArray perChannel(
            ParameterStore ps, Parameter p, NDArray x, boolean training, Shape affine) {
        NDArray v = ps.getValue(p, x.getDevice(), training).reshape(affine);
        v.attach(x.getManager());
        return v;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {check(BlockInputs.single(name, inputShapes))};
    }
}
