package org.fourier4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.fourier4j.fft.Dct;
import org.fourier4j.fft.EngineArrays;

/**
 * A DCT-based dynamic spectrum token mixer in the spirit of DSM (Hu and Yu 2023, "Dynamic Spectrum
 * Mixer for Visual Recognition").
 *
 * <p><b>This is our design, not the paper's.</b> No official code exists and the paper's method
 * section was not available; only its abstract was: token interactions represented in the frequency
 * domain with the DCT (log-linear cost), and a dynamic spectrum weight generation layer acting as a
 * spectrum-band selector that emphasises informative frequency bands per image. The block below
 * implements exactly that description and nothing more; it is a separate class, with the weight
 * generator pluggable, so that a faithful DSM can replace it without touching models.
 *
 * <p>Input and output (B, C, H, W), any H, W for which every band is populated (below). Steps:
 *
 * <ol>
 *   <li>{@code X = DCT-II(x)} over (H, W), orthonormal ({@link Dct#dctII2d}).
 *   <li>Bands: K soft radial bands over the DCT grid (frequency relative to the grid's highest,
 *       triangular overlap, see {@code SpectralBands}); {@code a[b, c, k]} = band-weighted mean of
 *       {@code |X[b, c, u, v]|}: how much of channel c's energy lies in band k.
 *   <li>Weight generation: a generator block maps {@code a} (as (B, K, C)) to logits (B, K, C);
 *       band weights {@code w = K softmax_k(logits)} (positive, mean 1 over bands): the selector.
 *       Default generator: {@link BandWeightGenerator}.
 *   <li>Per-coefficient filter {@code F[b, c, u, v] = sum_k P[u, v, k] w[b, c, k]} (P = band
 *       membership, rows summing to 1): a piecewise-linear radial filter per image and channel.
 *   <li>{@code y = DCT-III(X * F)} over (H, W).
 * </ol>
 *
 * Cost O(B C H W (log(H W) + K)). Parameters: the generator's only (default: {@code fc1}, {@code
 * fc2}, {@code band_bias}). With logits 0 every weight is 1 and the block is the identity, which is
 * where the default generator starts. The input is too small for the mixer when some band receives
 * no coefficient (for K = 8: 3 x 3 grids and smaller; 4 x 4 works); that is rejected.
 */
public final class SpectrumMixer extends AbstractBlock implements FlopCountable {

    private static final String NAME = "SpectrumMixer";

    private final long channels;
    private final int bands;
    private final Block generator;

