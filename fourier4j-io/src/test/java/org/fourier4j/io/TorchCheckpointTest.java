package org.fourier4j.io;

import static org.fourier4j.io.TestFiles.assertBitIdentical;
import static org.fourier4j.io.TestFiles.assertSameTensorsAnyOrder;
import static org.fourier4j.io.TestFiles.weights;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * torch.save files made by torch 1.13 (src/test/python/make_weight_files.py) against the same
 * tensors written contiguously as safetensors by that script.
 */
class TorchCheckpointTest {

    private static void assertMatches(String pth, String expectedSafetensors) throws IOException {
        try (StateDict expected = Safetensors.read(weights(expectedSafetensors));
                StateDict actual = TorchCheckpoint.read(weights(pth))) {
            assertSameTensorsAnyOrder(expected, actual);
            assertEquals(WeightFormat.TORCH_ZIP, actual.format());
        }
    }

    @Test
    void everyDtypeWithSpecialValuesIsReadBitForBit() throws IOException {
        assertMatches("dtypes.pth", "dtypes.expected.safetensors");
        try (StateDict sd = TorchCheckpoint.read(weights("dtypes.pth"))) {
            assertEquals(
                    List.of(
                            "f64.values",
                            "f32.weight",
                            "f32.scalar",
                            "f32.empty",
                            "f16.special",
                            "bf16.special",
                            "i64.values",
                            "i64.num_batches_tracked",
                            "i32.values",
                            "i16.values",
                            "i8.values",
                            "u8.values",
                            "bool.mask"),
                    List.copyOf(sd.names()),
                    "module order kept");
            assertEquals(DType.BF16, sd.get("bf16.special").dtype());
            assertArrayEquals(new long[0], sd.get("f32.scalar").shape());
            assertArrayEquals(new long[] {0, 3}, sd.get("f32.empty").shape());
            assertEquals("dtypes", sd.metadata().get("archive"));
            assertEquals("3", sd.metadata().get("version"));
        }
    }

    @Test
    void viewsAreGatheredFromTheirSharedStorage() throws IOException {
        assertMatches("views.pth", "views.expected.safetensors");
        try (StateDict sd = TorchCheckpoint.read(weights("views.pth"))) {
            StoredTensor transposed = (StoredTensor) sd.get("transposed");
            assertFalse(transposed.isContiguous());
            assertTrue(((StoredTensor) sd.get("row")).isContiguous());
            // base is arange(24).reshape(4, 6) * 0.5 - 3: transposed[j][i] = base[i][j]
            float[] t = transposed.toFloats();
            assertEquals(-3.0f + 0.5f * (2 * 6 + 5), t[5 * 4 + 2]);
        }
    }

    @Test
    void protocol4PicklesWithStackGlobalAndMemoizeAreRead() throws IOException {
        assertMatches("views-protocol4.pth", "views.expected.safetensors");
    }

    @Test
    void parametersAreReadAsTensors() throws IOException {
        try (StateDict expected = Safetensors.read(weights("model.expected.safetensors"));
                StateDict sd = TorchCheckpoint.read(weights("parameters.pth"))) {
            for (TensorData t : sd.values()) {
                assertBitIdentical(expected.get(t.name()), t);
            }
            assertEquals(8, sd.size());
        }
    }

    @Test
    void anyArchiveFolderName() throws IOException {
        assertMatches("renamed-archive.pth", "model.expected.safetensors");
        assertMatches("saved-to-buffer.pt", "model.expected.safetensors");
        assertMatches("hand-made-valid.pth", "hand-made-valid.expected.safetensors");
        try (StateDict sd = TorchCheckpoint.read(weights("renamed-archive.pth"))) {
            assertEquals("inner_folder_name", sd.metadata().get("archive"));
        }
    }

    @Test
    void wrappersAreFoundInTheDocumentedOrder() throws IOException {
        assertMatches("bare.pth", "model.expected.safetensors");
        assertMatches("wrapped-model.pth", "model.expected.safetensors");
        assertMatches("wrapped-state_dict.pth", "model.expected.safetensors");
        assertMatches("wrapped-model_ema.pth", "model-ema.expected.safetensors");
        assertMatches("wrapped-model-and-ema.pth", "model.expected.safetensors");
        assertMatches("wrapped-other-key.pth", "model.expected.safetensors");
        try (StateDict sd = TorchCheckpoint.read(weights("wrapped-model.pth"))) {
            assertEquals("model", sd.metadata().get("entry"));
            assertEquals("7", sd.metadata().get("epoch"));
            assertEquals("tiny", sd.metadata().get("arch"));
        }
        try (StateDict bare = TorchCheckpoint.read(weights("bare.pth"))) {
            assertNull(bare.metadata().get("entry"));
        }
    }

