package org.fourier4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import org.fourier4j.fft.Axes;
import org.fourier4j.fft.ComplexArrays;
import org.fourier4j.fft.EngineArrays;

/**
 * S4D's diagonal state-space convolution kernel (Gu, Gupta, Goel and Re 2022, the minimal {@code
 * s4d.py}: ZOH discretisation, B folded into C), as long as the input and applied by FFT. See
 * {@link LongConvolution} for layouts, causality, the skip term and the bias.
 *
 * <p>Per channel c and mode n < N/2 (N = state size, default 64; conjugate pairs implied): {@code
 * dt = exp(log_dt[c])}, {@code A = -exp(log_A_real[c, n]) + i A_imag[c, n]}, {@code C~ = C (exp(dt
 * A) - 1) / A}, and the kernel {@code K[l] = 2 Re(sum_n C~[n] exp(dt A l))}, l = 0, 1, ... (a
 * Vandermonde product, O(C N L) time and memory).
 *
 * <p>Parameters ({@code s4d.py}'s names): {@code log_dt} (C) ~ U[log 0.001, log 0.1]; {@code
 * log_A_real} (C, N/2) = log 0.5; {@code A_imag} (C, N/2): {@link Init#LIN} {@code pi n}, {@link
 * Init#INV} {@code (N/pi)(N/(2n+1) - 1)}; {@code C} (k, C, N/2, 2), real and imaginary parts each
 * N(0, 1/2) (a standard complex normal), one output kernel per k sharing dt and A - the official
 * kernel's "channels"; {@code D} (C) ~ N(0, 1).
 *
 * <ul>
 *   <li>1-D causal: k = 1. Bidirectional: k = 2, the second kernel for the anti-causal lags.
 *   <li>2-D (our design, after S4ND's per-axis construction): k = 4 - a two-sided kernel along H (k
 *       = 0 for offsets >= 0, k = 1 for offsets < 0) and one along W (k = 2, 3), multiplied into a
 *       separable H x W kernel centred as a 'same' convolution's.
 * </ul>
 */
public final class S4dKernel extends LongConvolution {

    private static final String NAME = "S4dKernel";

    /** Initialisation of the imaginary parts of A. */
    public enum Init {
        /** S4D-Lin: {@code A_n = -1/2 + i pi n}. */
        LIN,
        /** S4D-Inv: {@code A_n = -1/2 + i (N/pi)(N/(2n+1) - 1)}. */
        INV
    }

    private final int modes;
    private final int kernels;
    private final Parameter logDt;
    private final Parameter logAReal;
    private final Parameter aImag;
    private final Parameter outputC;

    private S4dKernel(Builder b) {
        super(NAME, b);
        this.modes = b.stateSize / 2;
        this.kernels = dims == 2 ? 4 : (bidirectional ? 2 : 1);
        double lo = Math.log(b.dtMin);
        double hi = Math.log(b.dtMax);
        Initializer logUniform =
                (m, s, t) -> m.randomUniform((float) lo, (float) hi, s, t, m.getDevice());
        Shape perMode = new Shape(channels, modes);
        logDt = addParameter(Parameters.weight("log_dt", logUniform, new Shape(channels)));
        logAReal =
                addParameter(
                        Parameters.weight(
                                "log_A_real", Initializers.constant(Math.log(0.5)), perMode));
        aImag =
                addParameter(
                        Parameters.weight(
                                "A_imag",
                                Initializers.values(imaginaryParts(b.init, b.stateSize, channels)),
                                perMode));
        outputC =
                addParameter(
                        Parameters.weight(
                                "C",
                                Initializers.normal(Math.sqrt(0.5)),
                                new Shape(kernels, channels, modes, 2)));
    }

    /** Imaginary parts of A for every channel, row-major (C, N/2). */
    static double[] imaginaryParts(Init init, int stateSize, long channels) {
        int modes = stateSize / 2;
        double[] v = new double[(int) channels * modes];
        for (int c = 0; c < channels; c++) {
            for (int n = 0; n < modes; n++) {
                v[c * modes + n] =
                        init == Init.LIN
                                ? Math.PI * n
                                : stateSize / Math.PI * ((double) stateSize / (2 * n + 1) - 1);
            }
        }
        return v;
    }

