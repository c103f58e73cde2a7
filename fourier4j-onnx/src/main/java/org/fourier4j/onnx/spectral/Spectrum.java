package org.fourier4j.onnx.spectral;

import java.util.Arrays;
import org.fourier4j.onnx.graph.OnnxValue;

/**
 * A complex tensor in a graph, in the form its {@link SpectralOps} works with: a pair of real
 * values (real and imaginary parts, {@link SpectralMethod#MATMUL}) or one value with a trailing
 * axis of size 2 ({@link SpectralMethod#DFT}, the layout of ONNX's {@code DFT}).
 */
public final class Spectrum {

    private final OnnxValue re;
    private final OnnxValue im;
    private final OnnxValue interleaved;

    private Spectrum(OnnxValue re, OnnxValue im, OnnxValue interleaved) {
        this.re = re;
        this.im = im;
        this.interleaved = interleaved;
    }

    static Spectrum pair(OnnxValue re, OnnxValue im) {
        if (!Arrays.equals(re.shape(), im.shape())) {
            throw new IllegalArgumentException(
                    "real part " + re + " and imaginary part " + im + " differ");
        }
        return new Spectrum(re, im, null);
    }

    static Spectrum interleaved(OnnxValue z) {
        if (z.dim(-1) != 2) {
            throw new IllegalArgumentException(
                    "an interleaved complex value ends in an axis of 2: " + z);
        }
        return new Spectrum(null, null, z);
    }

    boolean isPair() {
        return interleaved == null;
    }

    OnnxValue re() {
        return re;
    }

    OnnxValue im() {
        return im;
    }

    OnnxValue interleaved() {
        return interleaved;
    }

    /**
     * @return the complex shape (without the trailing 2 of the interleaved form)
     */
    public long[] shape() {
        if (isPair()) {
            return re.shape();
        }
        long[] s = interleaved.shape();
        return Arrays.copyOf(s, s.length - 1);
    }

    /**
     * @return the number of complex axes
     */
    public int rank() {
        return shape().length;
    }

    /**
     * @param axis an axis, negative counting from the end of the complex shape
     * @return its size
     */
    public long dim(int axis) {
        long[] s = shape();
        return s[axis < 0 ? axis + s.length : axis];
    }

    @Override
    public String toString() {
        return (isPair() ? "pair " : "interleaved ") + Arrays.toString(shape());
    }
}
