package org.fourier4j.nn;

import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Convolution;
import org.fourier4j.fft.ConvAlgorithm;
import org.fourier4j.fft.KernelSpectrumCache;
import org.fourier4j.fft.PaddingMode;

/**
 * A convolution block that can run by FFT: {@link FftConv1d}, {@link FftConv2d}, {@link FftConv3d}.
 * Each is a DJL {@link Convolution} subclass (a {@code Conv1d}/{@code Conv2d}/{@code Conv3d}) with
 * the same parameters, names, shapes and saved format, so weights load into either.
 */
public interface FftConvBlock extends Block {

    /**
     * @return how the convolution is computed
     */
    ConvAlgorithm getAlgorithm();

    /**
     * @return what the padded border holds
     */
    PaddingMode getPaddingMode();

    /**
     * @return whether the padding is 'same' (computed from the input size)
     */
    boolean isSamePadding();

    /**
     * @return the block's kernel spectrum cache (used in inference by the FFT path)
     */
    KernelSpectrumCache getSpectrumCache();
}
