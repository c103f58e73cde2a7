package org.fourier4j.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.TruncatedNormalInitializer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import org.fourier4j.nn.Sequence;

/**
 * The one network skeleton of the zoo (after timm's {@code MetaFormer}): {@code stem}, {@code
 * stages.<i>} (each a {@link Stage}: optional {@code downsample}, then {@code blocks.<j>}), an
 * optional feature block after the last stage ({@code norm} by default), and a {@link
 * ClassifierHead} {@code head}. Families differ only in the blocks they plug in; the builder owns
 * the stages' depths and the drop-path schedule.
 */
public class MetaFormer extends ImageClassifier {

    private final Block stem;
    private final Sequence stages;
    private final Block features;
    private final ClassifierHead head;

    /**
     * Builds the model from a builder.
     *
     * @param b the builder
     */
    protected MetaFormer(Builder b) {
        super(b.name, b.options);
        stem = addChildBlock("stem", b.stem);
        List<Stage> built = new ArrayList<>();
        float[] rates = DropPathSchedule.linear(b.options.dropPathRate(), b.totalDepth());
        int index = 0;
        for (StageSpec s : b.stages) {
            List<Block> blocks = new ArrayList<>();
            for (int j = 0; j < s.depth(); j++) {
                blocks.add(s.factory().create(j, rates[index++]));
            }
            built.add(new Stage(s.downsample(), blocks));
        }
        stages = addChildBlock("stages", Sequence.of(built));
        features = b.features == null ? null : addChildBlock(b.featuresName, b.features);
        head = addChildBlock("head", b.head);
        for (InitRule r : b.initializers) {
            setInitializer(r.initializer, r.which);
        }
    }

    /**
     * Starts a model.
     *
     * @param name the zoo name
     * @param options classes, image size, drop path, overrides
     * @return a builder
     */
    public static Builder builder(String name, ModelOptions options) {
        return new Builder(name, options);
    }

    /**
     * @return the stages, in order
     */
    public List<Stage> stages() {
        List<Stage> out = new ArrayList<>();
        for (int i = 0; i < stages.size(); i++) {
            out.add((Stage) stages.get(i));
        }
        return out;
    }

    /**
     * @return the stem
     */
    public Block stem() {
        return stem;
    }

    /**
     * @return the classifier head
     */
    public ClassifierHead head() {
        return head;
    }

    @Override
    public NDArray forwardFeatures(ParameterStore ps, NDArray images, boolean training) {
        NDList x = stem.forward(ps, new NDList(images), training);
        x = stages.forward(ps, x, training);
        if (features != null) {
            x = features.forward(ps, x, training);
        }
        return x.singletonOrThrow();
    }

    /**
     * The output of the stem and of every stage (as timm's {@code forward_intermediates}), for
     * feature pyramids and for locating where two implementations diverge.
     *
     * @param ps the parameter store
     * @param images (B, C, H, W)
     * @param training whether in training mode
     * @return the stem's output, then each stage's
     */
    public NDList forwardIntermediates(ParameterStore ps, NDArray images, boolean training) {
        NDList out = new NDList();
        NDList x = stem.forward(ps, new NDList(images), training);
        out.add(x.singletonOrThrow());
        for (int i = 0; i < stages.size(); i++) {
            x = stages.get(i).forward(ps, x, training);
            out.add(x.singletonOrThrow());
        }
        return out;
    }

    @Override
    public NDArray forwardHead(ParameterStore ps, NDArray features, boolean training) {
        return head.forward(ps, new NDList(features), training).singletonOrThrow();
    }

    @Override
    public NDArray forwardPreLogits(ParameterStore ps, NDArray features, boolean training) {
        return head.preLogits(ps, features, training);
    }

