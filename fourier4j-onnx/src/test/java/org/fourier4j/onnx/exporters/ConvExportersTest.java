package org.fourier4j.onnx.exporters;

import static org.fourier4j.onnx.ExportTesting.check;
import static org.fourier4j.onnx.ExportTesting.initialise;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import org.fourier4j.fft.PaddingMode;
import org.fourier4j.nn.AdditiveTokenMixer;
import org.fourier4j.nn.FfnifiedAttention;
import org.fourier4j.nn.FftConv1d;
import org.fourier4j.nn.FftConv2d;
import org.fourier4j.nn.FftConv3d;
import org.fourier4j.nn.S4dKernel;
import org.fourier4j.nn.SgConvKernel;
import org.fourier4j.onnx.OnnxExportOptions;
import org.fourier4j.onnx.spectral.ConvMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** FFT and long convolutions in each export form, and the conv-based token mixers. */
class ConvExportersTest {

    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private static OnnxExportOptions options(ConvMethod method, int opset) {
        return OnnxExportOptions.builder().convMethod(method).opset(opset).build();
    }

    @ParameterizedTest
    @EnumSource(
            value = ConvMethod.class,
            names = {"DIRECT", "MATMUL", "DFT"})
    void depthwiseFftConv2dWithSameAndExplicitPadding(ConvMethod method) {
        Block same =
                FftConv2d.builder()
                        .setKernelShape(new Shape(7, 7))
                        .setFilters(4)
                        .optGroups(4)
                        .optSamePadding()
                        .build();
        initialise(manager, same, 1, new Shape(1, 4, 9, 9));
        for (Shape s : new Shape[] {new Shape(1, 4, 9, 9), new Shape(2, 4, 6, 11)}) {
            check(manager, same, s, options(method, 17));
        }
        // even kernel, asymmetric 'same' padding; explicit padding larger than the kernel's half
        Block even =
                FftConv2d.builder()
                        .setKernelShape(new Shape(4, 6))
                        .setFilters(3)
                        .optGroups(3)
                        .optSamePadding()
                        .build();
        check(
                manager,
                initialise(manager, even, 2, new Shape(1, 3, 7, 8)),
                new Shape(1, 3, 7, 8),
                options(method, 17));
        Block wide =
                FftConv2d.builder()
                        .setKernelShape(new Shape(3, 3))
                        .setFilters(2)
                        .optGroups(2)
                        .optPadding(new Shape(3, 2))
                        .build();
        check(
                manager,
                initialise(manager, wide, 3, new Shape(1, 2, 5, 6)),
                new Shape(1, 2, 5, 6),
                options(method, 17));
    }

    @ParameterizedTest
    @EnumSource(value = PaddingMode.class)
    void paddingModesAtOpsets17And19(PaddingMode mode) {
        Block conv =
                FftConv2d.builder()
                        .setKernelShape(new Shape(5, 3))
                        .setFilters(3)
                        .optGroups(3)
                        .optPadding(new Shape(2, 1))
                        .optPaddingMode(mode)
                        .build();
        initialise(manager, conv, 4, new Shape(1, 3, 8, 7));
        for (ConvMethod method : new ConvMethod[] {ConvMethod.DIRECT, ConvMethod.MATMUL}) {
            for (int opset : new int[] {17, 19}) {
                check(manager, conv, new Shape(1, 3, 8, 7), options(method, opset));
            }
        }
    }

    @Test
    void denseStridedAndDilatedFftConvolutionsExportAsConv() {
        Block dense =
                FftConv2d.builder()
                        .setKernelShape(new Shape(5, 5))
                        .setFilters(6)
                        .optGroups(2)
                        .optSamePadding()
                        .build();
        check(
                manager,
                initialise(manager, dense, 5, new Shape(1, 4, 8, 8)),
                new Shape(1, 4, 8, 8),
                options(ConvMethod.MATMUL, 17));
        Block strided =
                FftConv2d.builder()
                        .setKernelShape(new Shape(3, 3))
                        .setFilters(4)
                        .optStride(new Shape(2, 2))
                        .optDilation(new Shape(1, 2))
                        .optPadding(new Shape(1, 2))
                        .optGroups(4)
                        .build();
        check(
                manager,
                initialise(manager, strided, 6, new Shape(1, 4, 9, 10)),
                new Shape(1, 4, 9, 10),
                options(ConvMethod.DFT, 17));
    }