    private SpectrumMixer(Builder b) {
        super((byte) 1);
        this.channels = b.channels;
        this.bands = b.bands;
        Block g =
                b.generator != null
                        ? b.generator
                        : new BandWeightGenerator(b.bands, b.channels, b.reduction);
        this.generator = addChildBlock("weight_generator", g);
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
     * Returns the number of frequency bands K.
     *
     * @return K
     */
    public int getBands() {
        return bands;
    }

    /**
     * Returns the band membership of every DCT coefficient of an H x W grid ({@code P} above).
     *
     * @param height H
     * @param width W
     * @return row-major (H W, K) weights, rows summing to 1
     */
    public double[] bandMembership(int height, int width) {
        return new SpectralBands(height, width, bands).assignment().clone();
    }

    /**
     * Returns the weights that average amplitudes per band on an H x W grid.
     *
     * @param height H
     * @param width W
     * @return row-major (H W, K) weights, columns summing to 1
     */
    public double[] bandAveraging(int height, int width) {
        return new SpectralBands(height, width, bands).averaging();
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = BlockInputs.single(NAME, inputShapes);
        check(s);
        generator.initialize(manager, dataType, new Shape(s.get(0), bands, channels));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = BlockInputs.single(NAME, inputs);
        Shape s = x.getShape();
        SpectralBands geometry = check(s);
        long batch = s.get(0);
        int h = (int) s.get(2);
        int w = (int) s.get(3);
        NDManager m = x.getManager();
        NDArray membership =
                EngineArrays.of(m, geometry.assignment(), new Shape(h * w, bands), x.getDataType());
        NDArray averaging =
                EngineArrays.of(m, geometry.averaging(), new Shape(h * w, bands), x.getDataType());

        NDArray spectrum = Dct.dctII2d(x, 2, 3);
        NDArray amplitude = spectrum.abs().reshape(batch, channels, (long) h * w).matMul(averaging);
        NDArray logits =
                generator.forward(ps, new NDList(amplitude.transpose(0, 2, 1)), training).head();
        Shape expected = new Shape(batch, bands, channels);
        if (!logits.getShape().equals(expected)) {
            throw new IllegalStateException(
                    NAME
                            + ": weight generator returned "
                            + logits.getShape()
                            + ", expected "
                            + expected);
        }
        NDArray weights =
                logits.softmax(1)
                        .mul(EngineArrays.scalar(x, bands))
                        .transpose(0, 2, 1); // (B, C, K)
        NDArray filter = weights.matMul(membership.transpose()).reshape(batch, channels, h, w);
        return new NDList(Dct.dctIII2d(spectrum.mul(filter), 2, 3));
    }

    private SpectralBands check(Shape s) {
        BlockInputs.withWidth(NAME, s, "(B, C, H, W)", 1, channels);
        SpectralBands geometry = new SpectralBands((int) s.get(2), (int) s.get(3), bands);
        int empty = geometry.firstEmptyBand();
        if (empty >= 0) {
            throw new IllegalArgumentException(
                    NAME
                            + ": input "
                            + s
                            + " is too small for "
                            + bands
                            + " frequency bands (band "
                            + empty
                            + " receives no DCT coefficient of the "
                            + s.get(2)
                            + "x"
                            + s.get(3)
                            + " grid); use a larger grid or fewer bands");
        }
        return geometry;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = BlockInputs.single(NAME, inputShapes);
        check(s);
        return new Shape[] {s};
    }

    /**
     * Counts the mixer's own work for input (B, C, H, W), N = H W: the 2-D DCT-II and DCT-III, each
     * counted as a real-input FFT of the same N points ({@code 2.5 N log2 N} per channel, half of
     * {@link FlopCountable#fftFlops}); the band averaging ({@code N K} multiply-adds per channel)
     * and the filter expansion from band weights ({@code K N}) as the dense products they are
     * computed with; the filter product ({@code N}). The weight generator is a child block (its
     * linear layers are counted there); the amplitude, softmax and band normalisation are not
     * counted.
     *
     * @param inputShapes the input shape (B, C, H, W)
     * @return the work, in multiply-adds
     */
    @Override
    public double ownFlops(Shape[] inputShapes) {
        Shape s = BlockInputs.single(NAME, inputShapes);
        double planes = (double) s.get(0) * s.get(1);
        double n = (double) s.get(2) * s.get(3);
        double transforms = 2 * FlopCountable.fftFlops(n) / 2;
        return planes * (transforms + 2 * n * bands + n);
    }

    /** Builds a {@link SpectrumMixer}. */
    public static final class Builder {
        private long channels = -1;
        private int bands = 8;
        private int reduction = 4;
        private Block generator;

        private Builder() {}

        /**
         * Sets the channel count C.
         *
         * @param channels C
         * @return this builder
         */
        public Builder setChannels(long channels) {
            this.channels = channels;
            return this;
        }

        /**
         * Sets the number of frequency bands K (default 8).
         *
         * @param bands K, at least 2
         * @return this builder
         */
        public Builder optBands(int bands) {
            this.bands = bands;
            return this;
        }

        /**
         * Sets the default generator's bottleneck reduction r (hidden width C / r, default 4).
         *
         * @param reduction r
         * @return this builder
         */
        public Builder optReduction(int reduction) {
            this.reduction = reduction;
            return this;
        }

        /**
         * Replaces the weight generation layer: a block mapping (B, K, C) band amplitudes to (B, K,
         * C) band logits.
         *
         * @param generator the block
         * @return this builder
         */
        public Builder optWeightGenerator(Block generator) {
            this.generator = generator;
            return this;
        }

        /**
         * Builds the mixer.
         *
         * @return the mixer
         */
        public SpectrumMixer build() {
            if (channels < 1 || bands < 2 || reduction < 1) {
                throw new IllegalArgumentException(
                        NAME
                                + ": need channels >= 1, bands >= 2, reduction >= 1, got "
                                + channels
                                + ", "
                                + bands
                                + ", "
                                + reduction);
            }
            return new SpectrumMixer(this);
        }
    }
}
