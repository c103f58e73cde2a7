package org.fourier4j.reparam;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.Random;

/** Test helpers: parameters far from their initial values, as after training; inputs; errors. */
final class Trained {

    private Trained() {}

    /** Initialises a block and gives every parameter values typical of a trained one. */
    static <B extends Block> B initialize(
            B block, NDManager m, DataType type, Shape in, long seed) {
        block.initialize(m, type, in);
        randomize(block, seed);
        return block;
    }

    /** Batch norm statistics, scales and shifts far from the identity; weights N(0, 0.3^2). */
    static void randomize(Block block, long seed) {
        Random r = new Random(seed);
        for (Pair<String, Parameter> p : block.getParameters()) {
            Parameter.Type t = p.getValue().getType();
            NDArray a = p.getValue().getArray();
            double[] v = new double[Math.toIntExact(a.size())];
            for (int i = 0; i < v.length; i++) {
                double g = r.nextGaussian();
                if (t == Parameter.Type.RUNNING_VAR || t == Parameter.Type.GAMMA) {
                    v[i] = 0.5 + Math.abs(g);
                } else if (t == Parameter.Type.WEIGHT) {
                    v[i] = 0.3 * g;
                } else {
                    v[i] = 0.1 * g;
                }
            }
            set(a, v);
        }
    }

    static void set(NDArray a, double[] v) {
        try (NDManager tmp = a.getManager().newSubManager()) {
            a.set(tmp.create(v, a.getShape()).toType(a.getDataType(), false).toByteBuffer());
        }
    }

    static NDArray input(NDManager m, DataType type, Shape shape, long seed) {
        Random r = new Random(seed);
        double[] v = new double[Math.toIntExact(shape.size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextGaussian();
        }
        return m.create(v, shape).toType(type, false);
    }

    /** The block's output in inference mode, as doubles. */
    static double[] infer(Block block, NDManager m, NDArray x) {
        NDArray y =
                block.forward(new ParameterStore(m, false), new NDList(x), false)
                        .singletonOrThrow();
        return y.toType(DataType.FLOAT64, false).toDoubleArray();
    }

    /** max |a - b| / max |b|. */
    static double relativeError(double[] a, double[] b) {
        double diff = 0;
        double ref = 0;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
            ref = Math.max(ref, Math.abs(b[i]));
        }
        return diff / ref;
    }
}
