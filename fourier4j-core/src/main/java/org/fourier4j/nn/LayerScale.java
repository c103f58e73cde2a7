package org.fourier4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;

/**
 * A learnable per-channel scale {@code gamma} on a residual branch (CaiT, ConvNeXt), initialised to
 * a small constant. The channel axis is the last one for token layouts (B, N, C) and (B, H, W, C),
 * or axis 1 for channels-first maps (B, C, H, W).
 */
public class LayerScale extends SameShapeBlock {

    private final boolean channelsFirst;
    private final boolean mapShaped;
    private final Parameter gamma;

    /**
     * Creates the block.
     *
     * @param init the initial value of every gamma (ConvNeXt: 1e-6)
     * @param channelsFirst whether the channel axis is 1 (else the last axis)
     */
    public LayerScale(float init, boolean channelsFirst) {
        this(init, channelsFirst, "gamma", false);
    }

    /**
     * Creates the block with another parameter name (the MetaFormer baselines' {@code Scale} calls
     * it {@code scale}).
     *
     * @param parameterName the parameter's name
     * @param init the initial value of every entry
     * @param channelsFirst whether the channel axis is 1 (else the last axis)
     */
    public LayerScale(String parameterName, float init, boolean channelsFirst) {
        this(init, channelsFirst, parameterName, false);
    }

    private LayerScale(float init, boolean channelsFirst, String name, boolean mapShaped) {
        this.channelsFirst = channelsFirst;
        this.mapShaped = mapShaped;
        gamma =
                addParameter(
                        Parameter.builder()
                                .setName(name)
                                .setType(Parameter.Type.GAMMA)
                                .optInitializer(new ConstantInitializer(init))
                                .build());
    }

    /**
     * A scale on channels-first maps (B, C, H, W) stored as the papers' code stores it, a (C, 1, 1)
     * parameter with its own name ({@code nn.Parameter(init * torch.ones(dim, 1, 1))}, e.g. FFNet's
     * {@code layer_scale}), so that weights load without reshaping.
     *
     * @param name the parameter's name
     * @param init the initial value
     * @return the block
     */
    public static LayerScale ofMaps(String name, float init) {
        return new LayerScale(init, true, name, true);
    }

    /**
     * @return the name of the scale parameter ({@code gamma} unless built with another)
     */
    public String parameterName() {
        return gamma.getName();
    }

    /**
     * @return whether the channel axis is 1 (else the last axis)
     */
    public boolean isChannelsFirst() {
        return channelsFirst;
    }

    /**
     * @return the scale parameter
     */
    public Parameter gamma() {
        return gamma;
    }

    private int channelAxis(Shape s) {
        return channelsFirst ? 1 : s.dimension() - 1;
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        long c = s.get(channelAxis(s));
        gamma.setShape(mapShaped ? new Shape(c, 1, 1) : new Shape(c));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Shape s = x.getShape();
        int axis = channelAxis(s);
        long[] view = new long[s.dimension()];
        java.util.Arrays.fill(view, 1);
        view[axis] = s.get(axis);
        NDArray g = ps.getValue(gamma, x.getDevice(), training);
        if (g.getShape().get(0) != s.get(axis)) {
            throw new IllegalArgumentException(
                    "LayerScale: built for " + g.getShape().get(0) + " channels, got input " + s);
        }
        NDArray scale = g.reshape(new Shape(view));
        scale.attach(
                x.getManager()); // a parameter's view would otherwise live as long as the model
        return new NDList(x.mul(scale));
    }
}
