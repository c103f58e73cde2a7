package org.fourier4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.TruncatedNormalInitializer;
import ai.djl.util.PairList;

/**
 * {@code Conv2d_BN} of FFNet and RepVGG-style models: a bias-free convolution ({@code c}, 'same'
 * padding k/2, weight trunc-normal 0.02) followed by BatchNorm ({@code bn}, gamma 1, beta 0, eps
 * 1e-5) - a training-time form that {@link #fuse} folds into one convolution with bias.
 */
public final class ConvBn extends AbstractBlock {

    static final float EPS = 1e-5f;

    private final Conv2d conv;
    private final BatchNorm bn;
    private final int kernel;

    ConvBn(int outChannels, int kernel, int groups) {
        super((byte) 1);
        this.kernel = kernel;
        conv =
                addChildBlock(
                        "c",
                        Conv2d.builder()
                                .setKernelShape(new Shape(kernel, kernel))
                                .setFilters(outChannels)
                                .optPadding(new Shape(kernel / 2, kernel / 2))
                                .optGroups(groups)
                                .optBias(false)
                                .build());
        conv.setInitializer(new TruncatedNormalInitializer(0.02f), Parameter.Type.WEIGHT);
        bn = addChildBlock("bn", BatchNorm.builder().optEpsilon(EPS).build());
    }

    int kernel() {
        return kernel;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return bn.forward(ps, conv.forward(ps, inputs, training), training);
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        conv.initialize(manager, dataType, inputShapes);
        bn.initialize(manager, dataType, conv.getOutputShapes(inputShapes));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return conv.getOutputShapes(inputShapes);
    }

    /**
     * Returns the convolution equal to this block in inference mode: {@code w' = w gamma / sqrt(var
     * + eps)}, {@code b' = beta - mean gamma / sqrt(var + eps)} (running statistics).
     *
     * @return {weight (out, in/groups, k, k), bias (out)}, new arrays in the parameters' manager
     */
    NDArray[] fuse() {
        NDArray w = conv.getParameters().get("weight").getArray();
        NDArray gamma = bn.getParameters().get("gamma").getArray();
        NDArray beta = bn.getParameters().get("beta").getArray();
        NDArray mean = bn.getParameters().get("runningMean").getArray();
        NDArray var = bn.getParameters().get("runningVar").getArray();
        NDArray scale = gamma.div(var.add(EPS).sqrt());
        NDArray weight = w.mul(scale.reshape(-1, 1, 1, 1));
        NDArray bias = beta.sub(mean.mul(scale));
        scale.close();
        return new NDArray[] {weight, bias};
    }
}
