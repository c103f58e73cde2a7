package org.fourier4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

/**
 * A learnable filter over the half spectrum of an h x w token grid, stored as a real (h, w/2+1, K,
 * 2) parameter ({@code [..., 0]} real, {@code [..., 1]} imaginary parts; optimizers need real
 * weights), initialised {@code N(0, 1) * 0.02}: GFNet's {@code complex_weight} (K = C) and
 * DFFormer's {@code complex_weights} bank (K = filters). On another grid it is resized to the
 * input's half spectrum ({@link Resampling#halfSpectrum}) or, with resizing off, rejected.
 */
final class GridFilterWeight {

    private final String block;
    private final Parameter parameter;
    private final boolean resize;
    private int gridH;
    private int gridW;

    /**
     * Declares the parameter.
     *
     * @param block the owning block's name, for messages
     * @param name the parameter's saved name
     * @param gridH h, or -1 for the input's at initialisation
     * @param gridW w, or -1 likewise
     * @param resize whether other grids resize the filter
     */
    GridFilterWeight(String block, String name, int gridH, int gridW, boolean resize) {
        this.block = block;
        this.parameter = Parameters.of(name, Parameter.Type.WEIGHT, Initializers.normal(0.02));
        this.gridH = gridH;
        this.gridW = gridW;
        this.resize = resize;
    }

    /**
     * @return the parameter, for the owner's {@code addParameter}
     */
    Parameter parameter() {
        return parameter;
    }

    /**
     * @return the grid {h, w} the filter is built for (known after initialisation)
     */
    int[] gridSize() {
        return new int[] {gridH, gridW};
    }

    /**
     * Sizes the parameter for a (B, H, W, C) input: the grid set, or else the input's.
     *
     * @param input the input shape
     * @param depth K, the size of the third axis
     */
    void prepare(Shape input, long depth) {
        if (gridH <= 0) {
            gridH = (int) input.get(1);
            gridW = (int) input.get(2);
        }
        parameter.setShape(new Shape(gridH, gridW / 2 + 1, depth, 2));
    }

    /**
     * The (H, W/2+1, K, 2) filter for the grid of {@code x}, in x's memory scope: the parameter,
     * resized if needed.
     *
     * @param ps the parameter store
     * @param x the (B, H, W, C) input
     * @param training whether this is a training pass
     * @return the filter
     */
    NDArray forInput(ParameterStore ps, NDArray x, boolean training) {
        Shape s = x.getShape();
        checkGrid(s);
        NDArray value = BatchScope.adopt(ps.getValue(parameter, x.getDevice(), training), x);
        return Resampling.halfSpectrum(value, (int) s.get(1), (int) s.get(2));
    }

    /**
     * The (H, W/2+1, K, 2) filter for an H x W grid outside a forward pass (exporters use it): a
     * copy of the parameter, resized if needed.
     *
     * @param manager where the returned array is created
     * @param height H
     * @param width W
     * @return a new array in {@code manager}
     * @throws IllegalArgumentException if resizing is off and the grid does not fit
     */
    NDArray forGrid(NDManager manager, int height, int width) {
        checkGrid(new Shape(1, height, width, 1));
        NDArray copy = parameter.getArray().duplicate();
        copy.attach(manager);
        return Resampling.halfSpectrum(copy, height, width);
    }

    /**
     * With resizing off, the input's half spectrum must match the filter's.
     *
     * @param input the (B, H, W, C) input shape
     */
    void checkGrid(Shape input) {
        if (!resize && gridH > 0) {
            Resampling.requireSameHalfSpectrum(block, gridH, gridW, input);
        }
    }
}
