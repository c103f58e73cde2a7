package org.fourier4j.nn;

/**
 * The options of a block with a learnable filter over a token grid's half spectrum ({@link
 * GlobalFilter}, {@link DynamicFilter}): the grid it is built for and what other grids do.
 *
 * @param <T> the concrete builder
 */
public abstract class GridFilterBuilder<T extends GridFilterBuilder<T>> {

    private boolean resize = true;
    private int gridH = -1;
    private int gridW = -1;

    /** Creates a builder: grid taken from the input at initialisation, other grids resized. */
    protected GridFilterBuilder() {}

    /**
     * @return this builder, typed as the concrete builder
     */
    protected abstract T self();

    /**
     * Sets the grid the filter is built for (GFNet: image size / patch size, e.g. 14 x 14;
     * DFFormer: the stage's grid at the model's image size); default: the input's grid at
     * initialisation.
     *
     * @param height h
     * @param width w
     * @return this builder
     */
    public T optGridSize(int height, int width) {
        this.gridH = height;
        this.gridW = width;
        return self();
    }

    /**
     * Sets whether other grid sizes resize the filter (default) or are rejected.
     *
     * @param resize true to resize
     * @return this builder
     */
    public T optResize(boolean resize) {
        this.resize = resize;
        return self();
    }

    /**
     * Checks the grid option.
     *
     * @param block the block's name, for the message
     * @throws IllegalArgumentException if a grid is set and not positive
     */
    protected void checkGrid(String block) {
        if ((gridH != -1 || gridW != -1) && (gridH < 1 || gridW < 1)) {
            throw new IllegalArgumentException(
                    block + ": grid size must be positive, got " + gridH + "x" + gridW);
        }
    }

    /** The filter parameter these options describe. */
    GridFilterWeight filterWeight(String block, String name) {
        return new GridFilterWeight(block, name, gridH, gridW, resize);
    }
}
