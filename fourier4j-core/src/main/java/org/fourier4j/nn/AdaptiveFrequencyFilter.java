package org.fourier4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.fourier4j.fft.ComplexArrays;
import org.fourier4j.fft.FftNorm;
import org.fourier4j.fft.RealFft2;

/**
 * AFFNet's adaptive frequency filtering token mixer ({@code AFNO2D_channelfirst} of the official
 * code): an instance-adaptive global filter whose mask is computed from the spectrum itself.
 *
 * <p>Input and output (B, C, H, W), any H and W. With G groups of {@code c = C/G} channels:
 *
 * <ol>
 *   <li>{@code X = rfft2(z)} over (H, W), norm "ortho", complex (B, C, H, W/2+1), where {@code z =
 *       x} (or {@code z = norm(x)} if a norm is configured, as the AFF block's {@code norm2});
 *   <li>mask generator, per frequency bin a block-diagonal complex 2-layer MLP over channels (group
 *       k mixes channels {@code k c ... k c + c - 1}): {@code R1 = act(Re X W1r - Im X W1i + b1r)},
 *       {@code I1 = act(Im X W1r + Re X W1i + b1i)}, then without activation {@code R2 = R1 W2r -
 *       I1 W2i + b2r}, {@code I2 = I1 W2r + R1 W2i + b2i}, where {@code (Z W)[o] = sum_i Z[i] W[k,
 *       i, o]};
 *   <li>{@code M = softshrink(R2, lambda) + i softshrink(I2, lambda)} (lambda = 0.01);
 *   <li>{@code y = irfft2(M * X, s = (H, W))}, norm "ortho"; output {@code y + z}.
 * </ol>
 *
 * <p>Parameters, named as in the official code, index order (part, group, in, out) with part 0 =
 * real, 1 = imaginary, all initialised {@code 0.02 N(0, 1)}: {@code w1} (2, G, c, c f), {@code b1}
 * (2, G, c f), {@code w2} (2, G, c f, c), {@code b2} (2, G, c); f = hidden factor (1). With a norm,
 * its {@code weight}/{@code bias} (C). Defaults: G = 8, act = ReLU (the code's default; the
 * released YAML value is unknown), no norm.
 *
 * <p>Implementation: each complex layer is one real batched matrix product of {@code [Re; Im]}
 * stacked on the channel axis with the block matrix {@code [[Wr, Wi], [-Wi, Wr]]}.
 */
public final class AdaptiveFrequencyFilter extends AbstractBlock implements FlopCountable {

    private static final String NAME = "AdaptiveFrequencyFilter";

    /** The mask MLP's activation. */
    public enum MaskActivation {
        /** ReLU (the official code's default). */
        RELU,
        /** Exact GELU. */
        GELU,
        /** SiLU / swish, x sigmoid(x) (ml-cvnets' usual global activation). */
        SILU
    }

    /** Normalisation applied to the input before the mixer (whose residual then adds it). */
    public enum Norm {
        /** None: the bare token mixer. */
        NONE,
        /** ml-cvnets {@code layer_norm}: per pixel over channels, eps on the standard deviation. */
        LAYER_NORM,
        /** GroupNorm with one group, over (C, H, W): ml-cvnets {@code layer_norm_2d}. */
        GROUP_NORM_1
    }

    private final int groups;
    private final int hiddenFactor;
    private final double lambda;
    private final MaskActivation activation;
    private long channels;
    private final ChannelNorm norm;
    private final Parameter w1;
    private final Parameter b1;
    private final Parameter w2;
    private final Parameter b2;

    private AdaptiveFrequencyFilter(Builder b) {
        super((byte) 1);
        this.groups = b.groups;
        this.hiddenFactor = b.hiddenFactor;
        this.lambda = b.lambda;
        this.activation = b.activation;
        this.channels = b.channels;
        this.norm =
                b.norm == Norm.NONE
                        ? null
                        : addChildBlock(
                                "norm",
                                new ChannelNorm(
                                        NAME,
                                        b.norm == Norm.LAYER_NORM
                                                ? ChannelNorm.Kind.LAYER_NORM
                                                : ChannelNorm.Kind.GROUP_NORM_1));
        w1 = addParameter(param("w1"));
        b1 = addParameter(param("b1"));
        w2 = addParameter(param("w2"));
        b2 = addParameter(param("b2"));
    }

