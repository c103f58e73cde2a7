package org.fourier4j.onnx.spectral;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TransformRuleTest {

    private static ConvMethod same(int size, int kernel, int channels) {
        int left = (kernel - 1) / 2;
        return TransformRule.conv(
                ConvMethod.AUTO,
                channels,
                new int[] {size, size},
                new int[] {kernel, kernel},
                new int[] {left, left},
                new int[] {kernel - 1 - left, kernel - 1 - left});
    }

    @Test
    void largeDepthwiseKernelsGoSpectralAndSmallOnesStayDirect() {
        assertEquals(ConvMethod.MATMUL, same(56, 31, 128)); // RepLKNet-31B stage 1
        assertEquals(ConvMethod.MATMUL, same(28, 29, 256));
        assertEquals(ConvMethod.DIRECT, same(7, 13, 1024)); // stage 4
        assertEquals(ConvMethod.DIRECT, same(56, 7, 96)); // ConvNeXt
        assertEquals(ConvMethod.DIRECT, same(14, 3, 512));
        assertEquals(ConvMethod.MATMUL, same(56, 56, 96)); // a long convolution as large as the map
    }

    @Test
    void anExplicitChoiceWins() {
        assertEquals(
                ConvMethod.DFT,
                TransformRule.conv(
                        ConvMethod.DFT,
                        4,
                        new int[] {7},
                        new int[] {3},
                        new int[] {1},
                        new int[] {1}));
        assertEquals(SpectralMethod.DFT, TransformRule.spectral(SpectralMethod.DFT, 64, 64));
        assertEquals(SpectralMethod.MATMUL, TransformRule.spectral(SpectralMethod.AUTO, 64, 64));
    }

    @Test
    void spectralCostCountsTheMatrixProducts() {
        // 31x31 'same' on 56x56: n = 71, 36 bins; 2*56*56*36 + 4*36*56*71 + 4*36*71*56 + 2*56*36*56
        assertEquals(
                1_596_672,
                TransformRule.spectralMacs(
                        new int[] {56, 56},
                        new int[] {31, 31},
                        new int[] {15, 15},
                        new int[] {15, 15}),
                0.5);
        assertEquals(
                56.0 * 56 * 31 * 31,
                TransformRule.directMacs(
                        new int[] {56, 56},
                        new int[] {31, 31},
                        new int[] {15, 15},
                        new int[] {15, 15}),
                0.5);
        assertEquals(71, TransformRule.spectralLength(56, 31, 15, 15));
        assertEquals(64, TransformRule.nextPowerOfTwo(33));
    }
}
