package org.fourier4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import org.fourier4j.fft.ConvAlgorithm;
import org.fourier4j.fft.PaddingMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FftConvBlockTest {

    private static double relativeError(NDArray a, NDArray b) {
        float[] x = a.toFloatArray();
        float[] y = b.toFloatArray();
        double diff = 0;
        double ref = 0;
        for (int i = 0; i < x.length; i++) {
            diff = Math.max(diff, Math.abs(x[i] - y[i]));
            ref = Math.max(ref, Math.abs(y[i]));
        }
        return diff / ref;
    }

    private static NDArray forward(NDManager m, Block b, NDArray x) {
        return b.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
    }

    private static void copyParameters(Block from, Block to) {
        for (Pair<String, Parameter> p : from.getParameters()) {
            to.getParameters()
                    .get(p.getKey())
                    .getArray()
                    .set(p.getValue().getArray().toByteBuffer());
        }
    }

    @ParameterizedTest
    @EnumSource(ConvAlgorithm.class)
    void equalsDjlConv2dWithTheSameParameters(ConvAlgorithm algorithm) {
        try (NDManager m = NDManager.newBaseManager()) {
            Shape in = new Shape(2, 6, 19, 17);
            Conv2d djl =
                    Conv2d.builder()
                            .setKernelShape(new Shape(7, 5))
                            .setFilters(9)
                            .optGroups(3)
                            .optStride(new Shape(2, 1))
                            .optPadding(new Shape(3, 2))
                            .optDilation(new Shape(1, 2))
                            .build();
            FftConv2d fft =
                    FftConv2d.builder()
                            .setKernelShape(new Shape(7, 5))
                            .setFilters(9)
                            .optGroups(3)
                            .optStride(new Shape(2, 1))
                            .optPadding(new Shape(3, 2))
                            .optDilation(new Shape(1, 2))
                            .optAlgorithm(algorithm)
                            .build();
            djl.initialize(m, DataType.FLOAT32, in);
            fft.initialize(m, DataType.FLOAT32, in);
            copyParameters(djl, fft);
            NDArray x = m.randomNormal(in);
            NDArray expected = forward(m, djl, x);
            NDArray actual = forward(m, fft, x);
            assertEquals(expected.getShape(), actual.getShape());
            assertArrayEquals(
                    djl.getOutputShapes(new Shape[] {in}), fft.getOutputShapes(new Shape[] {in}));
            assertTrue(relativeError(actual, expected) < 1e-4);
        }
    }

    @Test
    void oneAndThreeDimensionalBlocksEqualDjls() {
        try (NDManager m = NDManager.newBaseManager()) {
            Shape in1 = new Shape(2, 3, 50);
            Conv1d d1 =
                    Conv1d.builder()
                            .setKernelShape(new Shape(31))
                            .setFilters(4)
                            .optPadding(new Shape(15))
                            .build();
            FftConv1d f1 =
                    FftConv1d.builder()
                            .setKernelShape(new Shape(31))
                            .setFilters(4)
                            .optPadding(new Shape(15))
                            .optAlgorithm(ConvAlgorithm.FFT)
                            .build();
            d1.initialize(m, DataType.FLOAT32, in1);
            f1.initialize(m, DataType.FLOAT32, in1);
            copyParameters(d1, f1);
            NDArray x1 = m.randomNormal(in1);
            assertTrue(relativeError(forward(m, f1, x1), forward(m, d1, x1)) < 1e-4);

            Shape in3 = new Shape(1, 2, 9, 8, 7);
            Conv3d d3 =
                    Conv3d.builder()
                            .setKernelShape(new Shape(3, 5, 3))
                            .setFilters(2)
                            .optGroups(2)
                            .optStride(new Shape(1, 2, 2))
                            .build();
            FftConv3d f3 =
                    FftConv3d.builder()
                            .setKernelShape(new Shape(3, 5, 3))
                            .setFilters(2)
                            .optGroups(2)
                            .optStride(new Shape(1, 2, 2))
                            .optAlgorithm(ConvAlgorithm.FFT)
                            .build();
            d3.initialize(m, DataType.FLOAT32, in3);
            f3.initialize(m, DataType.FLOAT32, in3);
            copyParameters(d3, f3);
            NDArray x3 = m.randomNormal(in3);
            assertTrue(relativeError(forward(m, f3, x3), forward(m, d3, x3)) < 1e-4);
        }
    }

    @Test
    void savedParametersLoadIntoEitherBlock() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            Shape in = new Shape(1, 4, 16, 16);
            Conv2d djl =
                    Conv2d.builder()
                            .setKernelShape(new Shape(5, 5))
                            .setFilters(4)
                            .optGroups(4)
                            .optPadding(new Shape(2, 2))
                            .build();
            djl.initialize(m, DataType.FLOAT32, in);
            ByteArrayOutputStream saved = new ByteArrayOutputStream();
            djl.saveParameters(new DataOutputStream(saved));

            FftConv2d fft =
                    FftConv2d.builder()
                            .setKernelShape(new Shape(5, 5))
                            .setFilters(4)
                            .optGroups(4)
                            .optPadding(new Shape(2, 2))
                            .optAlgorithm(ConvAlgorithm.FFT)
                            .build();
            fft.initialize(m, DataType.FLOAT32, in);
            fft.loadParameters(
                    m, new DataInputStream(new ByteArrayInputStream(saved.toByteArray())));
            NDArray x = m.randomNormal(in);
            assertTrue(relativeError(forward(m, fft, x), forward(m, djl, x)) < 1e-4);

            // and back: parameters saved from the FFT block load into DJL's Conv2d
            fft.getParameters().get("weight").getArray().muli(2);
            ByteArrayOutputStream savedFft = new ByteArrayOutputStream();
            fft.saveParameters(new DataOutputStream(savedFft));
            Conv2d again =
                    Conv2d.builder()
                            .setKernelShape(new Shape(5, 5))
                            .setFilters(4)
                            .optGroups(4)
                            .optPadding(new Shape(2, 2))
                            .build();
            again.initialize(m, DataType.FLOAT32, in);
            again.loadParameters(
                    m, new DataInputStream(new ByteArrayInputStream(savedFft.toByteArray())));
            assertTrue(relativeError(forward(m, again, x), forward(m, fft, x)) < 1e-4);
        }
    }

    @Test
    void samePaddingAndPaddingModes() {
        try (NDManager m = NDManager.newBaseManager()) {
            Shape in = new Shape(1, 2, 11, 10);
            for (PaddingMode mode : PaddingMode.values()) {
                FftConv2d fft =
                        FftConv2d.builder()
                                .setKernelShape(new Shape(4, 5))
                                .setFilters(2)
                                .optSamePadding()
                                .optPaddingMode(mode)
                                .optAlgorithm(ConvAlgorithm.FFT)
                                .build();
                FftConv2d direct =
                        FftConv2d.builder()
                                .setKernelShape(new Shape(4, 5))
                                .setFilters(2)
                                .optSamePadding()
                                .optPaddingMode(mode)
                                .optAlgorithm(ConvAlgorithm.DIRECT)
                                .build();
                fft.initialize(m, DataType.FLOAT32, in);
                direct.initialize(m, DataType.FLOAT32, in);
                copyParameters(fft, direct);
                NDArray x = m.randomNormal(in);
                NDArray y = forward(m, fft, x);
                assertEquals(new Shape(1, 2, 11, 10), y.getShape());
                assertEquals(y.getShape(), fft.getOutputShapes(new Shape[] {in})[0]);
                assertTrue(relativeError(y, forward(m, direct, x)) < 1e-4, mode.toString());
            }
        }
    }

    @Test
    void trainsThroughTheFftPath() {
        Block net =
                new SequentialBlock()
                        .add(
                                FftConv2d.builder()
                                        .setKernelShape(new Shape(9, 9))
                                        .setFilters(4)
                                        .optSamePadding()
                                        .optAlgorithm(ConvAlgorithm.FFT)
                                        .build())
                        .add(Pool.globalAvgPool2dBlock())
                        .add(Linear.builder().setUnits(2).build());
        try (Model model = Model.newInstance("fft-conv")) {
            model.setBlock(net);
            try (Trainer trainer =
                    model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()))) {
                NDManager m = trainer.getManager();
                trainer.initialize(new Shape(4, 3, 16, 16));
                NDArray x = m.randomNormal(new Shape(4, 3, 16, 16));
                NDArray y = m.create(new float[] {0, 1, 0, 1});
                Parameter w = net.getChildren().get(0).getValue().getParameters().get("weight");
                float[] before = w.getArray().toFloatArray();
                try (GradientCollector gc = trainer.newGradientCollector()) {
                    NDArray loss =
                            trainer.getLoss()
                                    .evaluate(new NDList(y), trainer.forward(new NDList(x)));
                    gc.backward(loss);
                }
                assertTrue(
                        w.getArray().getGradient().abs().sum().getFloat() > 0,
                        "no gradient reached the conv");
                trainer.step();
                float[] after = w.getArray().toFloatArray();
                assertTrue(
                        !java.util.Arrays.equals(before, after), "the conv weight did not change");
            }
        }
    }

    @Test
    void badConfigurationsAreRejectedAtBuildTime() {
        assertThrows(
                IllegalArgumentException.class, () -> FftConv2d.builder().setFilters(4).build());
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                FftConv2d.builder()
                                        .setKernelShape(new Shape(3))
                                        .setFilters(4)
                                        .build());
        assertTrue(e.getMessage().contains("kernel shape must have 2 entries"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        FftConv2d.builder()
                                .setKernelShape(new Shape(3, 3))
                                .setFilters(4)
                                .optGroups(3)
                                .build());
        assertTrue(
                FftConv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(4).build()
                        instanceof Convolution);
    }
}
