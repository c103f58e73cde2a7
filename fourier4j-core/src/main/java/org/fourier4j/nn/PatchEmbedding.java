package org.fourier4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.TruncatedNormalInitializer;
import ai.djl.util.PairList;

/**
 * Images (B, C, H, W) to tokens (B, N, D): a P x P convolution with stride P ({@code proj}),
 * flattened row-major ({@code n = h * w_grid + w}), an optional class token prepended, an optional
 * learned position embedding added, an optional layer norm (FiT). Without a class token the tokens
 * can also be handed out as their grid (B, h, w, D) ({@link Builder#optTokenGrid}), the layout of
 * GFNet's global filters.
 *
 * <p>The position embedding is built for the grid of the configured image size. At another
 * resolution its grid part is resized on the fly to the input's grid by bicubic interpolation with
 * aligned corners (the rule GFNet uses to fine-tune at higher resolution; the class token's entry
 * is kept), and the parameter receives the gradient through the interpolation. H and W need not be
 * multiples of P: the grid is floor(H / P) x floor(W / P) and the last H mod P rows and W mod P
 * columns are not seen, exactly as a stride-P convolution (the papers' PyTorch patchify) does.
 */
public class PatchEmbedding extends AbstractBlock {

    /** How the position embedding starts. */
    public enum PositionInit {
        /** No position embedding. */
        NONE,
        /** Truncated normal, std 0.02 (timm ViT, GFNet). */
        TRUNCATED_NORMAL,
        /** Zeros (FiT). */
        ZEROS
    }

    private final int patch;
    private final long dim;
    private final int gridHeight;
    private final int gridWidth;
    private final Conv2d proj;
    private final Parameter classToken;
    private final Parameter positions;
    private final LayerNorm norm;
    private final boolean tokenGrid;

    /**
     * Creates the embedding (tokens (B, N, D); see {@link #builder} for all options).
     *
     * @param dim token width D
     * @param patch patch size P
     * @param imageSize the image size the position embedding is built for
     * @param classTokenStd std of the class token's normal init, or a negative value for no class
     *     token (ViT 1e-6, FiT 1)
     * @param positionInit how the position embedding starts
     * @param normEps eps of a layer norm after the embedding, or a negative value for none
     */
    public PatchEmbedding(
            long dim,
            int patch,
            int imageSize,
            float classTokenStd,
            PositionInit positionInit,
            float normEps) {
        this(dim, patch, imageSize, classTokenStd, positionInit, normEps, false);
    }

    private PatchEmbedding(
            long dim,
            int patch,
            int imageSize,
            float classTokenStd,
            PositionInit positionInit,
            float normEps,
            boolean tokenGrid) {
        if (patch < 1 || imageSize < patch) {
            throw new IllegalArgumentException(
                    "PatchEmbedding: image size " + imageSize + " is smaller than patch " + patch);
        }
        if (tokenGrid && classTokenStd >= 0) {
            throw new IllegalArgumentException(
                    "PatchEmbedding: a class token has no place on the token grid");
        }
        this.patch = patch;
        this.dim = dim;
        this.tokenGrid = tokenGrid;
        this.gridHeight = imageSize / patch;
        this.gridWidth = imageSize / patch;
        proj =
                addChildBlock(
                        "proj",
                        Conv2d.builder()
                                .setKernelShape(new Shape(patch, patch))
                                .optStride(new Shape(patch, patch))
                                .setFilters((int) dim)
                                .build());
        classToken =
                classTokenStd < 0
                        ? null
                        : addParameter(
                                Parameter.builder()
                                        .setName("cls_token")
                                        .setType(Parameter.Type.WEIGHT)
                                        .optInitializer(new NormalInitializer(classTokenStd))
                                        .optShape(new Shape(1, 1, dim))
                                        .build());
        Initializer posInit =
                positionInit == PositionInit.ZEROS
                        ? Initializer.ZEROS
                        : new TruncatedNormalInitializer(0.02f);
        positions =
                positionInit == PositionInit.NONE
                        ? null
                        : addParameter(
                                Parameter.builder()
                                        .setName("pos_embed")
                                        .setType(Parameter.Type.WEIGHT)
                                        .optInitializer(posInit)
                                        .optShape(
                                                new Shape(
                                                        1,
                                                        gridHeight * (long) gridWidth
                                                                + (classToken == null ? 0 : 1),
                                                        dim))
                                        .build());
        norm =
                normEps < 0
                        ? null
                        : addChildBlock(
                                "norm",
                                LayerNorm.builder()
                                        .axis(tokenGrid ? 3 : 2)
                                        .optEpsilon(normEps)
                                        .build());
    }

    /**
     * Starts an embedding with none of the options: no class token, no position embedding, no norm,
     * tokens (B, N, D).
     *
     * @param dim token width D
     * @param patch patch size P
     * @param imageSize the image size the position embedding is built for
     * @return a builder
     */
    public static Builder builder(long dim, int patch, int imageSize) {
        return new Builder(dim, patch, imageSize);
    }

    /**
     * @return the patch size
     */
    public int patchSize() {
        return patch;
    }

