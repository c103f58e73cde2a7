package org.fourier4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.fourier4j.models.FlopCounter;
import org.junit.jupiter.api.Test;

/**
 * The mixers' own arithmetic as {@link FlopCounter} counts it: transforms as {@code 5 N log2 N} per
 * complex transform of N points (real-input ones and DCTs half), complex products as 4 real
 * multiply-adds, elementwise products and sums as 1. Expected values are worked out by hand below.
 */
class MixerFlopsTest {

    private static double log2(double v) {
        return Math.log(v) / Math.log(2);
    }

    @Test
    void adaptiveFrequencyFilter() {
        Shape in = new Shape(2, 16, 8, 6); // C = 16, G = 8 groups of c = 2, N = 48
        try (NDManager m = NDManager.newBaseManager()) {
            AdaptiveFrequencyFilter aff = AdaptiveFrequencyFilter.builder().build();
            aff.initialize(m, DataType.FLOAT32, in);
            // per image: rfft2 + irfft2 = 2 x 16 channels x 2.5 x 48 log2 48;
            // bins = 8 x (6/2 + 1) = 32; two complex layers of 8 groups of 2x2 complex MACs:
            // 2 x 4 x 32 x 8 x 2 x 2 = 8192; spectral product 4 x 16 x 32 = 2048
            double perImage = 2 * 16 * 2.5 * 48 * log2(48) + 8192 + 2048;
            assertEquals(2 * perImage, aff.ownFlops(new Shape[] {in}), 1e-6);
            assertEquals(2 * perImage, FlopCounter.count(aff), 1e-6, "no children to add");
        }
    }

    @Test
    void adaptiveFrequencyFilterWithHiddenFactorAndNorm() {
        Shape in = new Shape(1, 8, 4, 4); // G = 4 groups of c = 2, hidden 2 c = 4, N = 16
        try (NDManager m = NDManager.newBaseManager()) {
            AdaptiveFrequencyFilter aff =
                    AdaptiveFrequencyFilter.builder()
                            .optGroups(4)
                            .optHiddenFactor(2)
                            .optNorm(AdaptiveFrequencyFilter.Norm.GROUP_NORM_1)
                            .build();
            aff.initialize(m, DataType.FLOAT32, in);
            // transforms 2 x 8 x 2.5 x 16 x 4 = 2560; bins 4 x 3 = 12;
            // layers 2 x 4 x 12 x 4 x (2 x 4) = 3072; product 4 x 8 x 12 = 384; the norm adds 0
            assertEquals(2560 + 3072 + 384, FlopCounter.count(aff), 1e-9);
        }
    }

    @Test
    void dynamicFilter() {
        Shape in = new Shape(2, 6, 8, 4); // C = 4, M = 8, F = 4, routing hidden 1, N = 48
        try (NDManager m = NDManager.newBaseManager()) {
            DynamicFilter df = DynamicFilter.builder().setChannels(4).build();
            df.initialize(m, DataType.FLOAT32, in);
            // per image: rfft2 + irfft2 on 8 channels = 8 x 5 x 48 log2 48; bins 6 x 5 = 30,
            // per bin and channel the routing mix (2 x 4) and the complex product (4)
            double perImage = 8 * 5 * 48 * log2(48) + 8 * 30 * (2 * 4 + 4);
            assertEquals(2 * perImage, df.ownFlops(new Shape[] {in}), 1e-6);
            // children: pwconv1 4 -> 8 and pwconv2 8 -> 4 on 96 pixels, routing 4 -> 1 -> 32 on
            // the 2 pooled vectors
            double linears = 96 * 4 * 8 * 2 + 2 * (4 * 1 + 1 * 32);
            assertEquals(2 * perImage + linears, FlopCounter.count(df), 1e-6);
        }
    }

    @Test
    void additiveTokenMixer() {
        Shape in = new Shape(2, 8, 5, 7);
        try (NDManager m = NDManager.newBaseManager()) {
            AdditiveTokenMixer atm = AdditiveTokenMixer.builder().setChannels(8).build();
            atm.initialize(m, DataType.FLOAT32, in);
            double p = 2 * 8 * 35;
            assertEquals(6 * p, atm.ownFlops(new Shape[] {in}), 1e-9);
            // children: qkv 1x1 (8 -> 24), dwc and proj 3x3 depthwise; per operation a 3x3
            // depthwise, a 1x1 conv to one channel and a 1x1 conv on the pooled (B, 8, 1, 1)
            double convs = p * 24 + 2 * p * 9 + 2 * (p * 9 + 2 * 35 * 8 + 2 * 8 * 8);
            assertEquals(6 * p + convs, FlopCounter.count(atm), 1e-6);
        }
    }

    @Test
    void spectrumMixer() {
        Shape in = new Shape(2, 4, 8, 8); // N = 64, K = 8
        try (NDManager m = NDManager.newBaseManager()) {
            SpectrumMixer mixer = SpectrumMixer.builder().setChannels(4).build();
            mixer.initialize(m, DataType.FLOAT32, in);
            // per channel plane: DCT-II + DCT-III as two real FFTs of 64 points, 2 x 2.5 x 64 x 6
            // = 1920; band averaging and filter expansion 2 x 64 x 8 = 1024; filter product 64
            double own = 2 * 4 * (1920 + 1024 + 64);
            assertEquals(own, mixer.ownFlops(new Shape[] {in}), 1e-9);
            // the generator's linear layers on (2, 8, 4): 4 -> 1 and 1 -> 4
            assertEquals(own + 16 * 4 + 16 * 4, FlopCounter.count(mixer), 1e-9);
        }
    }

    @Test
    void ffnifiedAttentionIsAllConvolution() {
        Shape in = new Shape(1, 4, 6, 6);
        try (NDManager m = NDManager.newBaseManager()) {
            FfnifiedAttention plain =
                    FfnifiedAttention.builder().setChannels(4).optKernelSizes(3, 3).build();
            plain.initialize(m, DataType.FLOAT32, in);
            assertEquals(0, plain.ownFlops(new Shape[] {in}));
            // 1x1 conv 4 -> 4 on 36 pixels, then two 3x3 depthwise convs
            assertEquals(36 * 16 + 2 * 36 * 4 * 9, FlopCounter.count(plain), 1e-9);
            FfnifiedAttention rep = FfnifiedAttention.builder().setChannels(4).build();
            rep.initialize(m, DataType.FLOAT32, in);
            // training form: each RepVGGDW runs a 7x7 and a 3x3 branch
            assertEquals(36 * 16 + 2 * 36 * 4 * (49 + 9), FlopCounter.count(rep), 1e-9);
            // inference form: one 7x7 each
            assertEquals(36 * 16 + 2 * 36 * 4 * 49, FlopCounter.count(rep.reparameterize()), 1e-9);
        }
    }
}