    private static Parameter param(String name) {
        return Parameter.builder()
                .setName(name)
                .setType(name.startsWith("w") ? Parameter.Type.WEIGHT : Parameter.Type.BIAS)
                .optInitializer(Initializers.normal(0.02))
                .build();
    }

    /**
     * Returns a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @return the number of channel groups G of the mask MLP
     */
    public int getGroups() {
        return groups;
    }

    /**
     * @return the soft-shrink threshold lambda
     */
    public double getSparsityThreshold() {
        return lambda;
    }

    /**
     * @return the mask MLP's activation
     */
    public MaskActivation getActivation() {
        return activation;
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        Shape s = BlockInputs.single(NAME, inputShapes);
        BlockInputs.rank(NAME, s, 4, "(B, C, H, W)");
        if (channels < 1) {
            channels = s.get(1);
        }
        check(s);
        long c = channels / groups;
        long hid = c * hiddenFactor;
        w1.setShape(new Shape(2, groups, c, hid));
        b1.setShape(new Shape(2, groups, hid));
        w2.setShape(new Shape(2, groups, hid, c));
        b2.setShape(new Shape(2, groups, c));
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = check(BlockInputs.single(NAME, inputShapes));
        if (norm != null) {
            norm.initialize(manager, dataType, s);
        }
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = BlockInputs.single(NAME, inputs);
        Shape s = x.getShape();
        check(s);
        NDArray z = norm == null ? x : norm.forward(ps, new NDList(x), training).head();
        long batch = s.get(0);
        long h = s.get(2);
        long w = s.get(3);
        long bins = h * (w / 2 + 1);
        long c = channels / groups;
        NDArray spectrum = RealFft2.rfft2(z, 2, 3, FftNorm.ORTHO);
        Shape grouped = new Shape(batch, groups, c, bins);
        NDArray stacked =
                NDArrays.concat(
                        new NDList(
                                ComplexArrays.realPart(spectrum).reshape(grouped),
                                ComplexArrays.imagPart(spectrum).reshape(grouped)),
                        2);
        NDArray hidden = activate(complexLayer(ps, x, w1, b1, stacked, training));
        NDArray out = complexLayer(ps, x, w2, b2, hidden, training);
        NDArray mask = softShrink(out);
        Shape half = new Shape(batch, channels, h, w / 2 + 1);
        NDArray re = mask.get(":, :, 0:" + c).reshape(half);
        NDArray im = mask.get(":, :, " + c + ":").reshape(half);
        NDArray filtered = spectrum.mul(ComplexArrays.fromParts(re, im));
        return new NDList(RealFft2.irfft2(filtered, h, w, 2, 3, FftNorm.ORTHO).add(z));
    }

    /**
     * One grouped complex linear layer on {@code [Re; Im]} stacked along axis 2 of (B, G, 2 in,
     * bins): returns (B, G, 2 out, bins) holding {@code [Re; Im]} of {@code Z W + b}.
     */
    private NDArray complexLayer(
            ParameterStore ps, NDArray x, Parameter wp, Parameter bp, NDArray z, boolean training) {
        NDArray wgt = BatchScope.adopt(ps.getValue(wp, x.getDevice(), training), x);
        NDArray bias = BatchScope.adopt(ps.getValue(bp, x.getDevice(), training), x);
        NDArray wr = wgt.get(0);
        NDArray wi = wgt.get(1);
        // rows = inputs [Re; Im], columns = outputs [Re; Im]
        NDArray top = NDArrays.concat(new NDList(wr, wi), 2);
        NDArray bottom = NDArrays.concat(new NDList(wi.neg(), wr), 2);
        NDArray block = NDArrays.concat(new NDList(top, bottom), 1); // (G, 2 in, 2 out)
        long outs = block.getShape().get(2);
        NDArray b =
                NDArrays.concat(new NDList(bias.get(0), bias.get(1)), 1)
                        .reshape(1, groups, outs, 1);
        return block.transpose(0, 2, 1).expandDims(0).matMul(z).add(b);
    }

    private NDArray activate(NDArray a) {
        switch (activation) {
            case GELU:
                return Activation.gelu(a);
            case SILU:
                return a.mul(Activation.sigmoid(a));
            default:
                return Activation.relu(a);
        }
    }

    /** {@code softshrink(v) = v - clip(v, -lambda, lambda)}: zero inside, gradient 1 outside. */
    private NDArray softShrink(NDArray v) {
        return v.sub(v.clip(-lambda, lambda));
    }

