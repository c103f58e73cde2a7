package org.fourier4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.TruncatedNormalInitializer;
import ai.djl.util.PairList;

/**
 * The default dynamic spectrum weight generation layer of {@link SpectrumMixer} (our design; see
 * there).
 *
 * <p>Contract of every weight generator: input (B, K, C) - the mean DCT amplitude of each of C
 * channels in each of K frequency bands of one image; output (B, K, C) - band logits, turned by the
 * mixer into per-channel band weights with a softmax over K.
 *
 * <p>This one: {@code d = a / (mean_k a + 1e-6)} (amplitudes relative to the channel's mean over
 * bands, so the selection does not depend on the input's scale), then a bottleneck MLP over
 * channels shared by all bands, {@code fc2(GELU(fc1(d)))} ({@code C -> C/r -> C}, weights
 * trunc-normal 0.02, fc1 bias 0, no fc2 bias: a constant over bands cancels in the softmax), plus a
 * learnable static preference per band and channel, {@code band_bias} (K, C), initialised 0. At
 * initialisation the logits are near 0: every band weight is near 1 and the mixer starts close to
 * the identity.
 */
public final class BandWeightGenerator extends AbstractBlock {

    private static final String NAME = "BandWeightGenerator";

    private final int bands;
    private final long channels;
    private final Linear fc1;
    private final Linear fc2;
    private final Parameter bandBias;

    /**
     * Creates a generator.
     *
     * @param bands K
     * @param channels C
     * @param reduction r: the hidden width is max(1, C / r)
     */
    public BandWeightGenerator(int bands, long channels, int reduction) {
        super((byte) 1);
        if (bands < 2 || channels < 1 || reduction < 1) {
            throw new IllegalArgumentException(
                    NAME
                            + ": need bands >= 2, channels >= 1, reduction >= 1, got "
                            + bands
                            + ", "
                            + channels
                            + ", "
                            + reduction);
        }
        this.bands = bands;
        this.channels = channels;
        fc1 =
                addChildBlock(
                        "fc1",
                        Linear.builder().setUnits(Math.max(1, channels / reduction)).build());
        // no bias on fc2: a per-channel constant shared by all bands cancels in the softmax over
        // bands; band_bias holds the (useful) per-band constants instead
        fc2 = addChildBlock("fc2", Linear.builder().setUnits(channels).optBias(false).build());
        fc1.setInitializer(new TruncatedNormalInitializer(0.02f), Parameter.Type.WEIGHT);
        fc1.setInitializer(Initializer.ZEROS, Parameter.Type.BIAS);
        fc2.setInitializer(new TruncatedNormalInitializer(0.02f), Parameter.Type.WEIGHT);
        bandBias =
                addParameter(
                        Parameter.builder()
                                .setName("band_bias")
                                .setType(Parameter.Type.BIAS)
                                .optInitializer(Initializer.ZEROS)
                                .optShape(new Shape(bands, channels))
                                .build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray a = BlockInputs.single(NAME, inputs);
        check(a.getShape());
        NDArray relative = a.div(a.mean(new int[] {1}, true).add(1e-6));
        NDArray hidden = Activation.gelu(fc1.forward(ps, new NDList(relative), training).head());
        NDArray logits = fc2.forward(ps, new NDList(hidden), training).head();
        return new NDList(
                logits.add(BatchScope.adopt(ps.getValue(bandBias, a.getDevice(), training), a)));
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = check(BlockInputs.single(NAME, inputShapes));
        fc1.initialize(manager, dataType, s);
        fc2.initialize(manager, dataType, fc1.getOutputShapes(new Shape[] {s}));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {check(BlockInputs.single(NAME, inputShapes))};
    }

    private Shape check(Shape s) {
        String layout = "(B, K, C) with K = " + bands + ", C = " + channels;
        BlockInputs.rank(NAME, s, 3, layout);
        BlockInputs.require(s.get(1) == bands && s.get(2) == channels, NAME, layout, s);
        return s;
    }
}