    @Override
    public NDArray forwardLogits(ParameterStore ps, NDArray preLogits, boolean training) {
        return head.logits(ps, preLogits, training);
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] s = inputShapes;
        for (Block b : getChildren().values()) {
            b.initialize(manager, dataType, s);
            s = b.getOutputShapes(s);
        }
    }

    /** Makes the j-th block of a stage. */
    @FunctionalInterface
    public interface BlockFactory {
        /**
         * Creates a block.
         *
         * @param index the block's position in its stage
         * @param dropPath its stochastic-depth rate from the model's schedule
         * @return the block
         */
        Block create(int index, float dropPath);
    }

    /** Makes the j-th block of stage i of a pyramid ({@link Builder#pyramid}). */
    @FunctionalInterface
    public interface StageBlockFactory {
        /**
         * Creates a block.
         *
         * @param stage the stage, from 0
         * @param index the block's position in its stage
         * @param dropPath its stochastic-depth rate from the model's schedule
         * @return the block
         */
        Block create(int stage, int index, float dropPath);
    }

    private record StageSpec(Block downsample, int depth, BlockFactory factory) {}

    private static final class InitRule {
        final Initializer initializer;
        final Predicate<Parameter> which;

        InitRule(Initializer initializer, Predicate<Parameter> which) {
            this.initializer = initializer;
            this.which = which;
        }
    }

    /** Builds a {@link MetaFormer}: stem, stages in order, optional feature block, head. */
    public static class Builder {
        private final String name;
        private final ModelOptions options;
        private Block stem;
        private final List<StageSpec> stages = new ArrayList<>();
        private String featuresName = "norm";
        private Block features;
        private ClassifierHead head;
        private final List<InitRule> initializers = new ArrayList<>();

        /**
         * Starts a builder.
         *
         * @param name the zoo name
         * @param options the options
         */
        protected Builder(String name, ModelOptions options) {
            this.name = name;
            this.options = options;
        }

        /**
         * @return the options the model is built with
         */
        public ModelOptions options() {
            return options;
        }

        int totalDepth() {
            return stages.stream().mapToInt(s -> s.depth()).sum();
        }

        /**
         * Sets the stem: images (B, C, H, W) to the first stage's input.
         *
         * @param stem the stem
         * @return this builder
         */
        public Builder stem(Block stem) {
            this.stem = stem;
            return this;
        }

        /**
         * Appends a stage.
         *
         * @param downsample the block before its first block, or null
         * @param depth the number of blocks
         * @param factory makes each block, given its position and drop-path rate
         * @return this builder
         */
        public Builder stage(Block downsample, int depth, BlockFactory factory) {
            if (depth < 0) {
                throw new IllegalArgumentException(
                        name + ": a stage depth must be >= 0, got " + depth);
            }
            stages.add(new StageSpec(downsample, depth, factory));
            return this;
        }

        /**
         * Appends the stages of a pyramid: stage i has {@code depths[i]} blocks and, from the
         * second on, starts with {@code downsample.apply(i)} (the first follows the stem).
         *
         * @param depths the number of blocks of each stage
         * @param downsample makes the downsampling block before stage i, for i &gt;= 1
         * @param factory makes each block, given its stage, position and drop-path rate
         * @return this builder
         */
        public Builder pyramid(
                int[] depths, IntFunction<Block> downsample, StageBlockFactory factory) {
            for (int i = 0; i < depths.length; i++) {
                int stage = i;
                stage(
                        i == 0 ? null : downsample.apply(i),
                        depths[i],
                        (j, rate) -> factory.create(stage, j, rate));
            }
            return this;
        }

        /**
         * Appends a stage that keeps the resolution of the one before (no downsampling block), as
         * the single stage of an isotropic model (ViT, FiT, GFNet) has.
         *
         * @param depth the number of blocks
         * @param factory makes each block, given its position and drop-path rate
         * @return this builder
         */
        public Builder stage(int depth, BlockFactory factory) {
            return stage(null, depth, factory);
        }

        /**
         * Sets the block after the last stage, named {@code norm}.
         *
         * @param norm the block, or null for none
         * @return this builder
         */
        public Builder norm(Block norm) {
            return features("norm", norm);
        }

        /**
         * Sets the block after the last stage under another name (e.g. a 1x1 expansion conv).
         *
         * @param name its name
         * @param block the block, or null for none
         * @return this builder
         */
        public Builder features(String name, Block block) {
            this.featuresName = name;
            this.features = block;
            return this;
        }

        /**
         * Sets the head.
         *
         * @param head the head
         * @return this builder
         */
        public Builder head(ClassifierHead head) {
            this.head = head;
            return this;
        }

        /**
         * Sets the plain head: the pooling, then a linear {@code fc} to the options' classes.
         *
         * @param pool how the features are pooled
         * @return this builder
         */
        public Builder head(ClassifierHead.Pool pool) {
            return head(ClassifierHead.builder(pool, options.numClasses()).build());
        }

        /**
         * Initialises every {@link Parameter.Type#WEIGHT} parameter truncated normal with std 0.02
         * (the papers' and timm's {@code trunc_normal_(std=.02)}), after the blocks' own.
         *
         * @return this builder
         */
        public Builder truncatedNormalWeights() {
            return truncatedNormalWeights(p -> true);
        }

        /**
         * Initialises the {@link Parameter.Type#WEIGHT} parameters that also match {@code which}
         * truncated normal with std 0.02, after the blocks' own.
         *
         * @param which the weights it applies to
         * @return this builder
         */
        public Builder truncatedNormalWeights(Predicate<Parameter> which) {
            return initializer(
                    new TruncatedNormalInitializer(0.02f),
                    p -> p.getType() == Parameter.Type.WEIGHT && which.test(p));
        }

        /**
         * Sets an initializer on the model's parameters that match, after the blocks' own.
         *
         * @param initializer the initializer
         * @param which the parameters it applies to
         * @return this builder
         */
        public Builder initializer(Initializer initializer, Predicate<Parameter> which) {
            initializers.add(new InitRule(initializer, which));
            return this;
        }

        /**
         * @return the model
         */
        public MetaFormer build() {
            if (stem == null || head == null || stages.isEmpty()) {
                throw new IllegalStateException(
                        name + ": a MetaFormer needs a stem, stages and a head");
            }
            return new MetaFormer(this);
        }
    }
}
