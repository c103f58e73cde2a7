package org.fourier4j.reparam;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fourier4j.nn.FftConv2d;

/**
 * Parallel convolution branches with the same centre, stride and groups, summed (and the input
 * added, with {@link Builder#optIdentity()}), that {@link #fuse()} turns into one convolution with
 * bias of the largest kernel: each branch's batch norm folded in ({@link BatchNormFolding}), the
 * smaller kernels centred in the largest ({@link KernelPadding}), the identity added as a centred
 * one. This is RepLKNet's large-kernel unit ({@code ReparamLargeKernelConv}: {@code lkb_origin} +
 * {@code small_conv}, fused into {@code lkb_reparam}; DingXiaoH/RepLKNet-pytorch, {@code
 * replknet.py}) and FFNet's {@code Conv2d_BN}, {@code RepVGGDW} and {@code Conv2d_BN_skip}
 * (ysj9909/FFNet, {@code models/ffnet.py}; see {@link FfNetUnits}).
 *
 * <p>The fused convolution is a child named as given ({@code lkb_reparam}), or, without a name, one
 * whose {@code weight} and {@code bias} are the unit's own ({@code proj.0.weight}), as the official
 * deploy forms name them. {@link Builder#buildInferenceForm()} builds that form directly (to load
 * weights fused elsewhere).
 */
public final class MultiBranchConv extends ConvUnit implements Fusable {

    private final String fusedName;
    private final boolean identity;
    private final List<ConvBranch> branches = new ArrayList<>();
    private FftConv2d fused;

    private MultiBranchConv(Builder b, boolean inference) {
        super(b.spec);
        this.fusedName = b.fusedName;
        this.identity = b.identity;
        if (inference) {
            fused = addFused();
        } else {
            for (Map.Entry<String, ConvBranch> e : b.branches) {
                branches.add(addChildBlock(e.getKey(), e.getValue()));
            }
        }
    }

    /**
     * Starts a unit.
     *
     * @param spec the fused convolution: filters, (largest) kernel, stride, groups, algorithm
     * @return a builder
     */
    public static Builder builder(ConvSpec spec) {
        return new Builder(spec);
    }

    private FftConv2d addFused() {
        return fusedName == null
                ? addChildBlock("fused", spec().ownConv())
                : addChildBlock(fusedName, spec().conv(true));
    }

    /**
     * @return the training-form branches, in order (empty once fused)
     */
    public List<ConvBranch> branches() {
        return List.copyOf(branches);
    }

    /**
     * @return the fused convolution, or null in training form
     */
    public FftConv2d fusedConv() {
        return fused;
    }

    @Override
    public boolean isFused() {
        return fused != null;
    }

    /**
     * The convolution this unit equals in inference: the folded, centred and summed branches (plus
     * the identity), or a copy of the fused convolution's parameters.
     *
     * @return new detached arrays in the parameters' manager
     * @throws IllegalStateException if the unit is not initialised
     */
    public ConvWeights equivalentConv() {
        Units.requireInitialized(this, "MultiBranchConv");
        if (fused != null) {
            return new ConvWeights(
                    fused.getParameters().get("weight").getArray().duplicate(),
                    fused.getParameters().get("bias").getArray().duplicate());
        }
        ConvWeights total = null;
        for (ConvBranch b : branches) {
            ConvWeights w = b.equivalentConv();
            if (total == null) {
                NDArray centred =
                        KernelPadding.centre(w.weight(), spec().kernel(), spec().kernel());
                total = new ConvWeights(centred, w.bias());
                if (centred != w.weight()) {
                    w.weight().close();
                }
            } else {
                total = sum(total, w);
            }
        }
        return identity ? sum(total, identityConv(total.weight())) : total;
    }

    private static ConvWeights sum(ConvWeights a, ConvWeights b) {
        ConvWeights s = a.plus(b);
        a.close();
        b.close();
        return s;
    }

    /** The centred identity kernel: weight[o, o mod (C / groups), k/2, k/2] = 1, bias 0. */
    private ConvWeights identityConv(NDArray like) {
        int c = spec().filters();
        int k = spec().kernel();
        int perGroup = c / spec().groups();
        double[] w = new double[c * perGroup * k * k];
        for (int o = 0; o < c; o++) {
            w[((o * perGroup + o % perGroup) * k + k / 2) * k + k / 2] = 1;
        }
        NDManager m = like.getManager();
        try (NDManager tmp = m.newSubManager()) {
            NDArray weight =
                    tmp.create(w, new Shape(c, perGroup, k, k)).toType(like.getDataType(), false);
            NDArray bias = tmp.zeros(new Shape(c), like.getDataType());
            weight.attach(m);
            bias.attach(m);
            return new ConvWeights(weight, bias);
        }
    }

