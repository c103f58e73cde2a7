package org.fourier4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * CAS-ViT's {@code SpatialOperation} (official {@code classification/model/rcvit.py} of
 * Tianfang-Zhang/CAS-ViT) on (B, C, H, W): {@code x * sigmoid(block(x))}, {@code block} = {@code 0}
 * a 3x3 depthwise conv with bias, {@code 1} BatchNorm, {@code 2} ReLU, {@code 3} a 1x1 conv C to 1
 * without bias: one (B, 1, H, W) gate shared by all channels. (The official {@code block.4} is the
 * sigmoid, applied here after the block.)
 *
 * <p>Convolutions have PyTorch's default init (as the paper's code leaves them). As in that code
 * the depthwise conv before the BatchNorm has a bias; in training mode BatchNorm removes it again
 * (its gradient is zero), in inference mode it shifts the normalised value. It is kept so that
 * weights map one to one.
 */
public final class SpatialOperation extends SameShapeBlock {

    private final Sequence block;

    /**
     * Creates the operation.
     *
     * @param channels C
     */
    public SpatialOperation(int channels) {
        super((byte) 1);
        Conv2d dw = AdditiveTokenMixer.conv(channels, 3, channels, true);
        dw.setInitializer(Initializers.torchDefaultBias(9), Parameter.Type.BIAS);
        block =
                addChildBlock(
                        "block",
                        Sequence.of(
                                dw,
                                BatchNorm.builder().optEpsilon(1e-5f).build(),
                                Act.relu(),
                                AdditiveTokenMixer.conv(1, 1, 1, false)));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray gate = block.forward(ps, inputs, training).head();
        return new NDList(inputs.head().mul(Activation.sigmoid(gate)));
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        block.initialize(manager, dataType, inputShapes);
    }
}