    private Shape check(Shape s) {
        String layout = channels > 0 ? "(B, C, H, W) with C = " + channels : "(B, C, H, W)";
        BlockInputs.rank(NAME, s, 4, layout);
        if (s.get(1) % groups != 0) {
            throw new IllegalArgumentException(
                    NAME
                            + ": channels C="
                            + s.get(1)
                            + " of input "
                            + s
                            + " are not divisible by groups="
                            + groups);
        }
        BlockInputs.require(channels < 1 || s.get(1) == channels, NAME, layout, s);
        return s;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {check(BlockInputs.single(NAME, inputShapes))};
    }

    /**
     * Counts the mixer's own work for input (B, C, H, W), N = H W points, {@code H (W/2+1)} bins:
     * the real-input rfft2 and the irfft2 back, each {@code 2.5 N log2 N} per channel (half of
     * {@link FlopCountable#fftFlops}); the two grouped complex layers of the mask MLP, 4 real
     * multiply-adds per complex multiply-add, {@code 4 bins G c (c f)} each; the spectral product
     * {@code M * X}, 4 per complex product and bin. Biases, activation, soft-shrink and the
     * residual addition are not counted; the optional norm is a child block.
     *
     * @param inputShapes the input shape (B, C, H, W)
     * @return the work, in multiply-adds
     */
    @Override
    public double ownFlops(Shape[] inputShapes) {
        Shape s = BlockInputs.single(NAME, inputShapes);
        double batch = s.get(0);
        double c = s.get(1);
        double h = s.get(2);
        double w = s.get(3);
        double bins = h * (Math.floor(w / 2) + 1);
        double perGroup = c / groups;
        double hidden = perGroup * hiddenFactor;
        double transforms = 2 * c * FlopCountable.fftFlops(h * w) / 2;
        double maskMlp = 2 * 4 * bins * groups * perGroup * hidden;
        double product = 4 * c * bins;
        return batch * (transforms + maskMlp + product);
    }

    /** Builds an {@link AdaptiveFrequencyFilter}. */
    public static final class Builder {
        private long channels = -1;
        private int groups = 8;
        private int hiddenFactor = 1;
        private double lambda = 0.01;
        private MaskActivation activation = MaskActivation.RELU;
        private Norm norm = Norm.NONE;

        private Builder() {}

        /**
         * Sets the channel count C (the official {@code hidden_size}); default: the input's at
         * initialisation.
         *
         * @param channels C, divisible by the groups
         * @return this builder
         */
        public Builder optChannels(long channels) {
            this.channels = channels;
            return this;
        }

        /**
         * Sets the number of channel groups G of the block-diagonal mask MLP (default 8).
         *
         * @param groups G, dividing C
         * @return this builder
         */
        public Builder optGroups(int groups) {
            this.groups = groups;
            return this;
        }

        /**
         * Sets the hidden width factor of the mask MLP (default 1).
         *
         * @param factor positive
         * @return this builder
         */
        public Builder optHiddenFactor(int factor) {
            this.hiddenFactor = factor;
            return this;
        }

        /**
         * Sets the soft-shrink threshold lambda (default 0.01).
         *
         * @param lambda non-negative
         * @return this builder
         */
        public Builder optSparsityThreshold(double lambda) {
            this.lambda = lambda;
            return this;
        }

        /**
         * Sets the mask MLP's activation (default RELU).
         *
         * @param activation the activation
         * @return this builder
         */
        public Builder optActivation(MaskActivation activation) {
            this.activation = activation;
            return this;
        }

        /**
         * Sets the normalisation applied before the mixer (default NONE).
         *
         * @param norm the norm
         * @return this builder
         */
        public Builder optNorm(Norm norm) {
            this.norm = norm;
            return this;
        }

        /**
         * Builds the mixer.
         *
         * @return the mixer
         */
        public AdaptiveFrequencyFilter build() {
            if (channels != -1 && (channels < 1 || groups < 1 || channels % groups != 0)) {
                throw new IllegalArgumentException(
                        NAME
                                + ": channels C="
                                + channels
                                + " must be positive and divisible by groups="
                                + groups);
            }
            if (groups < 1
                    || hiddenFactor < 1
                    || !(lambda >= 0)
                    || activation == null
                    || norm == null) {
                throw new IllegalArgumentException(
                        NAME
                                + ": invalid hidden factor "
                                + hiddenFactor
                                + ", lambda "
                                + lambda
                                + ", activation "
                                + activation
                                + " or norm "
                                + norm);
            }
            return new AdaptiveFrequencyFilter(this);
        }
    }
}
