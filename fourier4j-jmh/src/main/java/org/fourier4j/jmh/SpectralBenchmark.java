package org.fourier4j.jmh;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import org.fourier4j.fft.Dct;
import org.fourier4j.fft.FftNorm;
import org.fourier4j.fft.RealFft2;
import org.fourier4j.nn.FourierMixer;
import org.fourier4j.nn.GlobalFilter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;

/**
 * The spectral building blocks at batch 1 on 56 x 56 maps: the real 2-D FFT and its inverse ({@link
 * RealFft2}) on (1, 192, 56, 56), the orthonormal 2-D DCT-II and its inverse ({@link Dct}) on (1,
 * 64, 56, 56), and the two Fourier token mixers in inference on a (1, 56, 56, 192) grid: {@link
 * GlobalFilter} (rfft2, complex product with the filter, irfft2) and {@link FourierMixer} (real
 * part of the 3-D DFT, GRID layout).
 *
 * <p>These are the per-layer costs the FFT convolution and the spectral mixers are built from, so a
 * regression here shows up in every model. Float32, no gradient recording; each invocation frees
 * its intermediates and reads a reduction of the output to make sure the work was done.
 */
public class SpectralBenchmark extends EngineBenchmark {

    private static final int SIZE = 56;
    private static final int FFT_CHANNELS = 192;
    private static final int DCT_CHANNELS = 64;
    private static final int MIXER_CHANNELS = 192;

    private NDArray fftInput;
    private NDArray spectrum;
    private NDArray dctInput;
    private NDArray dctCoefficients;
    private NDArray grid;
    private Block globalFilter;
    private Block fourierMixer;
    private ParameterStore parameters;

    @Setup(Level.Trial)
    public void setup() {
        base = NDManager.newBaseManager();
        fftInput = normal(1, new Shape(1, FFT_CHANNELS, SIZE, SIZE));
        spectrum = RealFft2.rfft2(fftInput, FftNorm.BACKWARD);
        dctInput = normal(1, new Shape(1, DCT_CHANNELS, SIZE, SIZE));
        dctCoefficients = Dct.dctII2d(dctInput, -2, -1);

        Shape gridShape = new Shape(1, SIZE, SIZE, MIXER_CHANNELS);
        grid = normal(1, gridShape);
        globalFilter = GlobalFilter.builder().build();
        globalFilter.initialize(base, DataType.FLOAT32, gridShape);
        globalFilter.freezeParameters(true);
        fourierMixer = FourierMixer.builder().optLayout(FourierMixer.Layout.GRID).build();
        fourierMixer.initialize(base, DataType.FLOAT32, gridShape);
        parameters = new ParameterStore(base, false);
    }

    /** Real-input 2-D FFT of (1, 192, 56, 56) over the last two axes: complex (1, 192, 56, 29). */
    @Benchmark
    public float rfft2() {
        try (NDManager step = base.newSubManager()) {
            NDArray in = view(fftInput, step);
            return RealFft2.rfft2(in, FftNorm.BACKWARD).real().sum().toFloatArray()[0];
        }
    }

    /** Inverse real 2-D FFT of a (1, 192, 56, 29) half spectrum to (1, 192, 56, 56). */
    @Benchmark
    public float irfft2() {
        try (NDManager step = base.newSubManager()) {
            NDArray in = view(spectrum, step);
            return RealFft2.irfft2(in, SIZE, SIZE, FftNorm.BACKWARD).sum().toFloatArray()[0];
        }
    }

    /** Orthonormal 2-D DCT-II of (1, 64, 56, 56) over the last two axes. */
    @Benchmark
    public float dct2d() {
        try (NDManager step = base.newSubManager()) {
            NDArray in = view(dctInput, step);
            return Dct.dctII2d(in, -2, -1).sum().toFloatArray()[0];
        }
    }

    /** Orthonormal 2-D DCT-III (the inverse) of (1, 64, 56, 56) over the last two axes. */
    @Benchmark
    public float idct2d() {
        try (NDManager step = base.newSubManager()) {
            NDArray in = view(dctCoefficients, step);
            return Dct.dctIII2d(in, -2, -1).sum().toFloatArray()[0];
        }
    }

    /** GFNet's global filter layer, inference, on a (1, 56, 56, 192) token grid. */
    @Benchmark
    public float globalFilter() {
        return mix(globalFilter);
    }

    /** FNet/FiT's Fourier mixer (GRID layout), on a (1, 56, 56, 192) token grid. */
    @Benchmark
    public float fourierMixer() {
        return mix(fourierMixer);
    }

    private float mix(Block block) {
        try (NDManager step = base.newSubManager()) {
            NDArray in = view(grid, step);
            NDArray y = block.forward(parameters, new NDList(in), false).singletonOrThrow();
            return y.sum().toFloatArray()[0];
        }
    }
}
