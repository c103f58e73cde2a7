package org.fourier4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The pre-norm transformer block with a pluggable token mixer, on (B, N, D) tokens: {@code x = x +
 * DropPath(ls1 * mixer(LN1(x)))}, then {@code x = x + DropPath(ls2 * MLP(LN2(x)))}. With multi-head
 * self-attention as the mixer it is ViT's block (timm {@code Block}); any mixer that maps (B, N, D)
 * to (B, N, D) fits. Layer norms over D (eps configurable, ViT 1e-6); layer scale optional (init
 * value, or 0 for none).
 */
public class MetaFormerBlock extends AbstractBlock {

    private final LayerNorm norm1;
    private final Block mixer;
    private final LayerScale ls1;
    private final DropPath dropPath1;
    private final LayerNorm norm2;
    private final Mlp mlp;
    private final LayerScale ls2;
    private final DropPath dropPath2;

    /**
     * Creates the block.
     *
     * @param dim token width D
     * @param mixer the token mixer, (B, N, D) to (B, N, D)
     * @param mlpRatio hidden width of the MLP over D
     * @param eps layer norm epsilon
     * @param layerScale initial layer scale, or 0 for none
     * @param dropout dropout inside the MLP
     * @param dropPath stochastic depth rate of both branches
     */
    public MetaFormerBlock(
            long dim,
            Block mixer,
            double mlpRatio,
            float eps,
            float layerScale,
            float dropout,
            float dropPath) {
        norm1 = addChildBlock("norm1", LayerNorm.builder().axis(2).optEpsilon(eps).build());
        this.mixer = addChildBlock("mixer", mixer);
        ls1 = layerScale > 0 ? addChildBlock("ls1", new LayerScale(layerScale, false)) : null;
        dropPath1 = addChildBlock("drop_path1", new DropPath(dropPath));
        norm2 = addChildBlock("norm2", LayerNorm.builder().axis(2).optEpsilon(eps).build());
        mlp = addChildBlock("mlp", new Mlp(dim, Math.round(dim * mlpRatio), dropout));
        ls2 = layerScale > 0 ? addChildBlock("ls2", new LayerScale(layerScale, false)) : null;
        dropPath2 = addChildBlock("drop_path2", new DropPath(dropPath));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        if (x.getShape().dimension() != 3) {
            throw new IllegalArgumentException(
                    "MetaFormerBlock: expected tokens (B, N, D), got " + x.getShape());
        }
        return InferenceScope.run(x, in -> block(ps, in, training));
    }

    private NDList block(ParameterStore ps, NDArray x, boolean training) {
        NDList h = mixer.forward(ps, norm1.forward(ps, new NDList(x), training), training);
        if (ls1 != null) {
            h = ls1.forward(ps, h, training);
        }
        x = x.add(dropPath1.forward(ps, h, training).singletonOrThrow());
        NDList g = mlp.forward(ps, norm2.forward(ps, new NDList(x), training), training);
        if (ls2 != null) {
            g = ls2.forward(ps, g, training);
        }
        return new NDList(x.add(dropPath2.forward(ps, g, training).singletonOrThrow()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        for (Block b : getChildren().values()) {
            b.initialize(manager, dataType, inputShapes);
        }
    }
}
