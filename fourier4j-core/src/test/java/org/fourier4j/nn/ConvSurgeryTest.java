package org.fourier4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;
import org.fourier4j.fft.ConvAlgorithm;
import org.junit.jupiter.api.Test;

class ConvSurgeryTest {

    /** A block in the usual style: children held in fields and called through them. */
    static final class LargeKernelUnit extends AbstractBlock {
        private final Block large;
        private final Block small;

        LargeKernelUnit(int channels) {
            large =
                    addChildBlock(
                            "large",
                            Conv2d.builder()
                                    .setKernelShape(new Shape(15, 15))
                                    .setFilters(channels)
                                    .optGroups(channels)
                                    .optPadding(new Shape(7, 7))
                                    .build());
            small =
                    addChildBlock(
                            "small",
                            Conv2d.builder()
                                    .setKernelShape(new Shape(3, 3))
                                    .setFilters(channels)
                                    .optGroups(channels)
                                    .optPadding(new Shape(1, 1))
                                    .build());
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList in, boolean training, PairList<String, Object> p) {
            NDArray a = large.forward(ps, in, training).singletonOrThrow();
            NDArray b = small.forward(ps, in, training).singletonOrThrow();
            return new NDList(a.add(b));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputs) {
            return inputs;
        }

        @Override
        protected void initializeChildBlocks(NDManager m, DataType dt, Shape... in) {
            large.initialize(m, dt, in);
            small.initialize(m, dt, in);
        }
    }

    private static Block model() {
        return new SequentialBlock()
                .add(
                        Conv2d.builder()
                                .setKernelShape(new Shape(3, 3))
                                .setFilters(8)
                                .optPadding(new Shape(1, 1))
                                .build())
                .add(Activation::relu)
                .add(new LargeKernelUnit(8))
                .add(
                        Conv2d.builder()
                                .setKernelShape(new Shape(13, 13))
                                .setFilters(4)
                                .optPadding(new Shape(6, 6))
                                .build());
    }

    private static NDArray run(NDManager m, Block b, NDArray x) {
        return b.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
    }

    @Test
    void replacesLargeKernelsKeepsWeightsAndReportsDifferences() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block net = model();
            Shape in = new Shape(2, 3, 28, 28);
            net.initialize(m, DataType.FLOAT32, in);
            NDArray x = m.randomNormal(in);
            NDArray before = run(m, net, x);
            Parameter largeWeight =
                    net.getChildren()
                            .get(2)
                            .getValue()
                            .getChildren()
                            .get(0)
                            .getValue()
                            .getParameters()
                            .get("weight");

            List<ConvSurgery.Replacement> report =
                    ConvSurgery.toFft(net, 13, ConvAlgorithm.FFT, m, new NDList(x));

            report.forEach(System.out::println); // the per-layer report, as a user sees it
            assertEquals(2, report.size(), report.toString());
            assertEquals("03LargeKernelUnit/01large", report.get(0).path());
            assertEquals("04Conv2d", report.get(1).path());
            for (ConvSurgery.Replacement r : report) {
                assertTrue(r.maxRelDifference() < 1e-4, r.toString());
                assertTrue(r.maxAbsDifference() >= 0);
            }
            Block unit = net.getChildren().get(2).getValue();
            Block replaced = unit.getChildren().get(0).getValue();
            assertTrue(replaced instanceof FftConv2d);
            assertTrue(unit.getChildren().get(1).getValue() instanceof Conv2d, "3x3 stays direct");
            assertTrue(net.getChildren().get(0).getValue() instanceof Conv2d, "3x3 stays direct");
            assertSame(
                    largeWeight,
                    replaced.getParameters().get("weight"),
                    "the parameter object is kept");

            NDArray after = run(m, net, x); // the unit's field now calls the FFT block
            float[] a = after.toFloatArray();
            float[] b = before.toFloatArray();
            double diff = 0;
            double ref = 0;
            for (int i = 0; i < a.length; i++) {
                diff = Math.max(diff, Math.abs(a[i] - b[i]));
                ref = Math.max(ref, Math.abs(b[i]));
            }
            assertTrue(diff / ref < 1e-4, "model output changed by " + diff / ref);
        }
    }

    @Test
    void withoutSampleEveryConvolutionCanBeReplaced() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block net = model();
            net.initialize(m, DataType.FLOAT32, new Shape(1, 3, 20, 20));
            List<ConvSurgery.Replacement> report = ConvSurgery.toFft(net, 1, ConvAlgorithm.AUTO);
            assertEquals(4, report.size());
            assertTrue(Double.isNaN(report.get(0).maxAbsDifference()));
            NDArray y = run(m, net, m.randomNormal(new Shape(1, 3, 20, 20)));
            assertEquals(new Shape(1, 4, 20, 20), y.getShape());
            // already converted blocks are left alone
            assertEquals(0, ConvSurgery.toFft(net, 1, ConvAlgorithm.AUTO).size());
        }
    }
}
