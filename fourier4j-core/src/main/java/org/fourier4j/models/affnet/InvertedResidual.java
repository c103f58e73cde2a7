package org.fourier4j.models.affnet;

import ai.djl.ndarray.NDList;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.fourier4j.nn.Act;
import org.fourier4j.nn.Sequence;
import org.fourier4j.nn.SquareConv;
import org.fourier4j.nn.WrapperBlock;
import org.fourier4j.reparam.BatchNormFolding;

/**
 * MobileNetV2's inverted residual as ml-cvnets builds it ({@code modules/mobilenetv2.py}, class
 * {@code InvertedResidual}): {@code block} = {@code exp_1x1} (1x1 conv to the hidden width, BN,
 * activation; absent for expansion 1), {@code conv_3x3} (3x3 depthwise conv with the stride, BN,
 * activation), {@code red_1x1} (1x1 conv, BN); the input is added when the stride is 1 and the
 * widths match. Hidden width {@code make_divisible(round(C_in e), 8)}. Every conv is an ml-cvnets
 * {@code ConvLayer} (see {@link #convLayer}). Public so that exporters can key on it.
 */
public final class InvertedResidual extends WrapperBlock<Sequence> {

    private final boolean residual;

    /**
     * Creates the unit.
     *
     * @param in input width
     * @param out output width
     * @param stride 1 or 2
     * @param expand expansion of the hidden width
     * @param act the activation after the first two convs
     */
    InvertedResidual(int in, int out, int stride, double expand, Act.Kind act) {
        super("block", layers(in, out, stride, expand, act));
        this.residual = stride == 1 && in == out;
    }

    private static Sequence layers(int in, int out, int stride, double expand, Act.Kind act) {
        int hidden = makeDivisible(Math.round(in * expand));
        Sequence b = new Sequence();
        if (expand != 1) {
            b.add("exp_1x1", convLayer(hidden, 1, 1, 1, act));
        }
        b.add("conv_3x3", convLayer(hidden, 3, stride, hidden, act));
        b.add("red_1x1", convLayer(out, 1, 1, 1, null));
        return b;
    }

    /**
     * ml-cvnets {@code make_divisible(v, 8)}: the nearest multiple of 8 (at least 8), raised by 8
     * if that falls below 90% of v.
     */
    static int makeDivisible(double v) {
        int d = 8;
        int out = Math.max(d, (int) (v + d / 2.0) / d * d);
        if (out < 0.9 * v) {
            out += d;
        }
        return out;
    }

    /**
     * ml-cvnets {@code ConvLayer} with BatchNorm: {@code block.conv} (no bias, padding k/2), {@code
     * block.norm}, and {@code block.act} when an activation is given.
     *
     * @param out output width
     * @param kernel square kernel size
     * @param stride stride
     * @param groups groups
     * @param act the activation, or null for none
     * @return the layer
     */
    static Sequence convLayer(int out, int kernel, int stride, int groups, Act.Kind act) {
        Sequence b = new Sequence();
        b.add("conv", SquareConv.centred(out, kernel, stride, groups, false));
        b.add("norm", BatchNorm.builder().optEpsilon(BatchNormFolding.BN_EPS).build());
        if (act != null) {
            b.add("act", new Act(act));
        }
        return new Sequence().add("block", b);
    }

    /**
     * @return whether the input is added to the block's output (stride 1, equal widths)
     */
    public boolean hasShortcut() {
        return residual;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList y = inner.forward(ps, inputs, training);
        return residual ? new NDList(inputs.singletonOrThrow().add(y.singletonOrThrow())) : y;
    }
}
