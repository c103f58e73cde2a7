package org.fourier4j.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;

/**
 * Blocks applied one after the other, each under the name it was added with (PyTorch's {@code
 * nn.Sequential} with named or numbered children): unlike DJL's {@code SequentialBlock}, whose
 * children are named after their classes, the names here are the ones the papers' code uses, so
 * that parameter names ({@link org.fourier4j.models.ParameterNames}) read like the official ones.
 */
public class Sequence extends AbstractBlock {

    /** Creates an empty sequence; add children with {@link #add(String, Block)}. */
    public Sequence() {}

    /**
     * Numbered children {@code 0, 1, ...}, as {@code nn.Sequential(a, b, ...)}.
     *
     * @param blocks the children in order
     * @return the sequence
     */
    public static Sequence of(Block... blocks) {
        return of(List.of(blocks));
    }

    /**
     * Numbered children {@code 0, 1, ...}, as {@code nn.Sequential(*blocks)}.
     *
     * @param blocks the children in order
     * @return the sequence
     */
    public static Sequence of(List<? extends Block> blocks) {
        Sequence s = new Sequence();
        for (Block b : blocks) {
            s.add(String.valueOf(s.children.size()), b);
        }
        return s;
    }

    /**
     * Appends a child.
     *
     * @param name its name in parameter paths
     * @param block the child
     * @return this sequence
     */
    public Sequence add(String name, Block block) {
        addChildBlock(name, block);
        return this;
    }

    /**
     * Appends a child named by its position ({@code "0"}, {@code "1"}, ...).
     *
     * @param block the child
     * @return this sequence
     */
    public Sequence add(Block block) {
        return add(String.valueOf(children.size()), block);
    }

    /**
     * @return the number of children
     */
    public int size() {
        return children.size();
    }

    /**
     * @param index a position
     * @return the child there
     */
    public Block get(int index) {
        return children.get(index).getValue();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList x = inputs;
        for (Block b : children.values()) {
            x = b.forward(ps, x, training);
        }
        return x;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] s = inputShapes;
        for (Block b : children.values()) {
            s = b.getOutputShapes(s);
        }
        return s;
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] s = inputShapes;
        for (Block b : children.values()) {
            b.initialize(manager, dataType, s);
            s = b.getOutputShapes(s);
        }
    }
}
