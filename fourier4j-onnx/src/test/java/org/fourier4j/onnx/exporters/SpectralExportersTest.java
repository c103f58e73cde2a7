package org.fourier4j.onnx.exporters;

import static org.fourier4j.onnx.ExportTesting.check;
import static org.fourier4j.onnx.ExportTesting.initialise;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.fourier4j.fft.FftNorm;
import org.fourier4j.nn.AdaptiveFrequencyFilter;
import org.fourier4j.nn.FourierMixer;
import org.fourier4j.nn.GlobalFilter;
import org.fourier4j.nn.SpectrumMixer;
import org.fourier4j.onnx.OnnxExportOptions;
import org.fourier4j.onnx.spectral.SpectralMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The Fourier token mixers, with the transforms as matrix products and as DFT operators. */
class SpectralExportersTest {

    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private static OnnxExportOptions options(SpectralMethod method, int opset) {
        return OnnxExportOptions.builder().spectralMethod(method).opset(opset).build();
    }

    @ParameterizedTest
    @EnumSource(
            value = SpectralMethod.class,
            names = {"MATMUL", "DFT"})
    void fourierMixerOnSequencesAndGrids(SpectralMethod method) {
        FourierMixer seq =
                initialise(manager, FourierMixer.builder().build(), 1, new Shape(2, 5, 6));
        for (Shape s : new Shape[] {new Shape(2, 5, 6), new Shape(1, 8, 3)}) {
            check(manager, seq, s, options(method, 17));
        }
        FourierMixer ortho = FourierMixer.builder().optNorm(FftNorm.ORTHO).build();
        check(
                manager,
                initialise(manager, ortho, 2, new Shape(1, 7, 4)),
                new Shape(1, 7, 4),
                options(method, 20));
        FourierMixer grid = FourierMixer.builder().optLayout(FourierMixer.Layout.GRID).build();
        for (Shape s : new Shape[] {new Shape(1, 3, 4, 5), new Shape(2, 4, 4, 2)}) {
            check(manager, initialise(manager, grid, 3, s), s, options(method, 17));
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = SpectralMethod.class,
            names = {"MATMUL", "DFT"})
    void globalFilterAtItsGridAndResizedToOthers(SpectralMethod method) {
        GlobalFilter filter = GlobalFilter.builder().optGridSize(6, 6).build();
        initialise(manager, filter, 4, new Shape(1, 6, 6, 4));
        for (int opset : new int[] {17, 20}) {
            check(manager, filter, new Shape(1, 6, 6, 4), options(method, opset));
        }
        // odd width and a resized filter
        check(manager, filter, new Shape(2, 5, 7, 4), options(method, 17));
        check(manager, filter, new Shape(1, 8, 8, 4), options(method, 18));
    }

    @ParameterizedTest
    @EnumSource(
            value = SpectralMethod.class,
            names = {"MATMUL", "DFT"})
    void adaptiveFrequencyFilterWithEachActivationAndNorm(SpectralMethod method) {
        AdaptiveFrequencyFilter plain = AdaptiveFrequencyFilter.builder().optGroups(2).build();
        initialise(manager, plain, 5, new Shape(1, 4, 6, 6));
        for (Shape s : new Shape[] {new Shape(1, 4, 6, 6), new Shape(2, 4, 5, 7)}) {
            check(manager, plain, s, options(method, 17));
        }
        AdaptiveFrequencyFilter gelu =
                AdaptiveFrequencyFilter.builder()
                        .optGroups(4)
                        .optHiddenFactor(2)
                        .optActivation(AdaptiveFrequencyFilter.MaskActivation.GELU)
                        .optNorm(AdaptiveFrequencyFilter.Norm.LAYER_NORM)
                        .build();
        check(
                manager,
                initialise(manager, gelu, 6, new Shape(1, 8, 4, 4)),
                new Shape(1, 8, 4, 4),
                options(method, 18));
        AdaptiveFrequencyFilter silu =
                AdaptiveFrequencyFilter.builder()
                        .optGroups(1)
                        .optActivation(AdaptiveFrequencyFilter.MaskActivation.SILU)
                        .optNorm(AdaptiveFrequencyFilter.Norm.GROUP_NORM_1)
                        .optSparsityThreshold(0.1)
                        .build();
        check(
                manager,
                initialise(manager, silu, 7, new Shape(1, 3, 5, 5)),
                new Shape(1, 3, 5, 5),
                options(method, 20));
    }

    @ParameterizedTest
    @EnumSource(
            value = SpectralMethod.class,
            names = {"MATMUL", "DFT"})
    void spectrumMixerWithItsBandWeightGenerator(SpectralMethod method) {
        SpectrumMixer mixer =
                SpectrumMixer.builder().setChannels(8).optBands(4).optReduction(2).build();
        initialise(manager, mixer, 8, new Shape(1, 8, 6, 6));
        for (Shape s : new Shape[] {new Shape(1, 8, 6, 6), new Shape(2, 8, 5, 7)}) {
            check(manager, mixer, s, options(method, 17));
        }
    }
}