    /**
     * Returns a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected NDArray generateKernel(ParameterStore ps, NDArray x, boolean training) {
        Shape s = x.getShape();
        if (dims == 1) {
            return vandermonde(ps, x, training, s.get(2));
        }
        long h = s.get(2);
        long w = s.get(3);
        long centreH = (h - 1) / 2;
        long centreW = (w - 1) / 2;
        NDArray k = vandermonde(ps, x, training, Math.max(h - centreH, w - centreW));
        NDArray alongH = twoSided(k.get(0), k.get(1), centreH, h - centreH);
        NDArray alongW = twoSided(k.get(2), k.get(3), centreW, w - centreW);
        return alongH.expandDims(2).mul(alongW.expandDims(1));
    }

    /** (C, before + after): the backward kernel reversed for offsets -before..-1, then forward. */
    private static NDArray twoSided(NDArray forward, NDArray backward, long before, long after) {
        NDArray ahead = Axes.slice(forward, 1, 0, after);
        if (before == 0) {
            return ahead;
        }
        return NDArrays.concat(new NDList(Axes.slice(backward, 1, 0, before).flip(1), ahead), 1);
    }

    /** {@code K[k, c, l] = 2 Re(sum_n C~[k, c, n] exp(dt A l))}, (k, C, length), in x's manager. */
    private NDArray vandermonde(ParameterStore ps, NDArray x, boolean training, long length) {
        NDManager m = x.getManager();
        NDArray logDtArr = BatchScope.adopt(ps.getValue(logDt, x.getDevice(), training), m);
        NDArray logAArr = BatchScope.adopt(ps.getValue(logAReal, x.getDevice(), training), m);
        NDArray imagArr = BatchScope.adopt(ps.getValue(aImag, x.getDevice(), training), m);
        NDArray cArr = BatchScope.adopt(ps.getValue(outputC, x.getDevice(), training), m);

        NDArray dt = logDtArr.exp().reshape(channels, 1);
        NDArray a = ComplexArrays.fromParts(logAArr.exp().neg(), imagArr);
        NDArray dtA = a.mul(dt);
        NDArray cTilde =
                ComplexArrays.fromParts(cArr.get("..., 0"), cArr.get("..., 1"))
                        .mul(dtA.exp().sub(1).div(a));
        NDArray steps = m.arange(0f, (float) length, 1f, x.getDataType()).reshape(1, 1, length);
        NDArray powers = dtA.expandDims(2).mul(steps).exp(); // (C, N/2, length)
        NDArray k = cTilde.transpose(1, 0, 2).matMul(powers).transpose(1, 0, 2); // (k, C, length)
        return ComplexArrays.realPart(k).mul(EngineArrays.scalar(x, 2));
    }

    /** Builds an {@link S4dKernel}. */
    public static final class Builder extends LongConvolution.Builder<Builder> {
        private int stateSize = 64;
        private Init init = Init.LIN;
        private double dtMin = 0.001;
        private double dtMax = 0.1;

        private Builder() {}

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets the state size N (default 64, i.e. 32 complex modes).
         *
         * @param stateSize even, at least 2
         * @return this builder
         */
        public Builder optStateSize(int stateSize) {
            this.stateSize = stateSize;
            return this;
        }

        /**
         * Sets the initialisation of A (default S4D-Lin).
         *
         * @param init LIN or INV
         * @return this builder
         */
        public Builder optInit(Init init) {
            this.init = init;
            return this;
        }

        /**
         * Sets the range of the initial step sizes dt (default 0.001 to 0.1).
         *
         * @param min smallest dt
         * @param max largest dt
         * @return this builder
         */
        public Builder optDtRange(double min, double max) {
            this.dtMin = min;
            this.dtMax = max;
            return this;
        }

        /**
         * Builds the layer.
         *
         * @return the layer
         */
        public S4dKernel build() {
            if (stateSize < 2 || stateSize % 2 != 0) {
                throw new IllegalArgumentException(
                        NAME + ": state size must be even and >= 2, got " + stateSize);
            }
            if (!(dtMin > 0 && dtMax >= dtMin) || init == null) {
                throw new IllegalArgumentException(
                        NAME + ": need 0 < dt min <= dt max and an init");
            }
            return new S4dKernel(this);
        }
    }
}
