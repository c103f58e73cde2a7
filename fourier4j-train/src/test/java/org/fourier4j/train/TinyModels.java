package org.fourier4j.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;

/** Small models for engine tests (the model zoo is not part of this module). */
public final class TinyModels {

    /** Milliseconds each training forward pass sleeps (to make a run slow enough to kill). */
    static volatile long sleepMs;

    private TinyModels() {}

    /**
     * A two-layer perceptron (no normalisation, no dropout).
     *
     * @param hidden hidden units
     * @param classes outputs
     * @return the block
     */
    public static Block mlp(int hidden, int classes) {
        return new SequentialBlock()
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(hidden).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(classes).build());
    }

    /**
     * A small convolutional net with batch norm and dropout.
     *
     * @param classes outputs
     * @param dropout dropout rate before the head
     * @return the block
     */
    public static Block cnn(int classes, float dropout) {
        return new SequentialBlock()
                .add(
                        new LambdaBlock(
                                x -> {
                                    long ms = sleepMs;
                                    if (ms > 0) {
                                        try {
                                            Thread.sleep(ms);
                                        } catch (InterruptedException e) {
                                            Thread.currentThread().interrupt();
                                        }
                                    }
                                    return x;
                                },
                                "pace"))
                .add(
                        Conv2d.builder()
                                .setKernelShape(new Shape(3, 3))
                                .setFilters(8)
                                .optPadding(new Shape(1, 1))
                                .build())
                .add(BatchNorm.builder().build())
                .add(Activation::relu)
                .add(
                        Conv2d.builder()
                                .setKernelShape(new Shape(3, 3))
                                .setFilters(16)
                                .optStride(new Shape(2, 2))
                                .optPadding(new Shape(1, 1))
                                .build())
                .add(Activation::relu)
                .add(Pool.globalAvgPool2dBlock())
                .add(Dropout.builder().optRate(dropout).build())
                .add(Linear.builder().setUnits(classes).build());
    }

    /**
     * @param classes outputs
     * @param size image side
     * @return the CNN as a model factory named {@code tiny-cnn}
     */
    public static ModelFactory cnnFactory(int classes, int size) {
        return ModelFactory.of("tiny-cnn", new Shape(3, size, size), () -> cnn(classes, 0.2f));
    }

    /**
     * @param hidden hidden units
     * @param classes outputs
     * @param size image side
     * @return the MLP as a model factory named {@code tiny-mlp}
     */
    public static ModelFactory mlpFactory(int hidden, int classes, int size) {
        return ModelFactory.of("tiny-mlp", new Shape(3, size, size), () -> mlp(hidden, classes));
    }

    /** A model whose output is its input reshaped, so a test can choose the logits. */
    static Block identityLogits(int classes) {
        return new LambdaBlock(
                x -> new NDList(x.singletonOrThrow().reshape(-1, classes)), "logits");
    }
}
