package org.fourier4j.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.fourier4j.io.StateDict;
import org.fourier4j.io.TensorData;
import org.fourier4j.io.WeightFiles;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of the official fixtures, from both of its files, through the importer a user runs:
 * the weights' names detected, their configuration adopted, the official logits and features
 * reproduced, and the official tensors written back bit for bit (the {@code .pth} keeps int64
 * {@code num_batches_tracked}, which the export writes as int64 zeros).
 */
class OfficialImportTest {

    @TempDir Path tmp;

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("gfnet-small", "gfnet-ti", Map.of()),
                Arguments.of("gfnet-h-small", "gfnet-h-ti", Map.of()),
                Arguments.of("replknet-small", "replknet-31b", Map.of()),
                Arguments.of("replknet-small-deploy", "replknet-31b", Map.of()),
                Arguments.of("convnext-small", "convnext-t", Map.of()),
                Arguments.of("casvit-small", "casvit-xs", Map.of()),
                Arguments.of("ffnet-small", "ffnet-1", Map.of()),
                Arguments.of("ffnet-small-deploy", "ffnet-1", Map.of()),
                Arguments.of("ffnet3-small", "ffnet-3", Map.of()),
                Arguments.of("ffnet3-small-deploy", "ffnet-3", Map.of()),
                // ml-cvnets' activation and attention norm leave no trace in the shapes
                Arguments.of(
                        "affnet-small",
                        "affnet-et",
                        Map.of("activation", "relu", "norm", "layer_norm_2d")),
                Arguments.of(
                        "affnet-small-swish-ln",
                        "affnet-et",
                        Map.of("activation", "swish", "norm", "layer_norm")),
                Arguments.of("fit-small", "fit", Map.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void importedFromBothFilesGivesTheOfficialOutputsAndExportsTheOfficialTensors(
            String fixture, String model, Map<String, Object> overrides) throws IOException {
        Path io = ImportExportTest.fixture(fixture + ".io.safetensors");
        for (String ext : new String[] {".pth", ".safetensors"}) {
            Path weights = ImportExportTest.fixture(fixture + ext);
            Path dir = tmp.resolve(fixture + ext);
            WeightImporter.Result r =
                    WeightImporter.importTo(
                            new WeightImporter.Request(
                                    model, overrides, weights, "auto", true, null, null, null, null,
                                    null, true),
                            dir);
            assertEquals(model.equals("fit") ? "official" : r.scheme(), r.scheme());
            try (LoadedModel m = ModelDirectory.open(dir);
                    StateDict ref = WeightFiles.read(io);
                    NDManager scope = NDManager.newBaseManager()) {
                NDList out = m.forward(ref.get("input").toNDArray(scope, DataType.FLOAT32));
                ImportExportTest.assertClose(
                        ref.get("logits").toFloats(),
                        out.get(0).toFloatArray(),
                        fixture + ext + " logits");
                ImportExportTest.assertClose(
                        ref.get("features").toFloats(),
                        out.get(1).toFloatArray(),
                        fixture + ext + " features");
                if (ext.equals(".pth")) {
                    Path back = tmp.resolve(fixture + ".back.pth");
                    WeightExporter.export(m, back, WeightExporter.Format.PTH, r.scheme());
                    assertSameTensors(weights, back);
                }
            }
        }
    }

    /**
     * timm's renaming of the official ConvNeXt checkpoints, as its {@code convnext.py} {@code
     * checkpoint_filter_fn} publishes it (written here from that function, not from our name map):
     * a file with timm's names must import as timm's and give the official logits.
     */
    static String timmName(String k) {
        k = k.replace("downsample_layers.0.", "stem.");
        k = k.replaceAll("stages\\.([0-9]+)\\.([0-9]+)", "stages.$1.blocks.$2");
        k = k.replaceAll("downsample_layers\\.([0-9]+)\\.([0-9]+)", "stages.$1.downsample.$2");
        k = k.replace("dwconv", "conv_dw");
        k = k.replace("pwconv", "mlp.fc");
        k = k.replace("head.", "head.fc.");
        if (k.startsWith("norm.")) {
            k = k.replace("norm", "head.norm");
        }
        return k;
    }

    @org.junit.jupiter.api.Test
    void aTimmNamedConvNextImportsAsTimmAndGivesTheOfficialLogits() throws IOException {
        Path timm = tmp.resolve("model.safetensors");
        try (StateDict official =
                WeightFiles.read(ImportExportTest.fixture("convnext-small.pth"))) {
            java.util.List<TensorData> renamed = new java.util.ArrayList<>();
            for (TensorData t : official.values()) {
                if (!t.name().endsWith("num_batches_tracked")) {
                    renamed.add(t.renamed(timmName(t.name())));
                }
            }
            org.fourier4j.io.Safetensors.write(timm, renamed);
        }
        Path dir = tmp.resolve("timm-convnext");
        WeightImporter.Result r =
                WeightImporter.importTo(
                        new WeightImporter.Request(
                                "convnext-t",
                                Map.of(),
                                timm,
                                "auto",
                                true,
                                null,
                                64,
                                null,
                                null,
                                null,
                                true),
                        dir);
        assertEquals("timm", r.scheme());
        Path io = ImportExportTest.fixture("convnext-small.io.safetensors");
        try (LoadedModel m = ModelDirectory.open(dir);
                StateDict ref = WeightFiles.read(io);
                NDManager scope = NDManager.newBaseManager()) {
            NDList out = m.forward(ref.get("input").toNDArray(scope, DataType.FLOAT32));
            ImportExportTest.assertClose(
                    ref.get("logits").toFloats(), out.get(0).toFloatArray(), "timm logits");
            Path back = tmp.resolve("back.safetensors");
            WeightExporter.export(m, back, WeightExporter.Format.SAFETENSORS, "timm");
            try (StateDict a = WeightFiles.read(timm);
                    StateDict b = WeightFiles.read(back)) {
                assertEquals(
                        new java.util.TreeSet<>(a.names()), new java.util.TreeSet<>(b.names()));
                for (TensorData t : a.values()) {
                    assertEquals(t.contiguousBytes(), b.get(t.name()).contiguousBytes(), t.name());
                }
            }
        }
    }

    static void assertSameTensors(Path expected, Path actual) throws IOException {
        try (StateDict a = WeightFiles.read(expected);
                StateDict b = WeightFiles.read(actual)) {
            assertEquals(a.names(), b.names(), "names and order");
            for (TensorData t : a.values()) {
                TensorData u = b.get(t.name());
                assertEquals(t.dtype(), u.dtype(), t.name());
                assertEquals(t.contiguousBytes(), u.contiguousBytes(), t.name());
            }
        }
    }
}
