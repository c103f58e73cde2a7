package org.fourier4j.plan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import org.fourier4j.fft.ConvAlgorithm;
import org.fourier4j.fft.ConvOptions;

/**
 * CAS-ViT's additive token mixer ({@link org.fourier4j.nn.AdditiveTokenMixer}): {@code proj(dwc(
 * operQ(q) + operK(k)) * v)}. The qkv projection is split into three 1x1 convolutions, so that q, k
 * and v are each a contiguous map rather than a strided third of one, and a batch norm before the
 * mixer folds into all three.
 */
final class AdditiveMixerStep implements FreshStep {

    private final Step q;
    private final Step k;
    private final Step v;
    private final Step operQ;
    private final Step operK;
    private final Step dwc;
    private final Step proj;

    private AdditiveMixerStep(Step q, Step k, Step v, Step operQ, Step operK, Step dwc, Step proj) {
        this.q = q;
        this.k = k;
        this.v = v;
        this.operQ = operQ;
        this.operK = operK;
        this.dwc = dwc;
        this.proj = proj;
    }

    /**
     * Compiles the mixer's children ({@code qkv}, {@code oper_q}, {@code oper_k}, {@code dwc},
     * {@code proj}; the output dropout is an identity in inference).
     *
     * @param compiler the compiler
     * @param mixer the mixer
     * @return its step
     */
    static Step compile(PlanCompiler compiler, Block mixer) {
        Block qkv = PlanCompiler.child(mixer, "qkv");
        if (!PlanCompiler.is(qkv, Conv2d.class)) {
            return new BlockStep(mixer);
        }
        NDArray w = PlanCompiler.param(qkv, "weight");
        NDArray b = PlanCompiler.param(qkv, "bias");
        long c = w.getShape().get(0) / 3;
        Step[] parts = new Step[3];
        NDManager into = compiler.context().manager();
        for (int i = 0; i < 3; i++) {
            NDIndex rows = new NDIndex().addSliceDim(i * c, (i + 1) * c);
            NDArray wi = w.get(rows).duplicate();
            wi.attach(into);
            NDArray bi = null;
            if (b != null) {
                bi = b.get(rows).duplicate();
                bi.attach(into);
            }
            parts[i] = compiler.conv(wi, bi, ConvOptions.builder().build(), ConvAlgorithm.DIRECT);
        }
        return new AdditiveMixerStep(
                parts[0],
                parts[1],
                parts[2],
                compiler.compile(PlanCompiler.child(mixer, "oper_q")),
                compiler.compile(PlanCompiler.child(mixer, "oper_k")),
                compiler.compile(PlanCompiler.child(mixer, "dwc")),
                compiler.compile(PlanCompiler.child(mixer, "proj")));
    }

    @Override
    public NDArray apply(NDArray x) {
        NDArray sum;
        try (NDArray qx = q.apply(x);
                NDArray qa = operQ.apply(qx);
                NDArray kx = k.apply(x);
                NDArray ka = operK.apply(kx)) {
            sum = qa.add(ka);
        }
        NDArray mixed;
        try (NDArray d = dwc.apply(sum);
                NDArray vx = v.apply(x)) {
            sum.close();
            mixed = d.mul(vx);
        }
        NDArray out = proj.apply(mixed);
        mixed.close();
        return out;
    }

    @Override
    public Step foldBefore(AffineStep a) {
        Step fq = q.foldBefore(a);
        Step fk = k.foldBefore(a);
        Step fv = v.foldBefore(a);
        if (fq == null || fk == null || fv == null) {
            return null;
        }
        return new AdditiveMixerStep(fq, fk, fv, operQ, operK, dwc, proj);
    }

    @Override
    public void count(PlanCensus census) {
        census.step("additive_mixer");
        for (Step s : new Step[] {q, k, v, operQ, operK, dwc, proj}) {
            s.count(census);
        }
    }
}