    @Test
    void theCallerChoosesTheEntry() throws IOException {
        try (StateDict expected = Safetensors.read(weights("model-ema.expected.safetensors"));
                StateDict ema =
                        TorchCheckpoint.read(weights("wrapped-model-and-ema.pth"), "model_ema")) {
            assertSameTensorsAnyOrder(expected, ema);
            assertEquals("model_ema", ema.metadata().get("entry"));
            assertEquals("9", ema.metadata().get("epoch"));
        }
        WeightFileException missing =
                assertThrows(
                        WeightFileException.class,
                        () -> TorchCheckpoint.read(weights("wrapped-model.pth"), "state_dict"));
        assertEquals(
                "wrapped-model.pth: the checkpoint has no entry 'state_dict' (its keys: ['model',"
                        + " 'epoch', 'arch'])",
                missing.getMessage());
        WeightFileException notStateDict =
                assertThrows(
                        WeightFileException.class,
                        () -> TorchCheckpoint.read(weights("wrapped-model.pth"), "epoch"));
        assertEquals(
                "wrapped-model.pth: entry 'epoch' is a int, not a state dict",
                notStateDict.getMessage());
    }

    @Test
    void twoCandidatesWithoutAPreferredKeyMustBeNamed() throws IOException {
        WeightFileException e =
                assertThrows(
                        WeightFileException.class,
                        () -> TorchCheckpoint.read(weights("wrapped-two-candidates.pth")));
        assertTrue(e.getMessage().contains("['weights_a', 'weights_b']"), e.getMessage());
        try (StateDict b =
                        TorchCheckpoint.read(weights("wrapped-two-candidates.pth"), "weights_b");
                StateDict expected = Safetensors.read(weights("model-ema.expected.safetensors"))) {
            assertSameTensorsAnyOrder(expected, b);
        }
    }

    @Test
    void dataParallelPrefixIsStrippedUnlessAskedNotTo() throws IOException {
        assertMatches("dataparallel.pth", "model.expected.safetensors");
        try (StateDict sd = TorchCheckpoint.read(weights("dataparallel.pth"))) {
            assertEquals("module.", sd.metadata().get("stripped_prefix"));
            assertEquals("0.weight", sd.get("0.weight").name());
        }
        TorchCheckpoint.Options keep = TorchCheckpoint.Options.defaults().stripModulePrefix(false);
        try (StateDict sd = TorchCheckpoint.read(weights("dataparallel.pth"), keep)) {
            assertTrue(sd.names().stream().allMatch(n -> n.startsWith("module.")));
        }
    }

    @Test
    void argsNamespaceIsRefusedByDefaultAndAnInertPlaceholderOnRequest() throws IOException {
        WeightFileException e =
                assertThrows(
                        WeightFileException.class,
                        () -> TorchCheckpoint.read(weights("imagenet-style.pth.tar")));
        assertTrue(
                e.getMessage().startsWith("imagenet-style.pth.tar: pickle names the global "),
                e.getMessage());
        TorchCheckpoint.Options lenient =
                TorchCheckpoint.Options.defaults().foreignObjectsAsPlaceholders(true);
        try (StateDict sd = TorchCheckpoint.read(weights("imagenet-style.pth.tar"), lenient);
                StateDict expected = Safetensors.read(weights("model.expected.safetensors"))) {
            assertSameTensorsAnyOrder(expected, sd);
            assertEquals("state_dict", sd.metadata().get("entry"));
            assertEquals("90", sd.metadata().get("epoch"));
            String placeholders = sd.metadata().get("placeholders");
            assertTrue(placeholders.contains("argparse.Namespace"), placeholders);
            assertTrue(placeholders.contains("numpy.core.multiarray.scalar"), placeholders);
        }
    }

