package org.fourier4j.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.fourier4j.fft.FftNorm;

/**
 * One configuration of a block under test: how to build it, the shape it is initialised with (also
 * used for the gradient check), three more input shapes it must accept (including odd sizes), and
 * whether the gradient check runs in training mode (BatchNorm on batch statistics).
 */
final class MixerCase {

    final String name;
    final Supplier<Block> factory;
    final Shape shape;
    final Shape[] resolutions;
    final boolean training;

    MixerCase(
            String name,
            Supplier<Block> factory,
            Shape shape,
            boolean training,
            Shape... resolutions) {
        this.name = name;
        this.factory = factory;
        this.shape = shape;
        this.training = training;
        this.resolutions = resolutions;
    }

    @Override
    public String toString() {
        return name;
    }

    private static Shape[] grids(long batch, long channels) {
        return new Shape[] {
            new Shape(batch, channels, 8, 8),
            new Shape(batch, channels, 7, 9),
            new Shape(1, channels, 12, 5)
        };
    }

    /** Every mixer and long-convolution kernel, in small float64-friendly sizes. */
    static List<MixerCase> all() {
        List<MixerCase> cases = new ArrayList<>();
        Shape[] sequences = {new Shape(2, 16, 8), new Shape(1, 17, 8), new Shape(3, 33, 8)};
        cases.add(
                new MixerCase(
                        "FourierMixer.SEQUENCE",
                        () -> FourierMixer.builder().build(),
                        new Shape(2, 5, 6),
                        false,
                        new Shape(2, 16, 8),
                        new Shape(1, 17, 5),
                        new Shape(3, 33, 7)));
        cases.add(
                new MixerCase(
                        "FourierMixer.GRID",
                        () -> FourierMixer.builder().optLayout(FourierMixer.Layout.GRID).build(),
                        new Shape(2, 3, 4, 5),
                        false,
                        new Shape(1, 8, 8, 6),
                        new Shape(2, 7, 9, 6),
                        new Shape(1, 12, 5, 3)));
        cases.add(
                new MixerCase(
                        "FourierEncoderBlock.FNET",
                        () ->
                                FourierEncoderBlock.builder()
                                        .setHiddenSize(8)
                                        .setFeedForwardSize(12)
                                        .build(),
                        new Shape(2, 5, 8),
                        false,
                        sequences));
        cases.add(
                new MixerCase(
                        "FourierEncoderBlock.FIT",
                        () ->
                                FourierEncoderBlock.builder()
                                        .setHiddenSize(8)
                                        .setFeedForwardSize(12)
                                        .optStyle(FourierEncoderBlock.Style.FIT)
                                        .build(),
                        new Shape(2, 5, 8),
                        false,
                        sequences));
        cases.add(
                new MixerCase(
                        "FourierEncoderBlock.FIT.ORTHO",
                        () ->
                                FourierEncoderBlock.builder()
                                        .setHiddenSize(8)
                                        .setFeedForwardSize(12)
                                        .optStyle(FourierEncoderBlock.Style.FIT)
                                        .optFourierNorm(FftNorm.ORTHO)
                                        .build(),
                        new Shape(2, 5, 8),
                        false,
                        sequences));
        cases.add(
                new MixerCase(
                        "GlobalFilter",
                        () -> GlobalFilter.builder().build(),
                        new Shape(2, 5, 6, 4),
                        false,
                        new Shape(2, 8, 8, 4),
                        new Shape(1, 7, 9, 4),
                        new Shape(1, 12, 5, 4)));
        cases.add(
                new MixerCase(
                        "GlobalFilter.resized",
                        () -> GlobalFilter.builder().optGridSize(4, 4).build(),
                        new Shape(2, 5, 7, 4),
                        false,
                        new Shape(2, 8, 8, 4),
                        new Shape(1, 7, 9, 4),
                        new Shape(1, 12, 5, 4)));
        cases.add(
                new MixerCase(
                        "DynamicFilter",
                        () -> DynamicFilter.builder().setChannels(8).build(),
                        new Shape(2, 5, 6, 8),
                        false,
                        new Shape(2, 8, 8, 8),
                        new Shape(1, 7, 9, 8),
                        new Shape(1, 12, 5, 8)));
        cases.add(
                new MixerCase(
                        "DynamicFilter.resized",
                        () ->
                                DynamicFilter.builder()
                                        .setChannels(4)
                                        .optGridSize(4, 4)
                                        .optFilters(3)
                                        .optRouteRatio(1)
                                        .build(),
                        new Shape(2, 5, 7, 4),
                        false,
                        new Shape(2, 8, 8, 4),
                        new Shape(1, 7, 9, 4),
                        new Shape(1, 12, 5, 4)));
        cases.add(
                new MixerCase(
                        "AdaptiveFrequencyFilter",
                        () ->
                                AdaptiveFrequencyFilter.builder()
                                        .optGroups(2)
                                        .optActivation(AdaptiveFrequencyFilter.MaskActivation.GELU)
                                        .build(),
                        new Shape(2, 8, 5, 6),
                        false,
                        grids(2, 8)));
        cases.add(
                new MixerCase(
                        "AdaptiveFrequencyFilter.relu.norm",
                        () ->
                                AdaptiveFrequencyFilter.builder()
                                        .optGroups(4)
                                        .optNorm(AdaptiveFrequencyFilter.Norm.LAYER_NORM)
                                        .build(),
                        new Shape(2, 8, 4, 5),
                        false,
                        grids(2, 8)));
        cases.add(
                new MixerCase(
                        "SpectrumMixer",
                        () ->
                                SpectrumMixer.builder()
                                        .setChannels(8)
                                        .optBands(4)
                                        .optReduction(2)
                                        .build(),
                        new Shape(2, 8, 6, 5),
                        false,
                        grids(2, 8)));
        cases.add(
                new MixerCase(
                        "FfnifiedAttention",
                        () ->
                                FfnifiedAttention.builder()
                                        .setChannels(4)
                                        .optKernelSizes(7, 3)
                                        .build(),
                        new Shape(2, 4, 6, 5),
                        true,
                        grids(2, 4)));
        // inference mode: in training mode BatchNorm subtracts the batch mean, so the bias of the
        // depthwise conv before it (present in the paper's code) provably gets a zero gradient
        cases.add(
                new MixerCase(
                        "AdditiveTokenMixer",
                        () -> AdditiveTokenMixer.builder().setChannels(4).build(),
                        new Shape(2, 4, 5, 6),
                        false,
                        grids(2, 4)));
        cases.add(
                new MixerCase(
                        "MultiHeadSelfAttention",
                        () -> MultiHeadSelfAttention.builder().setHiddenSize(8).optHeads(2).build(),
                        new Shape(2, 5, 8),
                        false,
                        sequences));
        cases.add(
                new MixerCase(
                        "SgConvKernel.1d",
                        () ->
                                SgConvKernel.builder()
                                        .setChannels(3)
                                        .setMaxLength(20)
                                        .optKernelDim(4)
                                        .build(),
                        new Shape(2, 3, 20),
                        false,
                        new Shape(2, 3, 16),
                        new Shape(1, 3, 17),
                        new Shape(1, 3, 45)));
        cases.add(
                new MixerCase(
                        "SgConvKernel.1d.bidirectional",
                        () ->
                                SgConvKernel.builder()
                                        .setChannels(3)
                                        .setMaxLength(12)
                                        .optKernelDim(4)
                                        .optBidirectional(true)
                                        .optBias(true)
                                        .build(),
                        new Shape(2, 3, 11),
                        false,
                        new Shape(2, 3, 16),
                        new Shape(1, 3, 17),
                        new Shape(1, 3, 5)));
        cases.add(
                new MixerCase(
                        "SgConvKernel.2d",
                        () ->
                                SgConvKernel.builder()
                                        .setChannels(3)
                                        .setMaxLength(9)
                                        .optKernelDim(3)
                                        .optDims(2)
                                        .build(),
                        new Shape(2, 3, 7, 9),
                        false,
                        grids(2, 3)));
        cases.add(
                new MixerCase(
                        "S4dKernel.1d",
                        () -> S4dKernel.builder().setChannels(3).optStateSize(8).build(),
                        new Shape(2, 3, 16),
                        false,
                        new Shape(2, 3, 16),
                        new Shape(1, 3, 17),
                        new Shape(1, 3, 45)));
        cases.add(
                new MixerCase(
                        "S4dKernel.1d.bidirectional.inv",
                        () ->
                                S4dKernel.builder()
                                        .setChannels(3)
                                        .optStateSize(8)
                                        .optBidirectional(true)
                                        .optInit(S4dKernel.Init.INV)
                                        .optBias(true)
                                        .build(),
                        new Shape(2, 3, 9),
                        false,
                        new Shape(2, 3, 16),
                        new Shape(1, 3, 17),
                        new Shape(1, 3, 5)));
        cases.add(
                new MixerCase(
                        "S4dKernel.2d",
                        () -> S4dKernel.builder().setChannels(3).optStateSize(8).optDims(2).build(),
                        new Shape(2, 3, 6, 7),
                        false,
                        grids(2, 3)));
        return cases;
    }
}
