package org.fourier4j.fft;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every bad argument gets an IllegalArgumentException naming it and showing the shapes. */
class FftConvolutionBadInputTest {

    private static NDManager m;

    @BeforeAll
    static void setUp() {
        m = NDManager.newBaseManager();
    }

    @AfterAll
    static void tearDown() {
        m.close();
    }

    private static final Shape ONE = new Shape(1, 1);
    private static final Shape ZERO = new Shape(0, 0);

    private static void assertMessage(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String f : fragments) {
            assertTrue(
                    e.getMessage().contains(f),
                    "message '" + e.getMessage() + "' lacks '" + f + "'");
        }
    }

    @Test
    void wrongInputRank() {
        NDArray x = m.zeros(new Shape(3, 32, 32));
        NDArray w = m.zeros(new Shape(8, 3, 3, 3));
        assertMessage(
                () -> FftConvolution.conv2d(x, w, null, ONE, ZERO, ONE, 1),
                "conv2d",
                "input must have rank 4",
                "(3, 32, 32)");
    }

    @Test
    void wrongWeightRank() {
        NDArray x = m.zeros(new Shape(1, 3, 32, 32));
        NDArray w = m.zeros(new Shape(8, 3, 3));
        assertMessage(
                () -> FftConvolution.conv2d(x, w, null, ONE, ZERO, ONE, 1),
                "weight must have rank 4",
                "(8, 3, 3)");
    }

    @Test
    void channelCountNotMatchingWeight() {
        NDArray x = m.zeros(new Shape(8, 64, 16, 16));
        NDArray w = m.zeros(new Shape(8, 32, 3, 3));
        assertMessage(
                () -> FftConvolution.conv2d(x, w, null, ONE, ZERO, ONE, 1),
                "in_channels=64",
                "(8, 32, 3, 3)",
                "(8, 64, 16, 16)");
    }

    @Test
    void groupsNotDividingInChannels() {
        NDArray x = m.zeros(new Shape(8, 64, 16, 16));
        NDArray w = m.zeros(new Shape(63, 21, 3, 3));
        assertMessage(
                () -> FftConvolution.conv2d(x, w, null, ONE, ZERO, ONE, 3),
                "groups=3 does not divide in_channels=64",
                "(8, 64, 16, 16)");
    }

    @Test
    void groupsNotDividingOutChannels() {
        NDArray x = m.zeros(new Shape(2, 6, 16, 16));
        NDArray w = m.zeros(new Shape(8, 2, 3, 3));
        assertMessage(
                () -> FftConvolution.conv2d(x, w, null, ONE, ZERO, ONE, 3),
                "groups=3 does not divide out_channels=8",
                "(8, 2, 3, 3)");
    }

    @Test
    void nonPositiveGroups() {
        NDArray x = m.zeros(new Shape(2, 6, 16, 16));
        NDArray w = m.zeros(new Shape(8, 6, 3, 3));
        assertMessage(
                () -> FftConvolution.conv2d(x, w, null, ONE, ZERO, ONE, 0),
                "groups must be positive");
    }

    @Test
    void nonPositiveStride() {
        NDArray x = m.zeros(new Shape(1, 3, 16, 16));
        NDArray w = m.zeros(new Shape(4, 3, 3, 3));
        assertMessage(
                () -> FftConvolution.conv2d(x, w, null, new Shape(0, 1), ZERO, ONE, 1),
                "stride must be positive",
                "[0, 1]",
                "(1, 3, 16, 16)");
    }

    @Test
    void nonPositiveDilation() {
        NDArray x = m.zeros(new Shape(1, 3, 16, 16));
        NDArray w = m.zeros(new Shape(4, 3, 3, 3));
        assertMessage(
                () -> FftConvolution.conv2d(x, w, null, ONE, ZERO, new Shape(1, 0), 1),
                "dilation must be positive",
                "[1, 0]");
    }

    @Test
    void negativePadding() {
        NDArray x = m.zeros(new Shape(1, 3, 16, 16));
        NDArray w = m.zeros(new Shape(4, 3, 3, 3));
        assertMessage(
                () ->
                        FftConvolution.convolve(
                                2,
                                x,
                                w,
                                null,
                                ConvOptions.builder()
                                        .padding(Padding.of(new long[] {1, -1}, new long[] {1, 1}))
                                        .build()),
                "padding must be non-negative",
                "(1, 3, 16, 16)");
    }

    @Test
    void wrongNumberOfStrideEntries() {
        NDArray x = m.zeros(new Shape(1, 3, 16));
        NDArray w = m.zeros(new Shape(4, 3, 3));
        assertMessage(
                () ->
                        FftConvolution.conv1d(
                                x, w, null, new Shape(1, 1), new Shape(0), new Shape(1), 1),
                "conv1d",
                "stride must have 1 entries");
    }

    @Test
    void emptyOutput() {
        NDArray x = m.zeros(new Shape(1, 3, 5, 5));
        NDArray w = m.zeros(new Shape(4, 3, 7, 7));
        assertMessage(
                () -> FftConvolution.conv2d(x, w, null, ONE, ZERO, ONE, 1),
                "empty output",
                "(1, 3, 5, 5)",
                "[7, 7]");
    }

    @Test
    void emptyInput() {
        NDArray x = m.zeros(new Shape(0, 3, 5, 5));
        NDArray w = m.zeros(new Shape(4, 3, 3, 3));
        assertMessage(
                () -> FftConvolution.conv2d(x, w, null, ONE, ZERO, ONE, 1),
                "empty",
                "(0, 3, 5, 5)");
    }

    @Test
    void mismatchedBiasLength() {
        NDArray x = m.zeros(new Shape(1, 3, 16, 16));
        NDArray w = m.zeros(new Shape(4, 3, 3, 3));
        NDArray b = m.zeros(new Shape(5));
        assertMessage(
                () -> FftConvolution.conv2d(x, w, b, ONE, ZERO, ONE, 1),
                "bias must have shape (4)",
                "(4, 3, 3, 3)",
                "(5)");
    }

    @Test
    void mismatchedDataTypes() {
        NDArray x = m.zeros(new Shape(1, 3, 16, 16), DataType.FLOAT32);
        NDArray w = m.zeros(new Shape(4, 3, 3, 3), DataType.FLOAT64);
        assertMessage(
                () -> FftConvolution.conv2d(x, w, null, ONE, ZERO, ONE, 1),
                "same data type",
                "float32",
                "float64",
                "(1, 3, 16, 16)");
    }

    @Test
    void mismatchedBiasDataType() {
        NDArray x = m.zeros(new Shape(1, 3, 16, 16));
        NDArray w = m.zeros(new Shape(4, 3, 3, 3));
        NDArray b = m.zeros(new Shape(4), DataType.FLOAT64);
        assertMessage(() -> FftConvolution.conv2d(x, w, b, ONE, ZERO, ONE, 1), "bias", "float64");
    }

    @Test
    void unsupportedDataType() {
        NDArray x = m.zeros(new Shape(1, 3, 16, 16), DataType.INT32);
        NDArray w = m.zeros(new Shape(4, 3, 3, 3), DataType.INT32);
        assertMessage(
                () -> FftConvolution.conv2d(x, w, null, ONE, ZERO, ONE, 1),
                "float32 or float64",
                "int32");
    }

    @Test
    void reflectPaddingWiderThanInput() {
        NDArray x = m.zeros(new Shape(1, 1, 4));
        NDArray w = m.zeros(new Shape(1, 1, 9));
        assertMessage(
                () ->
                        FftConvolution.convolve(
                                1,
                                x,
                                w,
                                null,
                                ConvOptions.builder()
                                        .padding(4)
                                        .paddingMode(PaddingMode.REFLECT)
                                        .build()),
                "reflect padding",
                "(1, 1, 4)");
    }

    @Test
    void nullArguments() {
        NDArray w = m.zeros(new Shape(4, 3, 3, 3));
        assertMessage(
                () -> FftConvolution.conv2d(null, w, null, ONE, ZERO, ONE, 1),
                "input must not be null");
    }

    @Test
    void theSameChecksGuardEveryAlgorithm() {
        NDArray x = m.zeros(new Shape(8, 64, 16, 16));
        NDArray w = m.zeros(new Shape(8, 32, 3, 3));
        ConvOptions o = ConvOptions.builder().build();
        for (ConvAlgorithm a : ConvAlgorithm.values()) {
            assertMessage(() -> Convolutions.convolve(2, x, w, null, o, a, null), "in_channels=64");
        }
        assertMessage(() -> DirectConvolution.convolve(2, x, w, null, o), "in_channels=64");
    }
}
