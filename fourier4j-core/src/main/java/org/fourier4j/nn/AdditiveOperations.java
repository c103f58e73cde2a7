package org.fourier4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.fourier4j.fft.EngineArrays;

/**
 * CAS-ViT's {@code SpatialOperation} followed by {@code ChannelOperation} on (B, C, H, W):
 *
 * <ul>
 *   <li>spatial: {@code z = x * sigmoid(spatial_proj(ReLU(spatial_bn(spatial_dw(x)))))} - a 3x3
 *       depthwise conv with bias, BatchNorm, ReLU and a 1x1 conv C to 1 without bias: one (B, 1, H,
 *       W) gate shared by all channels;
 *   <li>channel: {@code z * sigmoid(channel_proj(mean_HW(z)))} - a 1x1 conv C to C without bias on
 *       the global average: a (B, C, 1, 1) gate.
 * </ul>
 *
 * Convolutions have PyTorch's default init (as the paper's code leaves them). As in that code the
 * depthwise conv before the BatchNorm has a bias; in training mode BatchNorm removes it again (its
 * gradient is zero), in inference mode it shifts the normalised value. It is kept so that weights
 * map one to one.
 */
public final class AdditiveOperations extends AbstractBlock {

    private final Conv2d spatialDw;
    private final BatchNorm spatialBn;
    private final Conv2d spatialProj;
    private final Conv2d channelProj;

    AdditiveOperations(int channels) {
        super((byte) 1);
        spatialDw = addChildBlock("spatial_dw", conv(channels, 3, channels, true));
        spatialBn = addChildBlock("spatial_bn", BatchNorm.builder().optEpsilon(1e-5f).build());
        spatialProj = addChildBlock("spatial_proj", conv(1, 1, 1, false));
        channelProj = addChildBlock("channel_proj", conv(channels, 1, 1, false));
        spatialDw.setInitializer(Initializers.torchDefaultBias(9), Parameter.Type.BIAS);
    }

    /** A 'same' convolution with PyTorch's default init. */
    static Conv2d conv(int filters, int kernel, int groups, boolean bias) {
        Conv2d c =
                Conv2d.builder()
                        .setKernelShape(new Shape(kernel, kernel))
                        .setFilters(filters)
                        .optPadding(new Shape(kernel / 2, kernel / 2))
                        .optGroups(groups)
                        .optBias(bias)
                        .build();
        c.setInitializer(Initializers.torchDefaultWeight(), Parameter.Type.WEIGHT);
        return c;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.head();
        NDList s = spatialDw.forward(ps, inputs, training);
        s = spatialBn.forward(ps, s, training);
        s = spatialProj.forward(ps, new NDList(Activation.relu(s.head())), training);
        NDArray z = x.mul(Activation.sigmoid(s.head()));
        long pixels = x.getShape().get(2) * x.getShape().get(3);
        NDArray pooled = z.sum(new int[] {2, 3}, true).mul(EngineArrays.scalar(z, 1.0 / pixels));
        NDArray gate = channelProj.forward(ps, new NDList(pooled), training).head();
        return new NDList(z.mul(Activation.sigmoid(gate)));
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        spatialDw.initialize(manager, dataType, s);
        spatialBn.initialize(manager, dataType, s);
        spatialProj.initialize(manager, dataType, s);
        channelProj.initialize(manager, dataType, new Shape(s.get(0), s.get(1), 1, 1));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