    @Test
    void osSystemIsNeverCalled() {
        String refused =
                "pickle names the global 'os.system', which a state dict never needs (refused;"
                        + " nothing was called)";
        for (String file :
                List.of("os-system.pth", "os-system-value.pth", "os-system-storage.pth")) {
            WeightFileException e =
                    assertThrows(
                            WeightFileException.class, () -> TorchCheckpoint.read(weights(file)));
            assertEquals(file + ": " + refused, e.getMessage());
        }
        TorchCheckpoint.Options lenient =
                TorchCheckpoint.Options.defaults().foreignObjectsAsPlaceholders(true);
        assertEquals(
                "os-system.pth: the pickle holds a placeholder for an instance of os.system, not"
                        + " a dict",
                assertThrows(
                                WeightFileException.class,
                                () -> TorchCheckpoint.read(weights("os-system.pth"), lenient))
                        .getMessage());
        assertEquals(
                "os-system-value.pth: the state dict holds 'w', a placeholder for an instance of"
                        + " os.system rather than a tensor",
                assertThrows(
                                WeightFileException.class,
                                () -> TorchCheckpoint.read(weights("os-system-value.pth"), lenient))
                        .getMessage());
        assertEquals(
                "os-system-storage.pth: a storage has the class placeholder for os.system, not a"
                        + " torch storage class",
                assertThrows(
                                WeightFileException.class,
                                () ->
                                        TorchCheckpoint.read(
                                                weights("os-system-storage.pth"), lenient))
                        .getMessage());
    }

    @Test
    void aWholeModelIsRefusedWithAHint() {
        assertEquals(
                "whole-model.pth: pickle names the global 'torch.nn.modules.linear.Linear', which a"
                        + " state dict never needs (refused; nothing was called); a whole model"
                        + " saved with torch.save(model)? save model.state_dict() instead",
                assertThrows(
                                WeightFileException.class,
                                () -> TorchCheckpoint.read(weights("whole-model.pth")))
                        .getMessage());
        TorchCheckpoint.Options lenient =
                TorchCheckpoint.Options.defaults().foreignObjectsAsPlaceholders(true);
        assertEquals(
                "whole-model.pth: the pickle holds a placeholder for an instance of"
                        + " torch.nn.modules.linear.Linear, not a dict; a whole model saved with"
                        + " torch.save(model)? save model.state_dict() instead",
                assertThrows(
                                WeightFileException.class,
                                () -> TorchCheckpoint.read(weights("whole-model.pth"), lenient))
                        .getMessage());
    }

    @Test
    void otherFormatsAreRefusedWithWhatTheyAre() {
        assertEquals(
                "legacy.pth: legacy (non-zip) torch.save format: re-save with torch >= 1.6",
                assertThrows(
                                WeightFileException.class,
                                () -> TorchCheckpoint.read(weights("legacy.pth")))
                        .getMessage());
        assertTrue(
                assertThrows(
                                WeightFileException.class,
                                () -> TorchCheckpoint.read(weights("torchscript.pt")))
                        .getMessage()
                        .startsWith("torchscript.pt: a TorchScript archive (torch.jit.save)"));
        assertEquals(
                "compressed.pth: entry 'archive/data.pkl' is compressed (zip method 8); torch.save"
                        + " stores entries uncompressed",
                assertThrows(
                                WeightFileException.class,
                                () -> TorchCheckpoint.read(weights("compressed.pth")))
                        .getMessage());
        assertEquals(
                "dtypes.expected.safetensors: not a zip archive, which torch.save writes since"
                        + " torch 1.6",
                assertThrows(
                                WeightFileException.class,
                                () -> TorchCheckpoint.read(weights("dtypes.expected.safetensors")))
                        .getMessage());
    }

    @Test
    void weightFilesDetectsTheFormatFromTheBytes() throws IOException {
        assertEquals(WeightFormat.TORCH_ZIP, WeightFiles.detect(weights("dtypes.pth")));
        assertEquals(WeightFormat.TORCH_ZIP, WeightFiles.detect(weights("imagenet-style.pth.tar")));
        assertEquals(
                WeightFormat.SAFETENSORS,
                WeightFiles.detect(weights("dtypes.expected.safetensors")));
        try (StateDict a = WeightFiles.read(weights("dtypes.pth"));
                StateDict b = WeightFiles.read(weights("dtypes.expected.safetensors"))) {
            assertSameTensorsAnyOrder(b, a);
        }
        assertThrows(WeightFileException.class, () -> WeightFiles.detect(weights("legacy.pth")));
    }
}
