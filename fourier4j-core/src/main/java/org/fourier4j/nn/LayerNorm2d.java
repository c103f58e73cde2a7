package org.fourier4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

/**
 * Layer normalisation over the channel axis of a channels-first map (B, C, *spatial), as ConvNeXt's
 * {@code LayerNorm(data_format="channels_first")} and timm's {@code LayerNorm2d}: per position,
 * {@code (x - mean_c) / sqrt(var_c + eps)} with the biased variance, then a per-channel affine
 * {@code weight} (C), {@code bias} (C). DJL's {@code LayerNorm} normalises trailing axes only, so
 * it cannot do this on NCHW.
 *
 * <p>Named as timm names it. Not to be confused with ml-cvnets' {@code layer_norm_2d} (AFFNet's
 * code), which is GroupNorm with one group over (C, H, W): {@link ChannelNorm.Kind#GROUP_NORM_1}.
 */
public class LayerNorm2d extends AbstractBlock {

    private final float eps;
    private final Parameter weight;
    private final Parameter bias;

    /**
     * Creates the norm.
     *
     * @param eps added to the variance (ConvNeXt: 1e-6)
     */
    public LayerNorm2d(float eps) {
        this.eps = eps;
        weight =
                addParameter(
                        Parameter.builder()
                                .setName("weight")
                                .setType(Parameter.Type.GAMMA)
                                .optInitializer(Initializer.ONES)
                                .build());
        bias =
                addParameter(
                        Parameter.builder()
                                .setName("bias")
                                .setType(Parameter.Type.BETA)
                                .optInitializer(Initializer.ZEROS)
                                .build());
    }

    /**
     * @return the epsilon added to the variance
     */
    public float eps() {
        return eps;
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        Shape s = check(inputShapes[0]);
        weight.setShape(new Shape(s.get(1)));
        bias.setShape(new Shape(s.get(1)));
    }

    private static Shape check(Shape s) {
        if (s.dimension() < 3) {
            throw new IllegalArgumentException(
                    "LayerNorm2d: expected a channels-first map (B, C, *spatial), got " + s);
        }
        return s;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Shape s = check(x.getShape());
        if (s.get(1) != weight.getArray().getShape().get(0)) {
            throw new IllegalArgumentException(
                    "LayerNorm2d: built for "
                            + weight.getArray().getShape().get(0)
                            + " channels, got input "
                            + s);
        }
        long[] affine = new long[s.dimension()];
        java.util.Arrays.fill(affine, 1);
        affine[1] = s.get(1);
        NDArray centered = x.sub(x.mean(new int[] {1}, true));
        NDArray var = centered.square().mean(new int[] {1}, true);
        NDArray w = ps.getValue(weight, x.getDevice(), training).reshape(new Shape(affine));
        NDArray b = ps.getValue(bias, x.getDevice(), training).reshape(new Shape(affine));
        w.attach(x.getManager());
        b.attach(x.getManager());
        return new NDList(centered.div(var.add(eps).sqrt()).mul(w).add(b));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {check(inputShapes[0])};
    }

    @Override
    protected void initializeChildBlocks(
            ai.djl.ndarray.NDManager manager, DataType dataType, Shape... inputShapes) {
        // no children
    }
}
