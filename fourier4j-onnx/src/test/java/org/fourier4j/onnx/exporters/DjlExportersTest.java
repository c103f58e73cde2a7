package org.fourier4j.onnx.exporters;

import static org.fourier4j.onnx.ExportTesting.check;
import static org.fourier4j.onnx.ExportTesting.initialise;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import org.fourier4j.onnx.OnnxExport;
import org.fourier4j.onnx.OnnxExportException;
import org.fourier4j.onnx.OnnxExportOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DjlExportersTest {

    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @Test
    void linearOnMatricesAndTokens() {
        for (Shape s : new Shape[] {new Shape(2, 6), new Shape(2, 5, 6)}) {
            check(manager, initialise(manager, Linear.builder().setUnits(4).build(), 1, s), s);
        }
        Shape s = new Shape(2, 6);
        check(
                manager,
                initialise(manager, Linear.builder().setUnits(3).optBias(false).build(), 2, s),
                s);
    }

    @Test
    void convolutionsWithStridePaddingDilationAndGroups() {
        Block c1 =
                Conv1d.builder()
                        .setKernelShape(new Shape(3))
                        .setFilters(4)
                        .optPadding(new Shape(2))
                        .optDilation(new Shape(2))
                        .build();
        check(manager, initialise(manager, c1, 3, new Shape(1, 2, 11)), new Shape(1, 2, 11));
        Block c2 =
                Conv2d.builder()
                        .setKernelShape(new Shape(3, 5))
                        .setFilters(6)
                        .optStride(new Shape(2, 1))
                        .optPadding(new Shape(1, 2))
                        .optGroups(2)
                        .build();
        for (Shape s : new Shape[] {new Shape(1, 4, 9, 8), new Shape(1, 4, 6, 7)}) {
            check(manager, initialise(manager, c2, 4, s), s);
        }
        Block c3 =
                Conv3d.builder()
                        .setKernelShape(new Shape(2, 3, 3))
                        .setFilters(3)
                        .optBias(false)
                        .build();
        check(
                manager,
                initialise(manager, c3, 5, new Shape(1, 2, 4, 5, 6)),
                new Shape(1, 2, 4, 5, 6));
    }

    @Test
    void layerNormOverTheLastAxisAndOverAllAxes() {
        Shape tokens = new Shape(2, 5, 8);
        check(
                manager,
                initialise(
                        manager, LayerNorm.builder().axis(2).optEpsilon(1e-6f).build(), 6, tokens),
                tokens);
        Shape flat = new Shape(2, 8);
        check(
                manager,
                initialise(manager, LayerNorm.builder().optEpsilon(1e-3f).build(), 7, flat),
                flat);
    }

    @Test
    void batchNormOnChannelsAndOnAnotherAxis() {
        Shape maps = new Shape(2, 3, 4, 5);
        check(
                manager,
                initialise(manager, BatchNorm.builder().optEpsilon(1e-3f).build(), 8, maps),
                maps);
        Shape tokens = new Shape(2, 5, 6);
        check(
                manager,
                initialise(manager, BatchNorm.builder().optAxis(2).build(), 9, tokens),
                tokens);
    }

    @Test
    void sequentialWithDropout() {
        SequentialBlock seq = new SequentialBlock();
        seq.add(Linear.builder().setUnits(8).build())
                .add(Activation.reluBlock())
                .add(Dropout.builder().optRate(0.5f).build())
                .add(Linear.builder().setUnits(4).build());
        Shape s = new Shape(2, 3, 5);
        check(manager, initialise(manager, seq, 10, s), s);
    }

    @Test
    void activationBlocksOfDjlsFactories() {
        Block[] activations = {
            Activation.reluBlock(),
            Activation.geluBlock(),
            Activation.sigmoidBlock(),
            Activation.tanhBlock(),
            Activation.relu6Block(),
            Activation.softPlusBlock(),
            Activation.softSignBlock(),
            Activation.seluBlock(),
            Activation.mishBlock()
        };
        Shape s = new Shape(2, 3, 5);
        for (Block a : activations) {
            SequentialBlock seq = new SequentialBlock().add(a);
            org.junit.jupiter.api.Assertions.assertDoesNotThrow(
                    () -> check(manager, initialise(manager, seq, 13, s), s),
                    ((LambdaBlock) a).getName());
        }
    }

    @Test
    void anOpaqueLambdaIsRefusedNamingItsPath() {
        SequentialBlock inner = new SequentialBlock();
        inner.add(Linear.builder().setUnits(4).build()).add(new LambdaBlock(l -> l, "myLambda"));
        SequentialBlock outer = new SequentialBlock().add(inner);
        Shape s = new Shape(1, 4);
        initialise(manager, outer, 11, s);
        OnnxExportException e =
                assertThrows(
                        OnnxExportException.class,
                        () -> OnnxExport.toModel(outer, s, OnnxExportOptions.defaults()));
        assertTrue(e.getMessage().contains("'0.1'"), e.getMessage());
        assertTrue(e.getMessage().contains("LambdaBlock 'myLambda'"), e.getMessage());
        assertTrue(e.getMessage().contains("opaque"), e.getMessage());
    }

    @Test
    void leakyReluFromAFactoryWithAnArgumentIsOpaqueToo() {
        SequentialBlock seq = new SequentialBlock().add(Activation.leakyReluBlock(0.1f));
        Shape s = new Shape(1, 4);
        initialise(manager, seq, 12, s);
        OnnxExportException e =
                assertThrows(
                        OnnxExportException.class,
                        () -> OnnxExport.toModel(seq, s, OnnxExportOptions.defaults()));
        assertTrue(e.getMessage().contains("LambdaBlock 'LeakyReLU'"), e.getMessage());
    }
}
