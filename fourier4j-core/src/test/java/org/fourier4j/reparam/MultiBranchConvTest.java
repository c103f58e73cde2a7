package org.fourier4j.reparam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.fourier4j.fft.ConvAlgorithm;
import org.fourier4j.nn.Act;
import org.fourier4j.nn.ParameterNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fusing a multi-branch unit in place equals the branches in inference mode (float64: max|diff| /
 * max|ref| <= 1e-12; float32: 1e-5), gives the official deploy names, is idempotent, and equals the
 * unit built directly in inference form.
 */
class MultiBranchConvTest {

    /** RepLKNet's large-kernel unit: 7x7 depthwise (by the given algorithm) + 3x3. */
    static MultiBranchConv largeKernel(ConvAlgorithm algorithm, boolean inference) {
        MultiBranchConv.Builder b =
                MultiBranchConv.builder(new ConvSpec(6, 7, 1, 6, algorithm))
                        .optFusedName("lkb_reparam");
        return inference
                ? b.buildInferenceForm()
                : b.addBranch(
                                "lkb_origin",
                                ConvBn.builder(6, 7).optGroups(6).optAlgorithm(algorithm).build())
                        .addBranch("small_conv", ConvBn.builder(6, 3).optGroups(6).build())
                        .build();
    }

    static Stream<Arguments> units() {
        return Stream.of(
                Arguments.of(
                        "large kernel, direct",
                        6,
                        (Supplier<Block>) () -> largeKernel(ConvAlgorithm.DIRECT, false),
                        (Supplier<Block>) () -> largeKernel(ConvAlgorithm.DIRECT, true),
                        List.of("lkb_reparam.weight", "lkb_reparam.bias")),
                Arguments.of(
                        "large kernel, fft",
                        6,
                        (Supplier<Block>) () -> largeKernel(ConvAlgorithm.FFT, false),
                        (Supplier<Block>) () -> largeKernel(ConvAlgorithm.FFT, true),
                        List.of("lkb_reparam.weight", "lkb_reparam.bias")),
                Arguments.of(
                        "RepVGGDW 4 -> 8, stride 2",
                        4,
                        (Supplier<Block>) () -> FfNetUnits.repVggDw(4, 8, 7, 2, false),
                        (Supplier<Block>) () -> FfNetUnits.repVggDw(4, 8, 7, 2, true),
                        List.of("weight", "bias")),
                Arguments.of(
                        "Conv2d_BN_skip",
                        6,
                        (Supplier<Block>) () -> FfNetUnits.bnConvSkip(6, false),
                        (Supplier<Block>) () -> FfNetUnits.bnConvSkip(6, true),
                        List.of("weight", "bias")),
                Arguments.of(
                        "Conv2d_BN 3x3 stride 2",
                        3,
                        (Supplier<Block>) () -> FfNetUnits.convBn(8, 3, 2, 1, false),
                        (Supplier<Block>) () -> FfNetUnits.convBn(8, 3, 2, 1, true),
                        List.of("weight", "bias")));
    }

