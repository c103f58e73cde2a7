package org.fourier4j.models.affnet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.fourier4j.nn.AdaptiveFrequencyFilter;
import org.fourier4j.nn.ChannelNorm;
import org.fourier4j.nn.Residual;
import org.fourier4j.nn.SameShapeBlock;
import org.fourier4j.nn.Sequence;
import org.fourier4j.nn.Transparent;
import org.fourier4j.nn.WrapperBlock;

/**
 * AFFNet's {@code AFFBlock} ({@code modules/aff_block.py} of microsoft/TokenMixers, {@code Adaptive
 * Frequency Filters/affnet}): {@code global_rep} = the AFF layers and a norm, {@code conv_proj}
 * (1x1 conv + BN), and {@code fusion} (1x1 conv + BN + activation) on {@code concat(input,
 * projection)} over channels. The concatenation makes it no residual unit; each AFF layer is one
 * ({@link #layer}). Public so that exporters can key on it.
 */
public final class AffBlock extends SameShapeBlock {

    private final Sequence globalRep;
    private final Block convProj;
    private final Block fusion;

    /**
     * Creates the block.
     *
     * @param dim its width C
     * @param rates the drop-path rate of each AFF layer
     * @param c the configuration (activation, norm, groups)
     */
    AffBlock(int dim, float[] rates, AffNetConfig c) {
        globalRep = new Sequence();
        for (float rate : rates) {
            globalRep.add(layer(dim, rate, c));
        }
        globalRep.add(new ChannelNorm("AFFNet", c.norm().kind));
        addChildBlock("global_rep", globalRep);
        convProj = addChildBlock("conv_proj", InvertedResidual.convLayer(dim, 1, 1, 1, null));
        fusion =
                addChildBlock(
                        "fusion", InvertedResidual.convLayer(dim, 1, 1, 1, c.activation().kind));
    }

    /**
     * One AFF layer (the code's {@code Block} with {@code double_skip=False}): {@code x +
     * DropPath(filter(norm2(mlp(norm1(x)))))}, the mlp an inverted residual C to C with expansion 2
     * (ffn_dim / C in every mode) and its own skip, the filter with its own skip ({@code AFNO2D_
     * channelfirst} returns {@code filtered + input}).
     */
    static Residual layer(int dim, float dropPath, AffNetConfig c) {
        return Residual.builder()
                .add("norm1", new ChannelNorm("AFFNet", c.norm().kind))
                .add("mlp", new InvertedResidual(dim, dim, 1, 2, c.activation().kind))
                .add("aff", new FilterUnit(dim, c))
                .dropPath(dropPath)
                .build();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList fm = convProj.forward(ps, globalRep.forward(ps, inputs, training), training);
        NDArray both =
                NDArrays.concat(new NDList(inputs.singletonOrThrow(), fm.singletonOrThrow()), 1);
        return fusion.forward(ps, new NDList(both), training);
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        globalRep.initialize(manager, dataType, inputShapes);
        convProj.initialize(manager, dataType, inputShapes);
        Shape s = inputShapes[0];
        fusion.initialize(manager, dataType, new Shape(s.get(0), 2 * s.get(1), s.get(2), s.get(3)));
    }

    /**
     * The second half of an AFF layer: {@code norm2}, then the {@code filter}. Its parameters are
     * created filter first, then norm2, the order fourier4j 0.1 saved them in (the norm was the
     * filter's child then), so that older checkpoints migrate by position; the names are the
     * official code's.
     */
    public static final class FilterUnit extends WrapperBlock<AdaptiveFrequencyFilter>
            implements Transparent {
        private final ChannelNorm norm2;

        FilterUnit(int dim, AffNetConfig c) {
            super(
                    "filter",
                    AdaptiveFrequencyFilter.builder()
                            .optChannels(dim)
                            .optGroups(c.groups())
                            .optActivation(c.activation().mask)
                            .build());
            norm2 = addChildBlock("norm2", new ChannelNorm("AFFNet", c.norm().kind));
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps,
                NDList inputs,
                boolean training,
                PairList<String, Object> params) {
            return inner.forward(ps, norm2.forward(ps, inputs, training), training);
        }

        @Override
        protected void initializeChildBlocks(
                NDManager manager, DataType dataType, Shape... inputShapes) {
            norm2.initialize(manager, dataType, inputShapes);
            super.initializeChildBlocks(manager, dataType, inputShapes); // the filter
        }
    }
}
