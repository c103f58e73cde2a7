package org.fourier4j.onnx.exporters;

import static org.fourier4j.onnx.ExportTesting.check;
import static org.fourier4j.onnx.ExportTesting.initialise;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.fourier4j.fft.FftNorm;
import org.fourier4j.nn.ChannelNorm;
import org.fourier4j.nn.DropPath;
import org.fourier4j.nn.FourierEncoderBlock;
import org.fourier4j.nn.LayerNorm2d;
import org.fourier4j.nn.LayerNormNoBias;
import org.fourier4j.nn.LayerScale;
import org.fourier4j.nn.MetaFormerBlock;
import org.fourier4j.nn.Mlp;
import org.fourier4j.nn.MultiHeadSelfAttention;
import org.fourier4j.nn.PatchEmbedding;
import org.fourier4j.onnx.OnnxExportOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Token blocks, norms, layer scale and drop path. */
class TransformerExportersTest {

    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @Test
    void channelNorms() {
        Shape maps = new Shape(2, 4, 3, 5);
        check(manager, initialise(manager, new LayerNorm2d(1e-6f), 1, maps), maps);
        check(
                manager,
                initialise(manager, new LayerNorm2d(1e-3f), 1, new Shape(1, 3, 7)),
                new Shape(1, 3, 7));
        for (ChannelNorm.Kind kind : ChannelNorm.Kind.values()) {
            check(manager, initialise(manager, new ChannelNorm("test", kind), 2, maps), maps);
        }
        Shape grid = new Shape(2, 3, 5, 6);
        check(manager, initialise(manager, new LayerNormNoBias(1e-6f), 3, grid), grid);
    }

    @Test
    void layerScaleAndDropPath() {
        check(
                manager,
                initialise(manager, new LayerScale(1e-6f, false), 3, new Shape(2, 5, 4)),
                new Shape(2, 5, 4));
        check(
                manager,
                initialise(manager, new LayerScale(0.1f, true), 4, new Shape(2, 4, 3, 3)),
                new Shape(2, 4, 3, 3));
        check(
                manager,
                initialise(manager, new DropPath(0.3f), 5, new Shape(2, 4, 3)),
                new Shape(2, 4, 3));
    }

    @Test
    void attentionAndMlp() {
        MultiHeadSelfAttention attention =
                MultiHeadSelfAttention.builder().setHiddenSize(12).optHeads(3).build();
        initialise(manager, attention, 6, new Shape(1, 5, 12));
        for (Shape s : new Shape[] {new Shape(1, 5, 12), new Shape(2, 9, 12)}) {
            check(manager, attention, s);
        }
        check(
                manager,
                initialise(manager, new Mlp(6, 10, 0.1f), 7, new Shape(2, 4, 6)),
                new Shape(2, 4, 6));
    }

    @Test
    void metaFormerBlockWithAndWithoutLayerScale() {
        for (float layerScale : new float[] {0, 1e-5f}) {
            MetaFormerBlock block =
                    MetaFormerBlock.builder(8)
                            .setMixer(
                                    "attn",
                                    MultiHeadSelfAttention.builder()
                                            .setHiddenSize(8)
                                            .optHeads(2)
                                            .build())
                            .optMlpRatio(2.0)
                            .optLayerScale(layerScale)
                            .optDropout(0.1f)
                            .optDropPath(0.1f)
                            .build();
            initialise(manager, block, 8, new Shape(1, 5, 8));
            for (Shape s : new Shape[] {new Shape(1, 5, 8), new Shape(1, 7, 8)}) {
                check(manager, block, s, OnnxExportOptions.builder().opset(18).build());
            }
        }
    }

    @Test
    void patchEmbeddingAtItsSizeAndAnother() {
        PatchEmbedding vit =
                new PatchEmbedding(
                        8, 4, 16, 1e-6f, PatchEmbedding.PositionInit.TRUNCATED_NORMAL, -1);
        initialise(manager, vit, 9, new Shape(1, 3, 16, 16));
        for (Shape s : new Shape[] {new Shape(1, 3, 16, 16), new Shape(2, 3, 24, 20)}) {
            check(manager, vit, s);
        }
        PatchEmbedding plain =
                new PatchEmbedding(6, 2, 8, -1, PatchEmbedding.PositionInit.NONE, 1e-5f);
        initialise(manager, plain, 10, new Shape(1, 3, 8, 8));
        check(manager, plain, new Shape(1, 3, 8, 8));
        check(manager, plain, new Shape(1, 3, 10, 9));
    }

    @Test
    void fourierEncoderBlocksInBothWirings() {
        for (FourierEncoderBlock.Style style : FourierEncoderBlock.Style.values()) {
            FourierEncoderBlock block =
                    FourierEncoderBlock.builder()
                            .setHiddenSize(6)
                            .setFeedForwardSize(10)
                            .optStyle(style)
                            .optDropout(0.1f)
                            .optFourierNorm(
                                    style == FourierEncoderBlock.Style.FIT
                                            ? FftNorm.BACKWARD
                                            : FftNorm.ORTHO)
                            .build();
            initialise(manager, block, 11, new Shape(1, 5, 6));
            for (Shape s : new Shape[] {new Shape(1, 5, 6), new Shape(2, 8, 6)}) {
                check(manager, block, s);
            }
        }
    }
}
