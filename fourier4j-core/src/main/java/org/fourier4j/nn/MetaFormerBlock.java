package org.fourier4j.nn;

import ai.djl.nn.Block;
import ai.djl.nn.norm.LayerNorm;

/**
 * The pre-norm block with a pluggable token mixer, as timm's {@code Block} ({@code
 * vision_transformer.py}) and {@code MetaFormerBlock} ({@code metaformer.py}): two {@link Residual}
 * units, {@code x = x + DropPath(ls1(mixer(norm1(x))))}, then {@code x = x +
 * DropPath(ls2(mlp(norm2(x))))}.
 *
 * <p>Any mixer that keeps the shape fits. The norms are layer norms over the last axis: tokens (B,
 * N, D) by default, or channels-last grids (B, H, W, C) with {@link Builder#optNormAxis}(3). The
 * parameters are named as timm's: {@code norm1}, the mixer under the name given ({@code attn} for
 * ViT), {@code ls1.gamma} (with a layer scale), {@code norm2}, {@code mlp.fc1}, {@code mlp.fc2},
 * {@code ls2.gamma}. The units add no level to the names ({@link Transparent}).
 */
public final class MetaFormerBlock extends Sequence {

    private MetaFormerBlock(Builder b) {
        Residual.Builder mixing =
                Residual.builder().add("norm1", norm(b)).add(b.mixerName, b.mixer);
        Residual.Builder mlp =
                Residual.builder()
                        .add("norm2", norm(b))
                        .add("mlp", new Mlp(b.dim, (long) (b.dim * b.mlpRatio), b.dropout));
        if (b.layerScale > 0) {
            mixing.add("ls1", new LayerScale(b.layerScale, false));
            mlp.add("ls2", new LayerScale(b.layerScale, false));
        }
        add("token_mixing", mixing.dropPath(b.dropPath).build());
        add("channel_mixing", mlp.dropPath(b.dropPath).build());
    }

    private static LayerNorm norm(Builder b) {
        return LayerNorm.builder().axis(b.normAxis).optEpsilon(b.eps).build();
    }

    /**
     * Starts a block.
     *
     * @param dim the channel width D (the last axis)
     * @return a builder
     */
    public static Builder builder(long dim) {
        return new Builder(dim);
    }

    /** Builds a {@link MetaFormerBlock}. */
    public static final class Builder {
        private final long dim;
        private String mixerName;
        private Block mixer;
        private double mlpRatio = 4;
        private float eps = 1e-6f;
        private float layerScale;
        private float dropout;
        private float dropPath;
        private int normAxis = 2;

        private Builder(long dim) {
            this.dim = dim;
        }

        /**
         * Sets the token mixer.
         *
         * @param name its name in the paper's code ({@code attn}, {@code token_mixer})
         * @param mixer a block that keeps its input's shape
         * @return this builder
         */
        public Builder setMixer(String name, Block mixer) {
            this.mixerName = name;
            this.mixer = mixer;
            return this;
        }

        /**
         * Sets the MLP's hidden width as a multiple of D (default 4; truncated, as timm's {@code
         * int(dim * mlp_ratio)}).
         *
         * @param ratio positive
         * @return this builder
         */
        public Builder optMlpRatio(double ratio) {
            this.mlpRatio = ratio;
            return this;
        }

        /**
         * Sets the layer norms' epsilon (default 1e-6, timm's ViT).
         *
         * @param eps positive
         * @return this builder
         */
        public Builder optEpsilon(float eps) {
            this.eps = eps;
            return this;
        }

        /**
         * Adds layer scales {@code ls1}, {@code ls2} with this initial value (default 0: none).
         *
         * @param init the initial value, or 0 for none
         * @return this builder
         */
        public Builder optLayerScale(float init) {
            this.layerScale = init;
            return this;
        }

        /**
         * Sets the dropout inside the MLP (default 0).
         *
         * @param rate in [0, 1)
         * @return this builder
         */
        public Builder optDropout(float rate) {
            this.dropout = rate;
            return this;
        }

        /**
         * Sets the stochastic-depth rate of both units (default 0).
         *
         * @param rate in [0, 1)
         * @return this builder
         */
        public Builder optDropPath(float rate) {
            this.dropPath = rate;
            return this;
        }

        /**
         * Sets the channel axis the norms work on: 2 for tokens (B, N, D) (the default), 3 for
         * channels-last grids (B, H, W, C).
         *
         * @param axis the last axis of the input
         * @return this builder
         */
        public Builder optNormAxis(int axis) {
            this.normAxis = axis;
            return this;
        }

        /**
         * @return the block
         */
        public MetaFormerBlock build() {
            String what = "MetaFormerBlock: ";
            if (dim < 1 || mixer == null || mixerName == null || mixerName.isEmpty()) {
                throw new IllegalArgumentException(
                        what + "needs a width >= 1 and a named mixer, got width " + dim);
            }
            if (!(mlpRatio > 0 && (long) (dim * mlpRatio) >= 1)) {
                throw new IllegalArgumentException(
                        what + "mlp ratio " + mlpRatio + " leaves no hidden width at D " + dim);
            }
            if (!(eps > 0 && layerScale >= 0 && normAxis >= 1)) {
                throw new IllegalArgumentException(
                        what
                                + "needs eps > 0, layer scale >= 0 and a norm axis >= 1, got "
                                + eps
                                + ", "
                                + layerScale
                                + ", "
                                + normAxis);
            }
            if (!(dropout >= 0 && dropout < 1 && dropPath >= 0 && dropPath < 1)) {
                throw new IllegalArgumentException(
                        what
                                + "dropout and drop path must be in [0, 1), got "
                                + dropout
                                + ", "
                                + dropPath);
            }
            return new MetaFormerBlock(this);
        }
    }
}
