package org.fourier4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Locale;

/**
 * An element-wise activation as a block (a named kind, not an opaque lambda, so that exporters and
 * FLOP counters know what it is). No parameters.
 */
public final class Act extends SameShapeBlock {

    /** The activations the model families use. */
    public enum Kind {
        /** max(x, 0). */
        RELU,
        /** Exact GELU, x Phi(x) (PyTorch's default {@code nn.GELU()}). */
        GELU,
        /** GELU's tanh approximation. */
        GELU_TANH,
        /** SiLU (swish), x sigmoid(x). */
        SILU,
        /** tanh. */
        TANH,
        /** relu(x)^2 (So et al., Primer; the MetaFormer baselines' {@code SquaredReLU}). */
        SQUARED_RELU;

        /**
         * Applies the activation.
         *
         * @param x the input
         * @return the activation of x
         */
        public NDArray apply(NDArray x) {
            switch (this) {
                case RELU:
                    return Activation.relu(x);
                case GELU:
                    return Gelu.ERF.apply(x);
                case GELU_TANH:
                    return Gelu.TANH.apply(x);
                case SILU:
                    return x.mul(Activation.sigmoid(x));
                case SQUARED_RELU:
                    return Activation.relu(x).square();
                default:
                    return x.tanh();
            }
        }

        /**
         * Parses a name: relu, gelu, gelu_tanh, silu (or swish), tanh, squared_relu.
         *
         * @param name the name, any case
         * @return the kind
         */
        public static Kind parse(String name) {
            String k = name.trim().toLowerCase(Locale.ROOT);
            if (k.equals("swish")) {
                return SILU;
            }
            for (Kind kind : values()) {
                if (kind.name().toLowerCase(Locale.ROOT).equals(k)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException(
                    "unknown activation '"
                            + name
                            + "': use relu, gelu, gelu_tanh, silu, tanh or squared_relu");
        }
    }

    private final Kind kind;

    /**
     * Creates the block.
     *
     * @param kind which activation
     */
    public Act(Kind kind) {
        this.kind = kind;
    }

    /**
     * @return a ReLU block
     */
    public static Act relu() {
        return new Act(Kind.RELU);
    }

    /**
     * @return an exact-GELU block
     */
    public static Act gelu() {
        return new Act(Kind.GELU);
    }

    /**
     * @return which activation
     */
    public Kind kind() {
        return kind;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(kind.apply(inputs.singletonOrThrow()));
    }

    @Override
    public String toString() {
        return "Act(" + kind.name().toLowerCase(Locale.ROOT) + ")";
    }
}