    @Override
    public boolean fuse() {
        if (fused != null) {
            return false;
        }
        Units.requireInitialized(this, "MultiBranchConv");
        ConvWeights w = equivalentConv();
        Units.closeParameters(this);
        children.clear();
        branches.clear();
        fused = addFused();
        fused.getParameters().get("weight").setArray(w.weight());
        fused.getParameters().get("bias").setArray(w.bias());
        fused.initialize(w.weight().getManager(), w.weight().getDataType(), getInputShapes());
        return true;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        if (fused != null) {
            return fused.forward(ps, inputs, training);
        }
        NDArray y = identity ? inputs.singletonOrThrow() : null;
        for (ConvBranch b : branches) {
            NDArray out = b.forward(ps, inputs, training).singletonOrThrow();
            y = y == null ? out : y.add(out);
        }
        return new NDList(y);
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        if (identity && in.get(1) != spec().filters()) {
            throw new IllegalArgumentException(
                    "MultiBranchConv: an identity branch needs "
                            + spec().filters()
                            + " input channels, got input "
                            + in);
        }
        for (Block b : children.values()) {
            b.initialize(manager, dataType, inputShapes);
        }
    }

    /** Builds a {@link MultiBranchConv}. */
    public static final class Builder {
        private final ConvSpec spec;
        private final List<Map.Entry<String, ConvBranch>> branches = new ArrayList<>();
        private boolean identity;
        private String fusedName;

        private Builder(ConvSpec spec) {
            this.spec = spec;
        }

        /**
         * Adds a branch under a name.
         *
         * @param name its name ({@code lkb_origin}, {@code conv1})
         * @param branch a branch with the unit's filters, stride and groups, a kernel at most the
         *     unit's, and no activation
         * @return this builder
         */
        public Builder addBranch(String name, ConvBranch branch) {
            ConvSpec s = branch.spec();
            if (s.filters() != spec.filters()
                    || s.stride() != spec.stride()
                    || s.groups() != spec.groups()
                    || s.kernel() > spec.kernel()) {
                throw new IllegalArgumentException(
                        "MultiBranchConv: branch '"
                                + name
                                + "' "
                                + s
                                + " must have the unit's filters, stride and groups and a kernel"
                                + " at most the unit's: "
                                + spec);
            }
            if (branch instanceof ConvBn && ((ConvBn) branch).activation() != null) {
                throw new IllegalArgumentException(
                        "MultiBranchConv: branch '"
                                + name
                                + "' ends in an activation, so it is not one convolution");
            }
            branches.add(Map.entry(name, branch));
            return this;
        }

        /**
         * Adds a conv + BN branch whose children are named as the unit's own ({@code c}, {@code
         * bn}: FFNet's {@code Conv2d_BN}, whose deploy form is one conv in its place).
         *
         * @param convBn the branch's builder
         * @return this builder
         */
        public Builder addOwnBranch(ConvBn.Builder convBn) {
            return addBranch("branch", convBn.buildOwn());
        }

        /**
         * Adds the input to the sum (a residual inside the unit; stride 1, as many input as output
         * channels).
         *
         * @return this builder
         */
        public Builder optIdentity() {
            if (spec.stride() != 1) {
                throw new IllegalArgumentException(
                        "MultiBranchConv: an identity branch needs stride 1, got " + spec);
            }
            this.identity = true;
            return this;
        }

        /**
         * Names the fused convolution (RepLKNet: {@code lkb_reparam}); without a name its
         * parameters are the unit's own.
         *
         * @param name the child name
         * @return this builder
         */
        public Builder optFusedName(String name) {
            this.fusedName = name;
            return this;
        }

        /**
         * @return the unit in training form
         * @throws IllegalStateException if there is no branch
         */
        public MultiBranchConv build() {
            if (branches.isEmpty()) {
                throw new IllegalStateException("MultiBranchConv: add at least one branch");
            }
            return new MultiBranchConv(this, false);
        }

        /**
         * @return the unit in inference form: only the fused convolution (branches ignored)
         */
        public MultiBranchConv buildInferenceForm() {
            return new MultiBranchConv(this, true);
        }
    }
}
