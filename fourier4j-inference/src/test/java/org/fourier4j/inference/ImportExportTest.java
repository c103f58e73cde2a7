package org.fourier4j.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.fourier4j.io.Safetensors;
import org.fourier4j.io.StateDict;
import org.fourier4j.io.TensorData;
import org.fourier4j.io.WeightFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Weights in and out through model directories, on the official ConvNeXt fixture: import from the
 * official {@code .pth} and {@code .safetensors}, reproduce the official logits, export the
 * official names back bit for bit, round-trip our own export, and refuse what does not fit.
 */
class ImportExportTest {

    static final Path FIXTURES =
            Paths.get("..", "..", "shared", "fixtures", "official").toAbsolutePath().normalize();

    static final Map<String, Object> SMALL = Map.of("depths", "1,1,2,1", "dims", "24,48,96,192");

    @TempDir Path tmp;

    static Path fixture(String file) {
        Path p = FIXTURES.resolve(file);
        assumeTrue(Files.isRegularFile(p), "no official fixture " + p);
        return p;
    }

    static WeightImporter.Request request(Path weights, Map<String, Object> overrides) {
        return new WeightImporter.Request(
                "convnext-t", overrides, weights, "auto", true, null, 64, null, null, null, false);
    }

    @Test
    void officialWeightsFromBothFilesGiveTheOfficialLogits() throws IOException {
        for (String file : new String[] {"convnext-small.pth", "convnext-small.safetensors"}) {
            Path dir = tmp.resolve(file + ".model");
            WeightImporter.Result r = WeightImporter.importTo(request(fixture(file), SMALL), dir);
            assertEquals("official", r.scheme(), file);
            assertEquals(10, r.card().numClasses(), "classes come from the weights");
            try (LoadedModel m = ModelDirectory.open(dir);
                    StateDict io = WeightFiles.read(fixture("convnext-small.io.safetensors"));
                    NDManager scope = NDManager.newBaseManager()) {
                NDArray input = io.get("input").toNDArray(scope, DataType.FLOAT32);
                NDList out = m.forward(input);
                assertClose(
                        io.get("logits").toFloats(), out.get(0).toFloatArray(), file + " logits");
                assertClose(
                        io.get("features").toFloats(),
                        out.get(1).toFloatArray(),
                        file + " features");
            }
        }
    }

    @Test
    void exportingTheImportGivesTheOfficialTensorsBack() throws IOException {
        Path dir = tmp.resolve("m");
        WeightImporter.importTo(request(fixture("convnext-small.pth"), SMALL), dir);
        Path st = tmp.resolve("back.safetensors");
        Path pth = tmp.resolve("back.pth");
        try (LoadedModel m = ModelDirectory.open(dir)) {
            WeightExporter.export(m, st, WeightExporter.Format.SAFETENSORS, "official");
            WeightExporter.export(m, pth, WeightExporter.Format.PTH, "official");
        }
        try (StateDict ref = WeightFiles.read(fixture("convnext-small.pth"));
                StateDict a = WeightFiles.read(st);
                StateDict b = WeightFiles.read(pth)) {
            assertEquals(ref.names(), a.names());
            assertEquals(ref.names(), b.names());
            for (TensorData t : ref.values()) {
                assertEquals(t.dtype(), b.get(t.name()).dtype(), t.name());
                assertArrayEquals(t.shape(), a.get(t.name()).shape(), t.name());
                assertEquals(
                        t.contiguousBytes(),
                        b.get(t.name()).contiguousBytes(),
                        t.name() + " (pth)");
                assertEquals(
                        t.contiguousBytes(),
                        a.get(t.name()).contiguousBytes(),
                        t.name() + " (safetensors)");
            }
        }
    }

    @Test
    void importingAnExportGivesBitIdenticalParameters() throws IOException {
        Path first = tmp.resolve("first");
        WeightImporter.importTo(request(fixture("convnext-small.safetensors"), SMALL), first);
        Path ours = tmp.resolve("ours.safetensors");
        try (LoadedModel m = ModelDirectory.open(first)) {
            WeightExporter.export(m, ours, WeightExporter.Format.SAFETENSORS, "fourier4j");
        }
        Path second = tmp.resolve("second");
        WeightImporter.Result r = WeightImporter.importTo(request(ours, SMALL), second);
        assertEquals("fourier4j", r.scheme());
        try (StateDict a = WeightFiles.read(first.resolve(ModelDirectory.WEIGHTS));
                StateDict b = WeightFiles.read(second.resolve(ModelDirectory.WEIGHTS))) {
            assertEquals(a.names(), b.names());
            for (TensorData t : a.values()) {
                assertEquals(t.contiguousBytes(), b.get(t.name()).contiguousBytes(), t.name());
            }
        }
    }

