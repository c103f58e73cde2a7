package org.fourier4j.reparam;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.fourier4j.nn.FftConv2d;

/**
 * A batch norm, then a 1x1 convolution without bias: FFNet's {@code BN_Conv2d} (children {@code
 * bn}, {@code c}; ysj9909/FFNet, {@code models/ffnet.py}), the branch of its {@code
 * Conv2d_BN_skip}. In inference it is one 1x1 convolution with bias ({@link
 * BatchNormFolding#beforeConv}).
 */
public final class BnConv extends ConvUnit implements ConvBranch {

    private final BatchNorm bn;
    private final FftConv2d conv;

    /**
     * Creates the unit with PyTorch's batch norm epsilon.
     *
     * @param filters output channels
     * @param bnName the batch norm's name ({@code bn})
     * @param convName the convolution's name ({@code c})
     */
    public BnConv(int filters, String bnName, String convName) {
        super(ConvSpec.of(filters, 1));
        this.bn = addChildBlock(bnName, BatchNormFolding.batchNorm());
        this.conv = addChildBlock(convName, spec().conv(false));
    }

    @Override
    public ConvWeights equivalentConv() {
        Units.requireInitialized(this, "BnConv");
        return BatchNormFolding.beforeConv(
                bn, BatchNormFolding.BN_EPS, conv.getParameters().get("weight").getArray());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return conv.forward(ps, bn.forward(ps, inputs, training), training);
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        bn.initialize(manager, dataType, inputShapes);
        conv.initialize(manager, dataType, inputShapes);
    }
}
