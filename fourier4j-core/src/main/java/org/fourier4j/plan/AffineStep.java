package org.fourier4j.plan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A per-channel affine map {@code x * scale + shift}: a batch norm in inference (its running
 * statistics) or a layer scale. Usually folded into the convolution or linear layer beside it.
 */
final class AffineStep implements FreshStep {

    /** Which axis holds the channels. */
    enum Axis {
        /** Axis 1: (B, C, ...). */
        CHANNELS_FIRST,
        /** The last axis: (..., C). */
        LAST
    }

    private final PlanContext context;
    private final Axis axis;
    private final double[] scale;
    private final double[] shift;
    private final int folds;
    private final Map<Integer, NDArray[]> byRank = new ConcurrentHashMap<>();

    /**
     * Creates the map.
     *
     * @param context the plan
     * @param axis the channel axis
     * @param scale per channel, or null for ones
     * @param shift per channel, or null for zeros
     */
    AffineStep(PlanContext context, Axis axis, double[] scale, double[] shift) {
        this(context, axis, scale, shift, 0);
    }

    private AffineStep(PlanContext context, Axis axis, double[] scale, double[] shift, int folds) {
        this.context = context;
        this.axis = axis;
        this.scale = scale;
        this.shift = shift;
        this.folds = folds;
    }

    Axis axis() {
        return axis;
    }

    double[] scale() {
        return scale;
    }

    double[] shift() {
        return shift;
    }

    int channels() {
        return scale != null ? scale.length : shift.length;
    }

    @Override
    public NDArray apply(NDArray x) {
        NDArray[] p = byRank.computeIfAbsent(x.getShape().dimension(), r -> arrays(r, x));
        if (p[0] == null) {
            return x.add(p[1]);
        }
        NDArray y = x.mul(p[0]);
        return p[1] == null ? y : y.addi(p[1]);
    }

    private NDArray[] arrays(int rank, NDArray like) {
        Shape s =
                axis == Axis.LAST
                        ? new Shape(channels())
                        : Folding.broadcastShape(channels(), 1, rank);
        return new NDArray[] {vector(scale, s, like), vector(shift, s, like)};
    }

    private NDArray vector(double[] v, Shape s, NDArray like) {
        if (v == null) {
            return null;
        }
        NDArray d = context.own(context.manager().create(v, s));
        NDArray typed = context.own(d.toType(like.getDataType(), true));
        d.close();
        return typed;
    }

    /** Two maps on the same axis are one: {@code (x s1 + t1) s2 + t2}. */
    @Override
    public Step foldAfter(AffineStep next) {
        if (next.axis != axis || next.channels() != channels()) {
            return null;
        }
        int c = channels();
        double[] s = new double[c];
        double[] t = new double[c];
        for (int i = 0; i < c; i++) {
            double s1 = scale == null ? 1 : scale[i];
            double t1 = shift == null ? 0 : shift[i];
            double s2 = next.scale == null ? 1 : next.scale[i];
            double t2 = next.shift == null ? 0 : next.shift[i];
            s[i] = s1 * s2;
            t[i] = t1 * s2 + t2;
        }
        return new AffineStep(context, axis, s, t, folds + 1 + next.folds);
    }

    @Override
    public Step onChannelsLast() {
        return axis == Axis.CHANNELS_FIRST
                ? new AffineStep(context, Axis.LAST, scale, shift, folds)
                : null;
    }

    @Override
    public void count(PlanCensus census) {
        census.step("affine");
        census.folded(folds);
    }
}
