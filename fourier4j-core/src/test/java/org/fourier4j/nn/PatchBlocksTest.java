package org.fourier4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shared blocks of the patch models: the pre-norm {@link MetaFormerBlock}, the token grid. */
class PatchBlocksTest {

    private static MetaFormerBlock gridBlock() {
        return MetaFormerBlock.builder(8)
                .setMixer("token_mixer", Linear.builder().setUnits(8).build())
                .optLayerScale(0.5f)
                .optNormAxis(3)
                .build();
    }

    @Test
    void metaFormerBlockHasTimmsNamesInAnyChannelsLastLayout() {
        try (NDManager m = NDManager.newBaseManager()) {
            MetaFormerBlock block =
                    BlockTesting.initialize(
                            gridBlock(), m, DataType.FLOAT32, new Shape(2, 3, 5, 8), 1);
            assertEquals(
                    List.of(
                            "norm1.weight",
                            "norm1.bias",
                            "token_mixer.weight",
                            "token_mixer.bias",
                            "ls1.gamma",
                            "norm2.weight",
                            "norm2.bias",
                            "mlp.fc1.weight",
                            "mlp.fc1.bias",
                            "mlp.fc2.weight",
                            "mlp.fc2.bias",
                            "ls2.gamma"),
                    List.copyOf(ParameterNames.of(block).keySet()));
            assertEquals(
                    new Shape(32, 8),
                    ParameterNames.of(block).get("mlp.fc1.weight").getArray().getShape());
        }
    }

    @Test
    void bothBranchesAreResidual() {
        try (NDManager m = NDManager.newBaseManager()) {
            MetaFormerBlock block =
                    BlockTesting.initialize(
                            gridBlock(), m, DataType.FLOAT32, new Shape(2, 3, 5, 8), 1);
            NDArray x = BlockTesting.input(m, 3, DataType.FLOAT32, 2, 3, 5, 8);
            // with both layer scales 0 the block is the identity; with 0.5 it is not
            float moved = BlockTesting.forward(block, m, x, false).sub(x).abs().max().getFloat();
            assertTrue(moved > 0.01f, "the branches change x by " + moved);
            for (Parameter p : ParameterNames.of(block).values()) {
                if (p.getName().equals("gamma")) {
                    p.getArray().set(new float[8]);
                }
            }
            assertArrayEquals(
                    x.toFloatArray(), BlockTesting.forward(block, m, x, false).toFloatArray());
        }
    }

    @Test
    void metaFormerBlockRefusesBadSettingsByName() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                MetaFormerBlock.builder(8)
                                        .setMixer("attn", new Permute(0, 1, 2))
                                        .optDropPath(1.5f)
                                        .build());
        assertEquals(
                "MetaFormerBlock: dropout and drop path must be in [0, 1), got 0.0, 1.5",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MetaFormerBlock.builder(8).build());
    }

    @Test
    void theTokenGridIsTheTokenSequenceReshaped() {
        try (NDManager m = NDManager.newBaseManager()) {
            Shape images = new Shape(2, 3, 20, 13); // a 5 x 3 grid of 4 x 4 patches, floored
            PatchEmbedding sequence =
                    PatchEmbedding.builder(6, 4, 16)
                            .optPositions(PatchEmbedding.PositionInit.TRUNCATED_NORMAL)
                            .optNorm(1e-5f)
                            .build();
            PatchEmbedding grid =
                    PatchEmbedding.builder(6, 4, 16)
                            .optPositions(PatchEmbedding.PositionInit.TRUNCATED_NORMAL)
                            .optNorm(1e-5f)
                            .optTokenGrid(true)
                            .build();
            BlockTesting.initialize(sequence, m, DataType.FLOAT32, images, 5);
            BlockTesting.initialize(grid, m, DataType.FLOAT32, images, 5);
            assertEquals(new Shape(2, 5, 3, 6), grid.getOutputShapes(new Shape[] {images})[0]);
            NDArray x = BlockTesting.input(m, 9, DataType.FLOAT32, 2, 3, 20, 13);
            NDArray tokens = BlockTesting.forward(sequence, m, x, false);
            NDArray onGrid = BlockTesting.forward(grid, m, x, false);
            assertEquals(new Shape(2, 5, 3, 6), onGrid.getShape());
            assertArrayEquals(tokens.toFloatArray(), onGrid.toFloatArray(), 1e-6f);
        }
    }

    @Test
    void aClassTokenHasNoPlaceOnTheGrid() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                PatchEmbedding.builder(6, 4, 16)
                                        .optClassToken(1f)
                                        .optTokenGrid(true)
                                        .build());
        assertEquals(
                "PatchEmbedding: a class token has no place on the token grid", e.getMessage());
    }
}
