package org.fourier4j.models.fit;

import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;
import org.fourier4j.models.AbstractModelFamily;
import org.fourier4j.models.MetaFormer;
import org.fourier4j.models.ModelOptions;
import org.fourier4j.models.NameMap;
import org.fourier4j.models.Variant;
import org.fourier4j.nn.FourierEncoderBlock;

/**
 * FiT, the Fourier Image Transformer of S. Agrawal, "Scaling Up Computer Vision Neural Networks
 * Using Fast Fourier Transform" (arXiv 2302.12185), exactly as its code (siddagra/fourier-project,
 * {@code FiT.py}), on the {@link FourierTransformer} skeleton.
 *
 * <ul>
 *   <li>Blocks ({@code FiTBlock}): {@code m = Re(FFT_N(FFT_D(x)))}, {@code h = LN1(m + x)}, {@code
 *       out = LN2(Dropout(dense(GELU(ff(h)))) + m)}: the second residual adds the Fourier output,
 *       not the first norm's; exact GELU; layer norms eps 1e-12; no final norm.
 *   <li>Head ({@code FiTHead}): {@code tanh(dense(x[:, 0]))}, so logits lie in [-1, 1]; override
 *       {@code head_tanh=false} for plain logits.
 *   <li>The Fourier mixers are unnormalised as in the code; {@code fourier_norm=ortho} scales them
 *       by {@code 1/sqrt(N D)}.
 * </ul>
 *
 * <p>The {@code official} name map reads the code's {@code state_dict} ({@code embed.*}, {@code
 * encoder.layer.N.*}, {@code head.dense.*}).
 */
public final class Fit extends AbstractModelFamily<FourierTransformerConfig> {

    /** The report's config.json: D 768, FF 2048, 12 layers, dropout 0.1; patch 4 for 32x32. */
    static final FourierTransformerConfig FIT = FourierTransformerConfig.of(768, 2048, 12, 4, true);

    /** A FiT small enough for CPU: 6 blocks of width 192, FF 768, patch 4. */
    static final FourierTransformerConfig TINY = FourierTransformerConfig.of(192, 768, 6, 4, true);

    /** 8 blocks of width 384, FF 1536, patch 4. */
    static final FourierTransformerConfig SMALL =
            FourierTransformerConfig.of(384, 1536, 8, 4, true);

    /** The names of {@code FiT.py}. */
    static final NameMap OFFICIAL =
            NameMap.builder("official")
                    .rule("embed.positional_embeddings", "stem.pos_embed")
                    .rule("embed.", "stem.")
                    .rule("encoder.layer.{b}.", "stages.0.blocks.{b}.")
                    .rule("head.dense.", "head.fc.")
                    .build();

    /** The family, with its official name map. */
    public Fit() {
        super("FiT", Fit::build, OFFICIAL);
    }

    // the report's config: 37.92M at 32x32, patch 4, 10 classes (its README's "38M")
    @Override
    public List<Variant<?>> variants() {
        return List.of(
                variant(
                        "fit",
                        FIT,
                        37.92,
                        "FiT (seed config): D 768, FF 2048, 12 FiT blocks, patch 4, tanh head"),
                shortCpuVariant(
                        "fit-tiny",
                        TINY,
                        "FiT-tiny for CPU: D 192, FF 768, 6 FiT blocks, patch 4, tanh head;"
                                + " trains with the short-CPU recipe"),
                shortCpuVariant(
                        "fit-small",
                        SMALL,
                        "FiT-small: D 384, FF 1536, 8 FiT blocks, patch 4, tanh head; trains"
                                + " with fit-tiny's short-CPU recipe"));
    }

    private Variant<FourierTransformerConfig> variant(
            String name, FourierTransformerConfig c, double params, String description) {
        return FourierTransformer.finish(variant(name, c), params, 32, description);
    }

    private Variant<FourierTransformerConfig> shortCpuVariant(
            String name, FourierTransformerConfig c, String description) {
        return FourierTransformer.finish(
                FourierTransformer.shortCpuRecipe(variant(name, c)), Double.NaN, 32, description);
    }

    @Override
    public Map<String, Object> inferFromWeights(Map<String, Shape> shapes) {
        return FourierTransformer.inferFromWeights(shapes);
    }

    /**
     * Builds a FiT.
     *
     * @param name the zoo name
     * @param options classes, image size
     * @param c the configuration
     * @return the model, not yet initialised
     */
    public static MetaFormer build(String name, ModelOptions options, FourierTransformerConfig c) {
        return FourierTransformer.build(name, options, c, FourierEncoderBlock.Style.FIT);
    }
}
