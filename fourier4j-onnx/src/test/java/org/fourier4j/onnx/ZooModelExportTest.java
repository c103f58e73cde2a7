package org.fourier4j.onnx;

import static org.fourier4j.onnx.ExportTesting.check;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.fourier4j.models.FourierTransformer;
import org.fourier4j.models.ImageClassifier;
import org.fourier4j.models.ModelOptions;
import org.fourier4j.models.ModelZoo;
import org.fourier4j.models.VisionTransformer;
import org.fourier4j.onnx.export.ExporterRegistry;
import org.fourier4j.onnx.graph.OnnxOps;
import org.fourier4j.onnx.graph.OnnxValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whole zoo models exported as a walk over their blocks: the model classes' own wiring (patch
 * embedding, blocks, CLS token, head) is registered here, as the model families' exporters will be
 * once the zoo's shared skeleton lands; everything below comes from the standard registry.
 */
class ZooModelExportTest {

    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private static OnnxValue classToken(OnnxOps ops, OnnxValue tokens) {
        return ops.squeeze(ops.slice(tokens, 1, 0, 1), 1);
    }

    private static ExporterRegistry registry(boolean tanhHead) {
        return ExporterRegistry.standard()
                .register(
                        VisionTransformer.class,
                        (ctx, m, x) -> {
                            OnnxValue t = ctx.child(m, "patch_embed", x);
                            t = ctx.child(m, "norm", ctx.child(m, "blocks", t));
                            return ctx.child(m, "head", classToken(ctx.ops(), t));
                        })
                .register(
                        FourierTransformer.class,
                        (ctx, m, x) -> {
                            OnnxValue t = ctx.child(m, "encoder", ctx.child(m, "embed", x));
                            OnnxValue logits = ctx.child(m, "head", classToken(ctx.ops(), t));
                            return tanhHead ? ctx.ops().tanh(logits) : logits;
                        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"vit-tiny-p4", "fit-tiny", "fnet-tiny"})
    void smallZooModelsExportAtTwoSizes(String name) {
        // the zoo's configuration, narrowed and shortened for speed
        ModelOptions.Builder b =
                ModelOptions.builder()
                        .imageSize(32)
                        .numClasses(10)
                        .override("embed_dim", 32)
                        .override("num_layers", 2);
        if (name.startsWith("vit")) {
            b.override("num_heads", 2);
        } else {
            b.override("dim_feedforward", 48);
        }
        ImageClassifier model = ModelZoo.create(name, b.build());
        model.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
        OnnxExportOptions options =
                OnnxExportOptions.builder()
                        .registry(registry(name.startsWith("fit")))
                        .metadata("fourier4j.model", name)
                        .build();
        check(manager, model, new Shape(1, 3, 32, 32), options);
        check(manager, model, new Shape(1, 3, 40, 36), options);
    }
}
