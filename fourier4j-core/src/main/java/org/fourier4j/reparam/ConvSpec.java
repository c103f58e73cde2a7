package org.fourier4j.reparam;

import ai.djl.ndarray.types.Shape;
import org.fourier4j.fft.ConvAlgorithm;
import org.fourier4j.nn.FftConv2d;
import org.fourier4j.nn.Transparent;

/**
 * The geometry of a convolution in a re-parameterisable unit: output channels, an odd square kernel
 * centred on each output ({@code padding = k / 2}, as every conv of RepLKNet's and FFNet's code),
 * stride, groups, and the algorithm that computes it ({@link FftConv2d}: DIRECT, FFT or AUTO).
 *
 * @param filters output channels
 * @param kernel the kernel size (odd)
 * @param stride the stride
 * @param groups the groups (they divide the output and input channels)
 * @param algorithm how the convolution computes (null: DIRECT)
 */
public record ConvSpec(int filters, int kernel, int stride, int groups, ConvAlgorithm algorithm) {

    /** Checks the values. */
    public ConvSpec {
        if (filters < 1 || kernel < 1 || kernel % 2 == 0 || stride < 1 || groups < 1) {
            throw new IllegalArgumentException(
                    "ConvSpec: need filters >= 1, an odd kernel, stride >= 1 and groups >= 1, got"
                            + " filters "
                            + filters
                            + ", kernel "
                            + kernel
                            + ", stride "
                            + stride
                            + ", groups "
                            + groups);
        }
        if (filters % groups != 0) {
            throw new IllegalArgumentException(
                    "ConvSpec: groups " + groups + " must divide filters " + filters);
        }
        algorithm = algorithm == null ? ConvAlgorithm.DIRECT : algorithm;
    }

    /**
     * A stride-1, ungrouped, direct convolution.
     *
     * @param filters output channels
     * @param kernel odd kernel size
     * @return the spec
     */
    public static ConvSpec of(int filters, int kernel) {
        return new ConvSpec(filters, kernel, 1, 1, ConvAlgorithm.DIRECT);
    }

    /**
     * @param s the stride
     * @return this spec with another stride
     */
    public ConvSpec withStride(int s) {
        return new ConvSpec(filters, kernel, s, groups, algorithm);
    }

    /**
     * @param g the groups
     * @return this spec with other groups
     */
    public ConvSpec withGroups(int g) {
        return new ConvSpec(filters, kernel, stride, g, algorithm);
    }

    /**
     * @param k an odd kernel size
     * @return this spec with another kernel
     */
    public ConvSpec withKernel(int k) {
        return new ConvSpec(filters, k, stride, groups, algorithm);
    }

    /**
     * @param a how to compute
     * @return this spec with another algorithm
     */
    public ConvSpec withAlgorithm(ConvAlgorithm a) {
        return new ConvSpec(filters, kernel, stride, groups, a);
    }

    /**
     * The output shape for an input (B, C, H, W): {@code (H - 1) / stride + 1} per side.
     *
     * @param input the input shape
     * @return (B, filters, H', W')
     */
    public Shape outputShape(Shape input) {
        return new Shape(
                input.get(0),
                filters,
                (input.get(2) - 1) / stride + 1,
                (input.get(3) - 1) / stride + 1);
    }

    /**
     * Builds the convolution.
     *
     * @param bias whether it has a bias
     * @return a new, uninitialised block with parameters {@code weight} (and {@code bias})
     */
    public FftConv2d conv(boolean bias) {
        return new FftConv2dBuilder(this, bias).build();
    }

    /**
     * Builds the convolution with bias as a {@link Transparent} block: its {@code weight} and
     * {@code bias} are named as its parent's own (FFNet's fused units, {@code
     * patch_embed.0.weight}).
     *
     * @return a new, uninitialised block
     */
    FftConv2d ownConv() {
        return new OwnConv(new FftConv2dBuilder(this, true));
    }

    /** A convolution whose parameters are named as its parent's (see {@link Transparent}). */
    static final class OwnConv extends FftConv2d implements Transparent {
        OwnConv(FftConv2dBuilder b) {
            super(b.validated());
        }
    }

    /** FftConv2d's builder, configured from a spec. */
    static final class FftConv2dBuilder extends FftConv2d.Builder {
        FftConv2dBuilder(ConvSpec s, boolean bias) {
            setKernelShape(new Shape(s.kernel, s.kernel));
            setFilters(s.filters);
            optStride(new Shape(s.stride, s.stride));
            optPadding(new Shape(s.kernel / 2, s.kernel / 2));
            optGroups(s.groups);
            optBias(bias);
            optAlgorithm(s.algorithm);
        }

        FftConv2dBuilder validated() {
            validate("FftConv2d");
            return this;
        }
    }
}
