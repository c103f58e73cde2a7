package org.fourier4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The residual unit every family is made of: {@code x + DropPath(step_n(... step_1(x)))}, where the
 * steps are named blocks (a norm, the token mixer or MLP, a layer scale, layout changes) in the
 * order of the paper's code. A pre-norm transformer block is two units ({@code norm1, attn, ls1}
 * and {@code norm2, mlp, ls2}); ConvNeXt's block is one ({@code dwconv, permute, norm, pwconv1,
 * act, pwconv2, gamma, permute}).
 *
 * <p>Works in any layout: the steps decide it ({@link Permute} changes it, {@link LayerScale} knows
 * its channel axis), and the unit only requires that the last step gives back the input's shape.
 * The unit is {@link Transparent}: its steps' parameters are named as the parent block's own.
 *
 * <p>Optionally the shortcut is scaled too, {@code skip(x) + DropPath(steps(x))}: the "res scale"
 * of the MetaFormer baselines ({@code res_scale1}, a per-channel scale on the identity path;
 * sail-sg/metaformer, {@code metaformer_baselines.py}, class {@code MetaFormerBlock}).
 */
public final class Residual extends SameShapeBlock implements Transparent {

    private final List<Block> branch = new ArrayList<>();
    private final Block skip;
    private final DropPath dropPath;

    private Residual(
            List<Map.Entry<String, Block>> steps,
            Map.Entry<String, Block> skip,
            float dropPathRate) {
        for (Map.Entry<String, Block> step : steps) {
            branch.add(addChildBlock(step.getKey(), step.getValue()));
        }
        this.skip = skip == null ? null : addChildBlock(skip.getKey(), skip.getValue());
        dropPath = dropPathRate > 0 ? addChildBlock("drop_path", new DropPath(dropPathRate)) : null;
        if (dropPath != null) {
            branch.add(dropPath);
        }
    }

    /**
     * Starts a unit.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @return the drop-path rate of the branch
     */
    public float dropPathRate() {
        return dropPath == null ? 0 : dropPath.getRate();
    }

    /**
     * @return the steps of the branch, in order (without the drop path, an identity in inference)
     */
    public List<Block> steps() {
        List<Block> out = new ArrayList<>(branch);
        out.remove(dropPath);
        return out;
    }

    /**
     * @return the block applied to the shortcut ({@link Builder#skip}), or null for the identity
     */
    public Block skip() {
        return skip;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDList h = inputs;
        for (Block b : branch) {
            h = b.forward(ps, h, training);
        }
        NDArray out = h.singletonOrThrow();
        if (!out.getShape().equals(x.getShape())) {
            throw new IllegalArgumentException(
                    "Residual: the branch "
                            + Arrays.toString(children.keys().toArray())
                            + " turned "
                            + x.getShape()
                            + " into "
                            + out.getShape());
        }
        NDArray shortcut = skip == null ? x : skip.forward(ps, inputs, training).singletonOrThrow();
        return new NDList(shortcut.add(out));
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] s = inputShapes;
        for (Block b : branch) {
            b.initialize(manager, dataType, s);
            s = b.getOutputShapes(s);
        }
        if (skip != null) {
            skip.initialize(manager, dataType, inputShapes);
        }
    }

    /** Builds a {@link Residual}: steps in order, then the drop-path rate. */
    public static final class Builder {
        private final List<Map.Entry<String, Block>> steps = new ArrayList<>();
        private Map.Entry<String, Block> skip;
        private float dropPath;

        private Builder() {}

        /**
         * Adds a step.
         *
         * @param name its name in the paper's code ({@code norm1}, {@code attn}, {@code ls1})
         * @param block the step
         * @return this builder
         */
        public Builder add(String name, Block block) {
            steps.add(Map.entry(name, block));
            return this;
        }

        /**
         * Adds a step that has no parameters (an activation, a layout change), named by position.
         *
         * @param block the step
         * @return this builder
         */
        public Builder add(Block block) {
            steps.add(Map.entry("op" + steps.size(), block));
            return this;
        }

        /**
         * Applies a block to the shortcut before the sum ({@code skip(x) + branch}), e.g. the
         * MetaFormer baselines' per-channel {@code res_scale1}; it must keep the input's shape.
         *
         * @param name its name in the paper's code
         * @param block the block
         * @return this builder
         */
        public Builder skip(String name, Block block) {
            this.skip = Map.entry(name, block);
            return this;
        }

        /**
         * Sets the stochastic-depth rate of the branch.
         *
         * @param rate in [0, 1)
         * @return this builder
         */
        public Builder dropPath(float rate) {
            this.dropPath = rate;
            return this;
        }

        /**
         * @return the unit
         */
        public Residual build() {
            if (steps.isEmpty()) {
                throw new IllegalArgumentException("Residual: needs at least one step");
            }
            return new Residual(steps, skip, dropPath);
        }
    }
}