    @ParameterizedTest
    @EnumSource(
            value = ConvMethod.class,
            names = {"DIRECT", "MATMUL", "DFT"})
    void fftConv1dAnd3d(ConvMethod method) {
        Block c1 =
                FftConv1d.builder()
                        .setKernelShape(new Shape(9))
                        .setFilters(3)
                        .optGroups(3)
                        .optSamePadding()
                        .build();
        check(
                manager,
                initialise(manager, c1, 7, new Shape(2, 3, 12)),
                new Shape(2, 3, 12),
                options(method, 17));
        Block c3 =
                FftConv3d.builder()
                        .setKernelShape(new Shape(3, 3, 3))
                        .setFilters(2)
                        .optGroups(2)
                        .optSamePadding()
                        .build();
        check(
                manager,
                initialise(manager, c3, 8, new Shape(1, 2, 4, 5, 6)),
                new Shape(1, 2, 4, 5, 6),
                options(method, 20));
    }

    @ParameterizedTest
    @EnumSource(
            value = ConvMethod.class,
            names = {"DIRECT", "MATMUL", "DFT"})
    void longConvolutionsInOneAndTwoDimensions(ConvMethod method) {
        Block causal =
                SgConvKernel.builder().setChannels(3).setMaxLength(16).optKernelDim(4).build();
        initialise(manager, causal, 9, new Shape(1, 3, 16));
        for (Shape s : new Shape[] {new Shape(1, 3, 16), new Shape(2, 3, 11)}) {
            check(manager, causal, s, options(method, 17));
        }
        Block twoSided =
                SgConvKernel.builder()
                        .setChannels(2)
                        .setMaxLength(12)
                        .optKernelDim(4)
                        .optBidirectional(true)
                        .optBias(true)
                        .build();
        check(
                manager,
                initialise(manager, twoSided, 10, new Shape(1, 2, 12)),
                new Shape(1, 2, 12),
                options(method, 17));
        Block image =
                SgConvKernel.builder()
                        .setChannels(3)
                        .setMaxLength(8)
                        .optDims(2)
                        .optKernelDim(2)
                        .build();
        initialise(manager, image, 11, new Shape(1, 3, 8, 8));
        for (Shape s : new Shape[] {new Shape(1, 3, 8, 8), new Shape(1, 3, 6, 7)}) {
            check(manager, image, s, options(method, 17));
        }
        Block s4d = S4dKernel.builder().setChannels(3).optStateSize(4).build();
        check(
                manager,
                initialise(manager, s4d, 12, new Shape(1, 3, 10)),
                new Shape(1, 3, 10),
                options(method, 17));
        Block s4d2 = S4dKernel.builder().setChannels(2).optDims(2).optStateSize(4).build();
        check(
                manager,
                initialise(manager, s4d2, 13, new Shape(1, 2, 5, 6)),
                new Shape(1, 2, 5, 6),
                options(method, 17));
    }

    @Test
    void ffnifiedAttentionInTrainingAndInferenceForm() {
        FfnifiedAttention training = FfnifiedAttention.builder().setChannels(4).build();
        initialise(manager, training, 14, new Shape(1, 4, 8, 8));
        for (Shape s : new Shape[] {new Shape(1, 4, 8, 8), new Shape(2, 4, 5, 6)}) {
            check(manager, training, s);
        }
        FfnifiedAttention relu =
                FfnifiedAttention.builder()
                        .setChannels(4)
                        .optKernelSizes(3, 5)
                        .optGelu(false)
                        .build();
        check(manager, initialise(manager, relu, 15, new Shape(1, 4, 6, 6)), new Shape(1, 4, 6, 6));
        check(manager, training.reparameterize(), new Shape(1, 4, 8, 8));
    }

    @Test
    void additiveTokenMixer() {
        AdditiveTokenMixer mixer =
                AdditiveTokenMixer.builder()
                        .setChannels(4)
                        .optAttentionBias(true)
                        .optDropout(0.1f)
                        .build();
        initialise(manager, mixer, 16, new Shape(1, 4, 5, 5));
        for (Shape s : new Shape[] {new Shape(1, 4, 5, 5), new Shape(2, 4, 7, 6)}) {
            check(manager, mixer, s);
        }
    }
}
