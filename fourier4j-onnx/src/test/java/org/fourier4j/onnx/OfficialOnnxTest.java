package org.fourier4j.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fourier4j.inference.WeightImporter;
import org.fourier4j.io.StateDict;
import org.fourier4j.io.TensorData;
import org.fourier4j.io.WeightFiles;
import org.fourier4j.onnx.proto.Onnx.ModelProto;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The same weights, three implementations, one answer: each official-code fixture (weights and
 * eval-mode logits of the papers' PyTorch code, {@code shared/fixtures/official}) is imported with
 * the weight importer, exported to ONNX and run in ONNX Runtime, which must give the official
 * logits within {@code 1e-4 max(1, max|ref|)}. Skipped where the fixtures are absent (a user's
 * clone); the DFFormer case is a reference kept in the core's test resources.
 */
class OfficialOnnxTest {

    static final Path FIXTURES =
            Paths.get("..", "..", "shared", "fixtures", "official").toAbsolutePath().normalize();

    static final Path CORE_RESOURCES =
            Paths.get("..", "fourier4j-core", "src", "test", "resources", "org", "fourier4j")
                    .resolve(Paths.get("models", "official"))
                    .toAbsolutePath()
                    .normalize();

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "gfnet-small | gfnet-ti | dims=96;depths=4;patch_size=8",
                "gfnet-h-small | gfnet-h-ti | dims=24,48,96,192;depths=1,1,2,1",
                "replknet-small | replknet-31b |"
                    + " channels=32,64,128,256;layers=1,1,2,1;large_kernels=13,11,9,7;small_kernel=5",
                "replknet-small-deploy | replknet-31b |"
                    + " channels=32,64,128,256;layers=1,1,2,1;large_kernels=13,11,9,7;small_kernel=5",
                "convnext-small | convnext-t | depths=1,1,2,1;dims=24,48,96,192",
                "casvit-small | casvit-xs | depths=2,1,1,1;dims=48,56,112,220",
                "ffnet-small | ffnet-1 | depths=1,1,2,1;dims=24,48,96,192",
                "ffnet-small-deploy | ffnet-1 | depths=1,1,2,1;dims=24,48,96,192",
                "ffnet3-small | ffnet-3 | depths=1,1,2,1;dims=16,32,64,128",
                "ffnet3-small-deploy | ffnet-3 | depths=1,1,2,1;dims=16,32,64,128",
                "affnet-small | affnet-et | activation=relu;norm=layer_norm_2d",
                "affnet-small-swish-ln | affnet-et | activation=swish;norm=layer_norm",
                "fit-small | fit | embed_dim=64;dim_feedforward=128;num_layers=2",
                "dfformer-small | dfformer-s18 | depths=1,1,2,1;dims=8,12,16,20"
            })
    void officialWeightsGiveTheOfficialLogitsInOnnxRuntime(
            String fixture, String model, String overrides) throws Exception {
        Path dir = fixture.startsWith("dfformer") ? CORE_RESOURCES : FIXTURES;
        Path weights = dir.resolve(fixture + ".safetensors");
        Path io = dir.resolve(fixture + ".io.safetensors");
        assumeTrue(
                Files.isRegularFile(weights) && Files.isRegularFile(io),
                "no official fixture " + weights);
        try (StateDict reference = WeightFiles.read(io);
                NDManager manager = NDManager.newBaseManager()) {
            TensorData input = reference.get("input");
            long[] shape = input.shape();
            int height = (int) shape[2];
            int width = (int) shape[3];
            WeightImporter.Result imported =
                    WeightImporter.importWeights(
                            new WeightImporter.Request(
                                    model,
                                    parse(overrides),
                                    weights,
                                    "auto",
                                    true,
                                    null,
                                    height,
                                    null,
                                    null,
                                    null,
                                    false),
                            manager);
            ModelProto onnx =
                    OnnxExport.toModel(
                            imported.model(), height, width, OnnxExportOptions.defaults());
            try (OnnxRuntimeSession session =
                    OnnxRuntimeSession.open(onnx.toByteArray(), 1, true)) {
                OnnxRuntimeSession.Output logits = session.run(input.toFloats(), shape);
                TensorData expected = reference.get("logits");
                assertArrayEquals(expected.shape(), logits.shape(), fixture);
                ExportTesting.assertClose(expected.toFloats(), logits.data(), fixture + " logits");
            }
        }
    }

    /** {@code key=value;key=value} (values may hold commas). */
    static Map<String, Object> parse(String overrides) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String pair : overrides.trim().split(";")) {
            int eq = pair.indexOf('=');
            out.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return out;
    }
}
