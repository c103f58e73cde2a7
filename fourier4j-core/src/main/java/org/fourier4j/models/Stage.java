package org.fourier4j.models;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;
import org.fourier4j.nn.InferenceScope;
import org.fourier4j.nn.Sequence;

/**
 * One stage of a {@link MetaFormer}: an optional {@code downsample} block, then {@code blocks.0},
 * {@code blocks.1}, ... at one width. In inference each block runs in an {@link InferenceScope}, so
 * a block's intermediates are freed as soon as its output exists, in every family.
 */
public final class Stage extends AbstractBlock {

    private final Block downsample;
    private final Sequence blocks;

    /**
     * Creates a stage.
     *
     * @param downsample the block before the first block (patch merging, strided conv), or null
     * @param blocks the blocks
     */
    public Stage(Block downsample, List<? extends Block> blocks) {
        this.downsample = downsample == null ? null : addChildBlock("downsample", downsample);
        this.blocks = addChildBlock("blocks", Sequence.of(blocks));
    }

    /**
     * @return the downsampling block, or null
     */
    public Block downsample() {
        return downsample;
    }

    /**
     * @return the number of blocks
     */
    public int depth() {
        return blocks.size();
    }

    /**
     * @param index a block's position
     * @return the block
     */
    public Block block(int index) {
        return blocks.get(index);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList x = downsample == null ? inputs : downsample.forward(ps, inputs, training);
        for (int i = 0; i < blocks.size(); i++) {
            Block b = blocks.get(i);
            x =
                    InferenceScope.run(
                            x.singletonOrThrow(), in -> b.forward(ps, new NDList(in), training));
        }
        return x;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] s = downsample == null ? inputShapes : downsample.getOutputShapes(inputShapes);
        return blocks.getOutputShapes(s);
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] s = inputShapes;
        if (downsample != null) {
            downsample.initialize(manager, dataType, s);
            s = downsample.getOutputShapes(s);
        }
        blocks.initialize(manager, dataType, s);
    }
}
