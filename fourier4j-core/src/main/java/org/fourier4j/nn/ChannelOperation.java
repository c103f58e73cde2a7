package org.fourier4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.fourier4j.fft.EngineArrays;

/**
 * CAS-ViT's {@code ChannelOperation} (official {@code classification/model/rcvit.py} of
 * Tianfang-Zhang/CAS-ViT) on (B, C, H, W): {@code x * sigmoid(proj(mean_HW(x)))}, a (B, C, 1, 1)
 * gate. The official {@code block} is (global average pool, 1x1 conv C to C without bias, sigmoid);
 * only the conv has parameters, so {@code block} here holds it under its official index {@code 1}
 * and the pool and the sigmoid run around it. PyTorch's default init.
 */
public final class ChannelOperation extends SameShapeBlock {

    private final Sequence block;

    /**
     * Creates the operation.
     *
     * @param channels C
     */
    public ChannelOperation(int channels) {
        super((byte) 1);
        block =
                addChildBlock(
                        "block",
                        new Sequence().add("1", AdditiveTokenMixer.conv(channels, 1, 1, false)));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.head();
        long pixels = x.getShape().get(2) * x.getShape().get(3);
        NDArray pooled = x.sum(new int[] {2, 3}, true).mul(EngineArrays.scalar(x, 1.0 / pixels));
        NDArray gate = block.forward(ps, new NDList(pooled), training).head();
        return new NDList(x.mul(Activation.sigmoid(gate)));
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        block.initialize(manager, dataType, new Shape(s.get(0), s.get(1), 1, 1));
    }
}