    private static Map<String, Shape> shapes(Block b) {
        Map<String, Shape> out = new LinkedHashMap<>();
        ParameterNames.of(b).forEach((n, p) -> out.put(n, p.getArray().getShape()));
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("units")
    void fusedInPlaceEqualsTheBranches(
            String what,
            int channels,
            Supplier<Block> training,
            Supplier<Block> inference,
            List<String> deployNames) {
        for (DataType type : new DataType[] {DataType.FLOAT64, DataType.FLOAT32}) {
            try (NDManager m = NDManager.newBaseManager()) {
                Shape in = new Shape(2, channels, 13, 10);
                MultiBranchConv unit =
                        (MultiBranchConv) Trained.initialize(training.get(), m, type, in, 7);
                NDArray x = Trained.input(m, type, in, 8);
                double[] branches = Trained.infer(unit, m, x);
                assertFalse(unit.isFused());
                assertTrue(unit.fuse());
                assertTrue(unit.isFused());
                assertTrue(unit.branches().isEmpty());
                double[] fused = Trained.infer(unit, m, x);
                double err = Trained.relativeError(fused, branches);
                double tolerance = type == DataType.FLOAT64 ? 1e-12 : 1e-5;
                assertTrue(err <= tolerance, what + " " + type + ": relative error " + err);
                assertEquals(deployNames, List.copyOf(ParameterNames.of(unit).keySet()));
                // idempotent
                assertFalse(unit.fuse());
                assertEquals(0, Trained.relativeError(Trained.infer(unit, m, x), fused));
                // the same structure as the unit built fused
                Block direct = inference.get();
                direct.initialize(m, type, in);
                assertEquals(shapes(direct), shapes(unit));
            }
        }
    }

    @Test
    void trainingFormsHaveTheOfficialNames() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block skip = FfNetUnits.bnConvSkip(4, false);
            skip.initialize(m, DataType.FLOAT32, new Shape(1, 4, 5, 5));
            assertEquals(
                    List.of(
                            "conv.bn.weight",
                            "conv.bn.bias",
                            "conv.bn.running_mean",
                            "conv.bn.running_var",
                            "conv.c.weight"),
                    List.copyOf(ParameterNames.of(skip).keySet()));
            Block convBn = FfNetUnits.convBn(4, 1, 1, 1, false);
            convBn.initialize(m, DataType.FLOAT32, new Shape(1, 4, 5, 5));
            assertEquals(
                    List.of(
                            "c.weight",
                            "bn.weight",
                            "bn.bias",
                            "bn.running_mean",
                            "bn.running_var"),
                    List.copyOf(ParameterNames.of(convBn).keySet()));
            Block lk = largeKernel(ConvAlgorithm.AUTO, false);
            lk.initialize(m, DataType.FLOAT32, new Shape(1, 6, 9, 9));
            assertTrue(ParameterNames.of(lk).containsKey("lkb_origin.conv.weight"));
            assertTrue(ParameterNames.of(lk).containsKey("small_conv.bn.running_var"));
        }
    }

    @Test
    void equivalentConvOfAFusedUnitIsItsConvolution() {
        try (NDManager m = NDManager.newBaseManager()) {
            MultiBranchConv unit =
                    Trained.initialize(
                            FfNetUnits.repVggDw(3, 3, 7, 1, false),
                            m,
                            DataType.FLOAT32,
                            new Shape(1, 3, 8, 8),
                            9);
            try (ConvWeights before = unit.equivalentConv()) {
                unit.fuse();
                try (ConvWeights after = unit.equivalentConv()) {
                    assertEquals(before.weight(), after.weight());
                    assertEquals(before.bias(), after.bias());
                }
            }
        }
    }

    @Test
    void badUnitsAreExplained() {
        IllegalStateException early =
                assertThrows(
                        IllegalStateException.class,
                        () -> FfNetUnits.repVggDw(3, 3, 7, 1, false).fuse());
        assertTrue(early.getMessage().contains("initialise"), early.getMessage());
        IllegalArgumentException branch =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                MultiBranchConv.builder(ConvSpec.of(4, 3))
                                        .addBranch("big", ConvBn.builder(4, 5).build()));
        assertTrue(branch.getMessage().contains("branch 'big'"), branch.getMessage());
        IllegalArgumentException act =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                MultiBranchConv.builder(ConvSpec.of(4, 3))
                                        .addBranch(
                                                "relu",
                                                ConvBn.builder(4, 3)
                                                        .optActivation(Act.Kind.RELU)
                                                        .build()));
        assertTrue(act.getMessage().contains("activation"), act.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> MultiBranchConv.builder(ConvSpec.of(4, 3).withStride(2)).optIdentity());
        assertThrows(
                IllegalStateException.class,
                () -> MultiBranchConv.builder(ConvSpec.of(4, 3)).build());
        assertThrows(IllegalArgumentException.class, () -> ConvSpec.of(4, 4));
        assertThrows(IllegalArgumentException.class, () -> FfNetUnits.repVggDw(4, 6, 7, 1, false));
        try (NDManager m = NDManager.newBaseManager()) {
            IllegalArgumentException channels =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    FfNetUnits.bnConvSkip(4, false)
                                            .initialize(
                                                    m, DataType.FLOAT32, new Shape(1, 3, 5, 5)));
            assertTrue(
                    channels.getMessage().contains("needs 4 input channels"),
                    channels.getMessage());
        }
    }
}
