package org.fourier4j.nn;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;

/** Initializers the papers' code uses that DJL does not name. */
final class Initializers {

    private Initializers() {}

    /**
     * PyTorch's default for {@code nn.Linear}/{@code nn.Conv*d} weights: kaiming-uniform with
     * {@code a = sqrt(5)}, i.e. {@code U(-1/sqrt(fan_in), 1/sqrt(fan_in))}, fan_in being the
     * product of all dimensions but the first ((out, in) or (out, in/groups, k...)).
     */
    static Initializer torchDefaultWeight() {
        return (manager, shape, dataType) -> {
            long fanIn = shape.size() / shape.get(0);
            float bound = (float) (1 / Math.sqrt(Math.max(1, fanIn)));
            return manager.randomUniform(-bound, bound, shape, dataType, manager.getDevice());
        };
    }

    /** PyTorch's default bias: {@code U(-1/sqrt(fan_in), 1/sqrt(fan_in))} of the layer's weight. */
    static Initializer torchDefaultBias(long fanIn) {
        float bound = (float) (1 / Math.sqrt(Math.max(1, fanIn)));
        return (manager, shape, dataType) ->
                manager.randomUniform(-bound, bound, shape, dataType, manager.getDevice());
    }

    /** {@code N(0, std^2)} in the requested precision. */
    static Initializer normal(double std) {
        return (manager, shape, dataType) ->
                manager.randomNormal(0, (float) std, shape, dataType, manager.getDevice());
    }

    /** A constant in the requested precision (DJL's ConstantInitializer rounds it to float). */
    static Initializer constant(double value) {
        return (manager, shape, dataType) ->
                manager.ones(shape, dataType, manager.getDevice()).mul(value);
    }

    /** Fixed values, row-major, in the requested precision. */
    static Initializer values(double[] values) {
        return (NDManager manager, Shape shape, ai.djl.ndarray.types.DataType dataType) -> {
            if (shape.size() != values.length) {
                throw new IllegalStateException(
                        "initializer holds " + values.length + " values for shape " + shape);
            }
            return org.fourier4j.fft.EngineArrays.of(manager, values, shape, dataType);
        };
    }
}