    /**
     * Returns the token grid of an input.
     *
     * @param input (B, C, H, W)
     * @return {floor(H / P), floor(W / P)}
     */
    public int[] grid(Shape input) {
        check(input);
        return new int[] {(int) (input.get(2) / patch), (int) (input.get(3) / patch)};
    }

    private void check(Shape s) {
        if (s.dimension() != 4 || s.get(2) < patch || s.get(3) < patch) {
            throw new IllegalArgumentException(
                    "PatchEmbedding: expected images (B, C, H, W) with H and W at least the"
                            + " patch "
                            + patch
                            + ", got "
                            + s);
        }
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray images = inputs.singletonOrThrow();
        int[] g = grid(images.getShape());
        NDArray x = proj.forward(ps, inputs, training).singletonOrThrow(); // (B, D, h, w)
        long b = x.getShape().get(0);
        x = x.reshape(b, dim, (long) g[0] * g[1]).transpose(0, 2, 1); // (B, N, D)
        if (classToken != null) {
            NDArray cls = ps.getValue(classToken, images.getDevice(), training);
            NDArray expanded = cls.broadcast(new Shape(b, 1, dim));
            expanded.attach(x.getManager());
            x = expanded.concat(x, 1);
        }
        if (positions != null) {
            NDArray pos = ps.getValue(positions, images.getDevice(), training);
            x = x.add(resizedPositions(pos, g[0], g[1], x.getManager()));
        }
        if (tokenGrid) {
            x = x.reshape(b, g[0], g[1], dim);
        }
        return norm == null ? new NDList(x) : norm.forward(ps, new NDList(x), training);
    }

    /**
     * The position embedding for an h x w grid: the stored one, or its grid part resized; work on
     * the parameter is done on a view owned by the batch's manager, so nothing accumulates in the
     * model's.
     */
    private NDArray resizedPositions(NDArray pos, int h, int w, NDManager batch) {
        if (h == gridHeight && w == gridWidth) {
            return pos;
        }
        NDArray p = pos.reshape(pos.getShape());
        p.attach(batch);
        int offset = classToken == null ? 0 : 1;
        NDArray gridPart =
                p.get(new NDIndex().addAllDim().addSliceDim(offset, p.getShape().get(1)))
                        .reshape(1, gridHeight, gridWidth, dim);
        NDArray resized = Resampling.apply(gridPart, 1, Resampling.cubic(gridHeight, h));
        resized =
                Resampling.apply(resized, 2, Resampling.cubic(gridWidth, w))
                        .reshape(1, (long) h * w, dim);
        return offset == 0
                ? resized
                : p.get(new NDIndex().addAllDim().addSliceDim(0, 1)).concat(resized, 1);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        int[] g = grid(inputShapes[0]);
        long batch = inputShapes[0].get(0);
        if (tokenGrid) {
            return new Shape[] {new Shape(batch, g[0], g[1], dim)};
        }
        long tokens = (long) g[0] * g[1] + (classToken == null ? 0 : 1);
        return new Shape[] {new Shape(batch, tokens, dim)};
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        proj.initialize(manager, dataType, inputShapes);
        if (norm != null) {
            norm.initialize(manager, dataType, getOutputShapes(inputShapes));
        }
    }

    /** Builds a {@link PatchEmbedding}. */
    public static final class Builder {
        private final long dim;
        private final int patch;
        private final int imageSize;
        private float classTokenStd = -1;
        private PositionInit positionInit = PositionInit.NONE;
        private float normEps = -1;
        private boolean tokenGrid;

        private Builder(long dim, int patch, int imageSize) {
            this.dim = dim;
            this.patch = patch;
            this.imageSize = imageSize;
        }

        /**
         * Prepends a class token {@code cls_token} (1, 1, D).
         *
         * @param std the std of its normal init (ViT 1e-6, FiT 1)
         * @return this builder
         */
        public Builder optClassToken(float std) {
            if (!(std >= 0)) {
                throw new IllegalArgumentException(
                        "PatchEmbedding: class token std must be >= 0, got " + std);
            }
            this.classTokenStd = std;
            return this;
        }

        /**
         * Adds a learned position embedding {@code pos_embed} (1, N, D).
         *
         * @param init how it starts
         * @return this builder
         */
        public Builder optPositions(PositionInit init) {
            this.positionInit = init;
            return this;
        }

        /**
         * Adds a layer norm {@code norm} over D at the end.
         *
         * @param eps its epsilon
         * @return this builder
         */
        public Builder optNorm(float eps) {
            if (!(eps > 0)) {
                throw new IllegalArgumentException(
                        "PatchEmbedding: norm epsilon must be positive, got " + eps);
            }
            this.normEps = eps;
            return this;
        }

        /**
         * Hands the tokens out as their grid (B, h, w, D) instead of a sequence (B, N, D); not with
         * a class token.
         *
         * @param on whether to
         * @return this builder
         */
        public Builder optTokenGrid(boolean on) {
            this.tokenGrid = on;
            return this;
        }

        /**
         * @return the embedding
         */
        public PatchEmbedding build() {
            return new PatchEmbedding(
                    dim, patch, imageSize, classTokenStd, positionInit, normEps, tokenGrid);
        }
    }
}
