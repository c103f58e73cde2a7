package org.fourier4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The transformer MLP (timm {@code Mlp}) on the last axis of (..., D): {@code fc1} (D to hidden),
 * exact GELU, dropout, {@code fc2} (hidden to D), dropout.
 */
public class Mlp extends SameShapeBlock {

    private final Linear fc1;
    private final Linear fc2;
    private final Dropout drop;

    /**
     * Creates the MLP.
     *
     * @param dim input and output width D
     * @param hidden hidden width
     * @param dropout dropout after the activation and after fc2
     */
    public Mlp(long dim, long hidden, float dropout) {
        fc1 = addChildBlock("fc1", Linear.builder().setUnits(hidden).build());
        fc2 = addChildBlock("fc2", Linear.builder().setUnits(dim).build());
        drop = addChildBlock("drop", Dropout.builder().optRate(dropout).build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray h = Activation.gelu(fc1.forward(ps, inputs, training).singletonOrThrow());
        NDList d = drop.forward(ps, new NDList(h), training);
        return drop.forward(ps, fc2.forward(ps, d, training), training);
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        fc1.initialize(manager, dataType, inputShapes);
        Shape[] hidden = fc1.getOutputShapes(inputShapes);
        drop.initialize(manager, dataType, hidden);
        fc2.initialize(manager, dataType, hidden);
    }
}
