package org.fourier4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Shared helpers of the block tests: seeded inputs, forward passes, finite-difference checks. */
final class BlockTesting {

    private BlockTesting() {}

    static double[] gaussian(Random r, long size) {
        double[] d = new double[(int) size];
        for (int i = 0; i < d.length; i++) {
            d[i] = r.nextGaussian();
        }
        return d;
    }

    /** A seeded N(0, 1) array; float32 data is rounded from the same doubles. */
    static NDArray input(NDManager m, long seed, DataType type, long... shape) {
        Shape s = new Shape(shape);
        NDArray x = m.create(gaussian(new Random(seed), s.size()), s);
        if (type == DataType.FLOAT64) {
            return x;
        }
        NDArray f = x.toType(type, false);
        x.close();
        return f;
    }

    /** Initialises with a fixed engine seed, so parameters are reproducible. */
    static <B extends Block> B initialize(
            B block, NDManager m, DataType type, Shape input, int seed) {
        Engine.getInstance().setRandomSeed(seed);
        block.initialize(m, type, input);
        return block;
    }

    static NDArray forward(Block block, NDManager paramManager, NDArray x, boolean training) {
        return block.forward(new ParameterStore(paramManager, false), new NDList(x), training)
                .head();
    }

    /** The trainable parameter arrays, by id. */
    static List<Pair<String, NDArray>> trainable(Block block) {
        List<Pair<String, NDArray>> out = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient()) {
                out.add(new Pair<>(p.getKey(), p.getValue().getArray()));
            }
        }
        return out;
    }

    static double maxAbs(double[] d) {
        double m = 0;
        for (double v : d) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    static double relativeError(double[] actual, double[] expected) {
        assertEquals(expected.length, actual.length, "length");
        double diff = 0;
        double ref = 0;
        for (int i = 0; i < actual.length; i++) {
            diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
            ref = Math.max(ref, Math.abs(expected[i]));
        }
        return ref == 0 ? diff : diff / ref;
    }

    static double[] doubles(NDArray a) {
        if (a.getDataType() == DataType.FLOAT64) {
            return a.toDoubleArray();
        }
        float[] f = a.toFloatArray();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    /**
     * Float64 gradient check of {@code loss = sum(block(x) * R)} (R fixed, random): for the input
     * and for every trainable parameter, the autograd gradient must (1) not be all zeros (max |g| >
     * 1e-10) and (2) agree with a central finite difference (step 1e-6, or 1e-7 should the first
     * straddle a ReLU/soft-shrink kink) along a random direction: |numeric - analytic| <= tol *
     * max(|numeric|, |analytic|, 1e-3) - relative, with an absolute floor of tol * 1e-3 for
     * directional derivatives so small that the difference quotient's rounding noise (about 1e-16
     * |loss| / step) dominates. Returns the worst error.
     */
    static double checkGradients(
            String what, Block block, NDManager m, NDArray x, boolean training, double tol) {
        Random r = new Random(99);
        ParameterStore ps = new ParameterStore(m, false);
        NDArray probe = block.forward(ps, new NDList(x), training).head();
        NDArray weights = m.create(gaussian(r, probe.getShape().size()), probe.getShape());
        x.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray y = block.forward(ps, new NDList(x), training).head();
            gc.backward(y.mul(weights).sum());
        }
        List<Pair<String, NDArray>> tensors = new ArrayList<>();
        tensors.add(new Pair<>("input", x));
        tensors.addAll(trainable(block));
        assertTrue(tensors.size() >= 1);
        double worst = 0;
        double eps = 1e-6;
        for (Pair<String, NDArray> t : tensors) {
            NDArray arr = t.getValue();
            assertEquals(
                    DataType.FLOAT64,
                    arr.getDataType(),
                    what + ": " + t.getKey() + " must be float64");
            double[] grad = arr.getGradient().toDoubleArray();
            assertTrue(
                    maxAbs(grad) > 1e-10,
                    what
                            + ": "
                            + t.getKey()
                            + " received no gradient (max |g| = "
                            + maxAbs(grad)
                            + ")");
            double[] dir = gaussian(r, grad.length);
            double analytic = 0;
            for (int i = 0; i < grad.length; i++) {
                analytic += grad[i] * dir[i];
            }
            double[] original = arr.toDoubleArray();
            double numeric = 0;
            double err = Double.POSITIVE_INFINITY;
            // ReLU and soft-shrink have kinks; a step that happens to straddle one spoils the
            // difference quotient, so a mismatch is re-measured with a 10x smaller step (which a
            // wrong gradient fails just the same)
            for (double step : new double[] {eps, eps / 10}) {
                double plus =
                        perturbedLoss(block, ps, x, training, weights, arr, original, dir, step);
                double minus =
                        perturbedLoss(block, ps, x, training, weights, arr, original, dir, -step);
                arr.set(original);
                numeric = (plus - minus) / (2 * step);
                double scale = Math.max(Math.max(Math.abs(numeric), Math.abs(analytic)), 1e-3);
                err = Math.abs(numeric - analytic) / scale;
                if (err <= tol) {
                    break;
                }
            }
            worst = Math.max(worst, err);
            assertTrue(
                    err <= tol,
                    what
                            + ": "
                            + t.getKey()
                            + " autograd "
                            + analytic
                            + " vs finite difference "
                            + numeric
                            + " (relative error "
                            + err
                            + ")");
        }
        return worst;
    }

    private static double perturbedLoss(
            Block block,
            ParameterStore ps,
            NDArray x,
            boolean training,
            NDArray weights,
            NDArray target,
            double[] original,
            double[] dir,
            double eps) {
        double[] shifted = original.clone();
        for (int i = 0; i < shifted.length; i++) {
            shifted[i] += eps * dir[i];
        }
        target.set(shifted);
        try (NDManager scope = x.getManager().newSubManager()) {
            NDArray view = x.reshape(x.getShape());
            view.attach(scope);
            NDArray y = block.forward(ps, new NDList(view), training).head();
            y.attach(scope);
            return y.mul(weights).sum().getDouble();
        }
    }
}