    @Test
    void anotherConfigurationIsRefusedWithTheOverridesThatFixIt() {
        Path out = tmp.resolve("x");
        Path weights = fixture("convnext-small.pth"); // skips here, not inside assertThrows
        ModelDirectoryException e =
                assertThrows(
                        ModelDirectoryException.class,
                        () -> WeightImporter.importTo(request(weights, Map.of()), out));
        assertTrue(e.getMessage().contains("-o depths=1,1,2,1"), e.getMessage());
        assertTrue(e.getMessage().contains("-o dims=24,48,96,192"), e.getMessage());
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void weightsOfAnotherFamilyListTheMismatchedKeys() {
        Path out = tmp.resolve("y");
        Path weights = fixture("gfnet-small.pth"); // skips here, not inside assertThrows
        ModelDirectoryException e =
                assertThrows(
                        ModelDirectoryException.class,
                        () -> WeightImporter.importTo(request(weights, SMALL), out));
        assertTrue(e.getMessage().contains("gfnet-small.pth"), e.getMessage());
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
        assertTrue(e.getMessage().contains("unexpected"), e.getMessage());
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void shapesNoSettingGivesAreRefusedAsAConfigurationNotBuilt() throws IOException {
        // the official model with an MLP ratio of 2 in one block: ConvNeXt has no such setting
        Path half = tmp.resolve("half-mlp.safetensors");
        List<TensorData> tensors = new ArrayList<>();
        try (StateDict sd = WeightFiles.read(fixture("convnext-small.safetensors"))) {
            for (TensorData t : sd.values()) {
                float[] v = t.toFloats();
                long[] s = t.shape();
                if (t.name().startsWith("stages.0.0.pwconv1.")) {
                    s[0] /= 2; // (96, 24) -> (48, 24), (96) -> (48)
                } else if (t.name().equals("stages.0.0.pwconv2.weight")) {
                    s[1] /= 2; // (24, 96) -> (24, 48)
                }
                long n = 1;
                for (long d : s) {
                    n *= d;
                }
                tensors.add(TensorData.of(t.name(), Arrays.copyOf(v, (int) n), s));
            }
        }
        Safetensors.write(half, tensors);
        Path out = tmp.resolve("z");
        ModelDirectoryException e =
                assertThrows(
                        ModelDirectoryException.class,
                        () -> WeightImporter.importTo(request(half, SMALL), out));
        assertTrue(e.getMessage().contains("3 with another shape"), e.getMessage());
        assertTrue(
                e.getMessage().contains("a configuration fourier4j does not build"),
                e.getMessage());
        assertTrue(
                e.getMessage().contains("depths") && e.getMessage().contains("dims"),
                e.getMessage());
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void aFreshHeadForFineTuning() throws IOException {
        Path dir = tmp.resolve("ft");
        WeightImporter.Result r =
                WeightImporter.importTo(
                        new WeightImporter.Request(
                                "convnext-t",
                                SMALL,
                                fixture("convnext-small.pth"),
                                "official",
                                true,
                                3,
                                64,
                                null,
                                null,
                                null,
                                false),
                        dir);
        assertEquals(3, r.card().numClasses());
        try (LoadedModel m = ModelDirectory.open(dir)) {
            assertEquals(3, m.card().classes().size());
        }
    }

    static void assertClose(float[] ref, float[] actual, String what) {
        assertEquals(ref.length, actual.length, what);
        double max = 1;
        double diff = 0;
        for (int i = 0; i < ref.length; i++) {
            max = Math.max(max, Math.abs(ref[i]));
            diff = Math.max(diff, Math.abs(ref[i] - actual[i]));
        }
        assertTrue(diff <= 1e-4 * max, what + ": max |diff| " + diff);
    }
}
