package org.fourier4j.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One batch as prepared on the Java side by the loader's workers: normalised float pixels, soft
 * targets (one distribution per image: one-hot, smoothed and/or mixed) and the integer label of
 * each image (for a mixed batch the class with the largest target mass).
 *
 * @param index the batch's position in its epoch
 * @param size images in the batch
 * @param channels channels
 * @param height rows
 * @param width columns
 * @param numClasses classes
 * @param pixels {@code size * channels * height * width} floats, channel-first
 * @param targets {@code size * numClasses} floats
 * @param labels {@code size} labels
 * @param indices the data set index of each image
 */
public record HostBatch(
        int index,
        int size,
        int channels,
        int height,
        int width,
        int numClasses,
        float[] pixels,
        float[] targets,
        int[] labels,
        int[] indices) {

    /**
     * Creates the input array {@code (size, channels, height, width)} float32 in the given manager
     * (one copy, no per-element operations).
     *
     * @param manager normally the training step's sub-manager
     * @return the input
     */
    public NDArray inputs(NDManager manager) {
        return create(manager, pixels, new Shape(size, channels, height, width));
    }

    /**
     * Creates the target array {@code (size, numClasses)} float32 in the given manager.
     *
     * @param manager normally the training step's sub-manager
     * @return the soft targets
     */
    public NDArray targetArray(NDManager manager) {
        return create(manager, targets, new Shape(size, numClasses));
    }

    /** Alignment of the native memory of batch arrays, in bytes. */
    static final int ALIGNMENT = 64;

    /**
     * Copies floats into a 64-byte aligned direct buffer and wraps it as an array. The PyTorch
     * engine uses a direct buffer as the tensor's memory without copying it, and math libraries
     * (MKL, oneDNN) may take different vectorised paths, with different rounding, for differently
     * aligned data: with the alignment that {@code ByteBuffer.allocateDirect} happens to give, two
     * identical runs were seen to end with different weights. Aligned like the engine's own
     * allocations, results are bit-for-bit reproducible.
     */
    static NDArray create(NDManager manager, float[] values, Shape shape) {
        int bytes = values.length * Float.BYTES;
        ByteBuffer raw = ByteBuffer.allocateDirect(bytes + ALIGNMENT);
        int offset = raw.alignmentOffset(0, ALIGNMENT);
        int start = offset == 0 ? 0 : ALIGNMENT - offset;
        ByteBuffer aligned =
                raw.position(start).limit(start + bytes).slice().order(ByteOrder.nativeOrder());
        aligned.asFloatBuffer().put(values);
        return manager.create(aligned, shape, DataType.FLOAT32);
    }
}
