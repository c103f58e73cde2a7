package org.fourier4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Layer normalisation over the last axis with a per-channel {@code weight} and no bias: {@code (x -
 * mean) / sqrt(var + eps) * weight}, the biased variance. The MetaFormer baselines' {@code
 * LayerNormGeneral(bias=False)} on channels-last maps (sail-sg/metaformer, {@code
 * metaformer_baselines.py}; okojoalg/dfformer, {@code models/dfformer.py}), timm's {@code
 * LayerNormNoBias}. DJL's {@code LayerNorm} always owns a {@code beta}, which would add a parameter
 * the papers' weights do not have.
 */
public final class LayerNormNoBias extends AbstractBlock {

    private static final String NAME = "LayerNormNoBias";

    private final float eps;
    private final Parameter weight;

    /**
     * Creates the norm; the width C is taken from the input's last axis.
     *
     * @param eps added to the variance (the MetaFormer baselines: 1e-6)
     */
    public LayerNormNoBias(float eps) {
        super((byte) 1);
        if (!(eps > 0)) {
            throw new IllegalArgumentException(NAME + ": eps must be positive, got " + eps);
        }
        this.eps = eps;
        weight = addParameter(Parameters.normScale());
    }

    /**
     * @return the epsilon added to the variance
     */
    public float getEpsilon() {
        return eps;
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        Shape s = BlockInputs.single(NAME, inputShapes);
        weight.setShape(new Shape(s.get(s.dimension() - 1)));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = BlockInputs.single(NAME, inputs);
        Shape s = x.getShape();
        NDArray w = ps.getValue(weight, x.getDevice(), training);
        long c = s.get(s.dimension() - 1);
        BlockInputs.require(w.getShape().get(0) == c, NAME, "(..., C) with C = " + w.size(), s);
        // libtorch's fused layer norm with a zero shift (its bias is not optional in DJL's API)
        NDArray zero = x.getManager().zeros(new Shape(c), x.getDataType(), x.getDevice());
        return new NDList(LayerNorm.layerNorm(x, new Shape(c), w, zero, eps));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {BlockInputs.single(NAME, inputShapes)};
    }
}
