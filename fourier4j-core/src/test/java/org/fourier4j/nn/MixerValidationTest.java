package org.fourier4j.nn;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Bad input fails in Java with an {@link IllegalArgumentException} that names the block and shows
 * the offending shape - at initialisation, in {@code getOutputShapes} and in the forward pass -
 * rather than crashing in native code or broadcasting silently.
 */
class MixerValidationTest {

    private static NDManager manager;

    @BeforeAll
    static void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    private static void assertRejected(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String f : fragments) {
            assertTrue(
                    e.getMessage().contains(f),
                    "message '" + e.getMessage() + "' lacks '" + f + "'");
        }
    }

    /**
     * A block initialised at {@code good} rejects {@code bad} in forward and in getOutputShapes.
     */
    private static void rejectsInput(
            Supplier<Block> factory, Shape good, Shape bad, String name, String... more) {
        try (NDManager m = manager.newSubManager()) {
            Block block = BlockTesting.initialize(factory.get(), m, DataType.FLOAT32, good, 1);
            String[] fragments = new String[more.length + 2];
            fragments[0] = name + ":";
            fragments[1] = bad.toString();
            System.arraycopy(more, 0, fragments, 2, more.length);
            assertRejected(() -> BlockTesting.forward(block, m, m.zeros(bad), false), fragments);
            assertRejected(() -> block.getOutputShapes(new Shape[] {bad}), fragments);
        }
    }

    @Test
    void wrongLayoutIsNamed() {
        rejectsInput(
                () -> GlobalFilter.builder().build(),
                new Shape(2, 4, 4, 32),
                new Shape(2, 3, 32),
                "GlobalFilter",
                "(B, H, W, C)");
        rejectsInput(
                () -> GlobalFilter.builder().build(),
                new Shape(2, 4, 4, 32),
                new Shape(2, 4, 4, 16),
                "GlobalFilter",
                "C = 32");
        rejectsInput(
                () -> DynamicFilter.builder().setChannels(8).build(),
                new Shape(2, 4, 4, 8),
                new Shape(2, 8, 4, 4),
                "DynamicFilter",
                "C = 8");
        rejectsInput(
                () -> DynamicFilter.builder().setChannels(8).build(),
                new Shape(2, 4, 4, 8),
                new Shape(2, 16, 8),
                "DynamicFilter",
                "(B, H, W, C)");
        rejectsInput(
                () -> FourierMixer.builder().build(),
                new Shape(2, 5, 8),
                new Shape(2, 5, 8, 1),
                "FourierMixer",
                "(B, N, D)");
        rejectsInput(
                () -> FourierEncoderBlock.builder().setHiddenSize(8).setFeedForwardSize(16).build(),
                new Shape(2, 5, 8),
                new Shape(2, 5, 6),
                "FourierEncoderBlock",
                "D = 8");
        rejectsInput(
                () -> MultiHeadSelfAttention.builder().setHiddenSize(8).build(),
                new Shape(2, 5, 8),
                new Shape(2, 8, 5, 1),
                "MultiHeadSelfAttention",
                "(B, N, D)");
        rejectsInput(
                () -> SpectrumMixer.builder().setChannels(8).build(),
                new Shape(1, 8, 8, 8),
                new Shape(1, 4, 8, 8),
                "SpectrumMixer",
                "C = 8");
        rejectsInput(
                () -> FfnifiedAttention.builder().setChannels(4).build(),
                new Shape(1, 4, 8, 8),
                new Shape(1, 8, 8),
                "FfnifiedAttention",
                "(B, C, H, W)");
        rejectsInput(
                () -> AdditiveTokenMixer.builder().setChannels(4).build(),
                new Shape(1, 4, 8, 8),
                new Shape(1, 5, 8, 8),
                "AdditiveTokenMixer",
                "C = 4");
        rejectsInput(
                () -> AdaptiveFrequencyFilter.builder().build(),
                new Shape(1, 16, 8, 8),
                new Shape(1, 16, 8),
                "AdaptiveFrequencyFilter",
                "(B, C, H, W)");
        rejectsInput(
                () -> SgConvKernel.builder().setChannels(3).setMaxLength(16).build(),
                new Shape(1, 3, 16),
                new Shape(1, 3, 4, 4),
                "SgConvKernel",
                "(B, C, L)");
        rejectsInput(
                () -> S4dKernel.builder().setChannels(3).optDims(2).build(),
                new Shape(1, 3, 4, 4),
                new Shape(1, 2, 4, 4),
                "S4dKernel",
                "C = 3");
    }

    @Test
    void channelsNotDivisibleByGroups() {
        try (NDManager m = manager.newSubManager()) {
            Shape bad = new Shape(2, 12, 8, 8);
            assertRejected(
                    () ->
                            AdaptiveFrequencyFilter.builder()
                                    .optGroups(8)
                                    .build()
                                    .initialize(m, DataType.FLOAT32, bad),
                    "AdaptiveFrequencyFilter",
                    "C=12",
                    "groups=8",
                    bad.toString());
            assertRejected(
                    () -> AdaptiveFrequencyFilter.builder().optChannels(12).optGroups(8).build(),
                    "AdaptiveFrequencyFilter",
                    "C=12",
                    "groups=8");
            assertRejected(
                    () -> MultiHeadSelfAttention.builder().setHiddenSize(10).optHeads(3).build(),
                    "MultiHeadSelfAttention",
                    "heads=3",
                    "D=10");
        }
    }

    @Test
    void initializationChecksTheShapeToo() {
        Object[][] cases = {
            {
                SgConvKernel.builder().setChannels(3).setMaxLength(8).build(),
                new Shape(1, 4, 8),
                "SgConvKernel"
            },
            {
                S4dKernel.builder().setChannels(3).optDims(2).build(),
                new Shape(1, 3, 8),
                "S4dKernel"
            },
            {GlobalFilter.builder().optChannels(8).build(), new Shape(1, 4, 4, 6), "GlobalFilter"},
            {
                DynamicFilter.builder().setChannels(8).build(),
                new Shape(1, 8, 4, 4),
                "DynamicFilter"
            },
            {
                FourierMixer.builder().optLayout(FourierMixer.Layout.GRID).build(),
                new Shape(1, 4, 6),
                "FourierMixer"
            },
            {
                SpectrumMixer.builder().setChannels(4).build(),
                new Shape(1, 5, 8, 8),
                "SpectrumMixer"
            },
            {
                FfnifiedAttention.builder().setChannels(4).build(),
                new Shape(1, 5, 8, 8),
                "FfnifiedAttention"
            },
            {
                AdditiveTokenMixer.builder().setChannels(4).build(),
                new Shape(1, 4, 8),
                "AdditiveTokenMixer"
            },
            {
                MultiHeadSelfAttention.builder().setHiddenSize(8).build(),
                new Shape(1, 4, 6),
                "MultiHeadSelfAttention"
            },
        };
        try (NDManager m = manager.newSubManager()) {
            for (Object[] c : cases) {
                Block b = (Block) c[0];
                Shape s = (Shape) c[1];
                IllegalArgumentException e =
                        assertThrows(
                                IllegalArgumentException.class,
                                () -> b.initialize(m, DataType.FLOAT32, s),
                                c[2] + " initialised with " + s);
                assertTrue(
                        e.getMessage().contains(c[2] + ":")
                                && e.getMessage().contains(s.toString()),
                        e.getMessage());
            }
        }
    }

    @Test
    void resolutionTooSmall() {
        rejectsInput(
                () -> SpectrumMixer.builder().setChannels(4).optBands(8).build(),
                new Shape(1, 4, 8, 8),
                new Shape(1, 4, 3, 3),
                "SpectrumMixer",
                "too small",
                "8 frequency bands");
        try (NDManager m = manager.newSubManager()) {
            assertRejected(
                    () ->
                            SpectrumMixer.builder()
                                    .setChannels(4)
                                    .build()
                                    .initialize(m, DataType.FLOAT32, new Shape(1, 4, 2, 2)),
                    "SpectrumMixer",
                    "too small",
                    "(1, 4, 2, 2)");
        }
        // a filter that may not be resized is too small (or too large) for another grid
        rejectsInput(
                () -> GlobalFilter.builder().optResize(false).build(),
                new Shape(1, 8, 8, 4),
                new Shape(1, 16, 16, 4),
                "GlobalFilter",
                "8x8",
                "resizing off");
        rejectsInput(
                () -> DynamicFilter.builder().setChannels(4).optResize(false).build(),
                new Shape(1, 8, 8, 4),
                new Shape(1, 8, 10, 4),
                "DynamicFilter",
                "8x8",
                "resizing off");
    }

    @Test
    void dynamicFilterSettingsAreChecked() {
        assertRejected(() -> DynamicFilter.builder().build(), "DynamicFilter", "setChannels");
        assertRejected(
                () -> DynamicFilter.builder().setChannels(3).build(),
                "DynamicFilter",
                "C = 3",
                "routing ratio 0.25",
                "width 0");
        assertRejected(
                () -> DynamicFilter.builder().setChannels(8).optFilters(0).build(),
                "DynamicFilter",
                "filters must be positive, got 0");
        assertRejected(
                () -> DynamicFilter.builder().setChannels(8).optGridSize(0, 4).build(),
                "DynamicFilter",
                "0x4");
    }

    @Test
    void wrongDataTypeAndInputCount() {
        try (NDManager m = manager.newSubManager()) {
            Block block =
                    BlockTesting.initialize(
                            GlobalFilter.builder().build(),
                            m,
                            DataType.FLOAT32,
                            new Shape(1, 4, 4, 2),
                            1);
            assertRejected(
                    () ->
                            BlockTesting.forward(
                                    block,
                                    m,
                                    m.zeros(new Shape(1, 4, 4, 2), DataType.INT32),
                                    false),
                    "GlobalFilter",
                    "int32");
        }
    }
}
