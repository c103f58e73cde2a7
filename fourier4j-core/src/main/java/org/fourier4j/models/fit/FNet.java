package org.fourier4j.models.fit;

import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;
import org.fourier4j.models.AbstractModelFamily;
import org.fourier4j.models.MetaFormer;
import org.fourier4j.models.ModelOptions;
import org.fourier4j.models.Variant;
import org.fourier4j.nn.FourierEncoderBlock;

/**
 * FNet's encoder blocks (Lee-Thorp et al., NAACL 2022, "FNet: Mixing Tokens with Fourier
 * Transforms"; official code google-research/google-research, {@code f_net/layers.py}) in FiT's
 * image skeleton ({@link FourierTransformer}): {@code x1 = LN1(x + Re(FFT_N(FFT_D(x))))}, {@code
 * out = LN2(x1 + Dropout(dense(GELU_tanh(ff(x1)))))}, layer norms eps 1e-12, a plain linear head.
 *
 * <p>FNet was published for text only, so there are no official image weights: the parameters have
 * fourier4j's names alone (those of FiT's block: {@code layerNorm1}, {@code ff}, {@code dense},
 * {@code layerNorm2}), and {@link #nameMaps()} is empty.
 */
public final class FNet extends AbstractModelFamily<FourierTransformerConfig> {

    /** FNet blocks at FiT-tiny's size. */
    static final FourierTransformerConfig TINY = FourierTransformerConfig.of(192, 768, 6, 4, false);

    /** FNet-Base blocks (D 768, FF 3072, 12 layers), patch 16. */
    static final FourierTransformerConfig BASE =
            FourierTransformerConfig.of(768, 3072, 12, 16, false);

    /** The family, with no published weights. */
    public FNet() {
        super("FNet", FNet::build);
    }

    @Override
    public List<Variant<?>> variants() {
        return List.of(
                FourierTransformer.finish(
                        FourierTransformer.shortCpuRecipe(variant("fnet-tiny", TINY)),
                        Double.NaN,
                        32,
                        "FNet blocks in FiT's image skeleton: D 192, FF 768, 6 blocks, patch 4;"
                                + " trains with fit-tiny's short-CPU recipe"),
                FourierTransformer.finish(
                        variant("fnet-base", BASE),
                        Double.NaN,
                        224,
                        "FNet-Base blocks in FiT's image skeleton: D 768, FF 3072, 12 blocks,"
                                + " patch 16"));
    }

    @Override
    public Map<String, Object> inferFromWeights(Map<String, Shape> shapes) {
        return FourierTransformer.inferFromWeights(shapes);
    }

    /**
     * Builds an FNet.
     *
     * @param name the zoo name
     * @param options classes, image size
     * @param c the configuration
     * @return the model, not yet initialised
     */
    public static MetaFormer build(String name, ModelOptions options, FourierTransformerConfig c) {
        return FourierTransformer.build(name, options, c, FourierEncoderBlock.Style.FNET);
    }
}
