package org.fourier4j.fft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * DIRECT and FFT on detached copies of a call's arrays, timed for an AUTO decision.
 *
 * <p>Inference: the forward pass, FFT with a kernel spectrum cache of its own when the caller keeps
 * one (as a block does), so the spectrum is computed in the warm-up and reused. Training (a
 * recorded weight gradient): forward + backward on leaves of a graph of their own (PyTorch engine;
 * forward only with another engine), with the kernel transform in every call: the two algorithms'
 * backward passes differ more than their forward ones. Nothing reaches the caller's arrays or
 * gradients.
 */
final class ConvTrial implements Trial {

    private final NDManager scope;
    private final KernelSpectrumCache cache;
    private final boolean withBackward;
    private final Runnable direct;
    private final Runnable fft;
    private final Runnable directForward;
    private final Runnable fftForward;
    private final TimeSource clock;

    ConvTrial(ConvCall call, TimeSource clock) {
        this.clock = clock;
        ConvGeometry g = call.g();
        scope = call.input().getManager().newSubManager();
        NDArray x = ArrayOps.own(scope, call.input().stopGradient());
        NDArray w = ArrayOps.own(scope, call.weight().stopGradient());
        NDArray b = call.bias() == null ? null : ArrayOps.own(scope, call.bias().stopGradient());
        cache = !call.weightGradient() && call.kernelCached() ? new KernelSpectrumCache() : null;
        withBackward = call.weightGradient() && IndependentBackward.available(x);
        if (withBackward) {
            x.setRequiresGradient(true);
            w.setRequiresGradient(true);
            if (b != null) {
                b.setRequiresGradient(true);
            }
        }
        Supplier<NDArray> directCall = () -> DirectConvolution.convolve(g, x, w, b);
        Supplier<NDArray> fftCall = () -> FftConvolution.convolve(g, x, w, b, cache);
        direct = call(directCall, withBackward);
        fft = call(fftCall, withBackward);
        directForward = call(directCall, false);
        fftForward = call(fftCall, false);
    }

    @Override
    public FloorTiming.Result time(
            FloorTiming.Limits limits, Predicate<FloorTiming.Result> enough) {
        return FloorTiming.run(new Runnable[] {direct, fft}, limits, clock, enough);
    }

    @Override
    public double referenceMs(ConvAlgorithm chosen, double measuredFloorMs) {
        if (!withBackward) {
            return measuredFloorMs;
        }
        Runnable forward = chosen == ConvAlgorithm.FFT ? fftForward : directForward;
        FloorTiming.Limits quick = new FloorTiming.Limits(1, 3, 20, 100, 500, 2);
        return FloorTiming.run(new Runnable[] {forward}, quick, clock, null).floor(0);
    }

    private Runnable call(Supplier<NDArray> conv, boolean backward) {
        return () -> {
            try (NDManager call = scope.newSubManager()) {
                NDArray y = conv.get();
                y.attach(call);
                if (backward) {
                    NDArray sum = y.sum();
                    sum.attach(call);
                    IndependentBackward.backward(sum);
                }
            }
        };
    }

    @Override
    public void close() {
        if (cache != null) {
            cache.clear();
        }
        scope.close();
    }
}
