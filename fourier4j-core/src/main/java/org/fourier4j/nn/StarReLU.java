package org.fourier4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;

/**
 * StarReLU, {@code s * relu(x)^2 + b} with a learnable scalar scale {@code scale} and shift {@code
 * bias} (Yu et al., "MetaFormer Baselines for Vision", 2022; official code sail-sg/metaformer,
 * {@code metaformer_baselines.py}, class {@code StarReLU}; the same class in okojoalg/dfformer,
 * {@code models/dfformer.py}). Both parameters have shape (1), initialised to 1 and 0. Works on any
 * layout.
 */
public final class StarReLU extends SameShapeBlock {

    private final Parameter scale;
    private final Parameter bias;

    /** Creates the activation with scale 1 and bias 0, as the papers' code. */
    public StarReLU() {
        super((byte) 1);
        scale =
                addParameter(
                        Parameter.builder()
                                .setName("scale")
                                .setType(Parameter.Type.GAMMA)
                                .optInitializer(new ConstantInitializer(1f))
                                .optShape(new Shape(1))
                                .build());
        bias =
                addParameter(
                        Parameter.builder()
                                .setName("bias")
                                .setType(Parameter.Type.BIAS)
                                .optInitializer(new ConstantInitializer(0f))
                                .optShape(new Shape(1))
                                .build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray s = ps.getValue(scale, x.getDevice(), training);
        NDArray b = ps.getValue(bias, x.getDevice(), training);
        // x-derived first operand: the results stay in the batch's manager
        return new NDList(Activation.relu(x).square().mul(s).add(b));
    }
}
