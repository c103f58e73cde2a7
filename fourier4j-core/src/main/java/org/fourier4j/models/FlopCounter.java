package org.fourier4j.models;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.core.Linear;
import org.fourier4j.nn.FlopCountable;

/**
 * Counts the arithmetic of one forward pass of an initialised model, from the input shapes its
 * blocks recorded when it was initialised (so initialise it with the resolution to count, batch 1).
 * The convention is the papers' "FLOPs":
 *
 * <ul>
 *   <li>convolutions (whatever algorithm computes them) and linear layers: multiply-adds, {@code
 *       out_elements x (C_in / groups) x kernel_volume} and {@code rows x in x out};
 *   <li>blocks implementing {@link FlopCountable} add their own work: attention's two matrix
 *       products as multiply-adds, Fourier transforms as {@code 5 N log2 N} real operations per
 *       complex transform of N points (half for a real-input transform; a DCT counts as a
 *       real-input FFT of the same length), spectral products as multiply-adds (4 per complex
 *       product), the elementwise gating of additive attention as one per product or sum;
 *   <li>normalisation, activations, residual additions and pooling are not counted.
 * </ul>
 */
public final class FlopCounter {

    private FlopCounter() {}

    /**
     * Counts the forward-pass work of an initialised block tree.
     *
     * @param root an initialised block
     * @return the count (divide by 1e9 for GFLOPs)
     */
    public static double count(Block root) {
        if (!root.isInitialized()) {
            throw new IllegalStateException(
                    "FlopCounter: initialise the model at the resolution to count");
        }
        return visit(root);
    }

    private static double visit(Block b) {
        double total = 0;
        if (b instanceof Convolution) {
            total += convolution((Convolution) b);
        } else if (b instanceof Linear) {
            total += linear((Linear) b);
        }
        if (b instanceof FlopCountable) {
            total += ((FlopCountable) b).ownFlops(b.getInputShapes());
        }
        for (Block child : b.getChildren().values()) {
            total += visit(child);
        }
        return total;
    }

    private static double convolution(Convolution c) {
        Shape in = c.getInputShapes()[0];
        Shape out = c.getOutputShapes(new Shape[] {in})[0];
        double perOutput = (double) in.get(1) / c.getGroups() * c.getKernelShape().size();
        return out.size() * perOutput;
    }

    private static double linear(Linear l) {
        Shape in = l.getInputShapes()[0];
        long inFeatures = in.get(in.dimension() - 1);
        double rows = (double) in.size() / inFeatures;
        return rows * inFeatures * l.getOutputShapes(new Shape[] {in})[0].tail();
    }
}
