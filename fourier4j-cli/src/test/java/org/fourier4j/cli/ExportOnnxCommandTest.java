package org.fourier4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.fourier4j.inference.LoadedModel;
import org.fourier4j.inference.ModelCard;
import org.fourier4j.inference.ModelDirectory;
import org.fourier4j.inference.Preprocessing;
import org.fourier4j.models.ImageClassifier;
import org.fourier4j.models.ModelOptions;
import org.fourier4j.models.ModelZoo;
import org.fourier4j.onnx.OnnxRuntimeSession;
import org.fourier4j.onnx.proto.Onnx.ModelProto;
import org.fourier4j.onnx.proto.Onnx.StringStringEntryProto;
import org.fourier4j.onnx.proto.Onnx.TensorShapeProto;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fourier4j export --format onnx} on a model directory (a narrow FFNet in its training form,
 * so the export has units to fold): the graph's input, output and batch axis, the card's
 * preprocessing and class names in its metadata, ONNX Runtime's logits against the model
 * directory's own, and bad options as one line, exit code 2 and no file.
 */
class ExportOnnxCommandTest {

    @TempDir static Path tmp;
    static Path model;

    static final List<String> CLASSES = List.of("cat", "dog, spotted", "ship");

    @BeforeAll
    static void writeAModelDirectory() {
        ModelOptions options =
                ModelOptions.builder()
                        .numClasses(3)
                        .imageSize(32)
                        .override("depths", "1,1,1,1")
                        .override("dims", "8,16,16,32")
                        .override("stem_dim", 8)
                        .build();
        try (NDManager m = NDManager.newBaseManager()) {
            ImageClassifier net = ModelZoo.create("ffnet-1", options);
            net.initialize(m, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            model = tmp.resolve("ffnet");
            Preprocessing p =
                    new Preprocessing(
                            36,
                            32,
                            Preprocessing.Interpolation.BICUBIC,
                            new double[] {0.5, 0.4, 0.3},
                            new double[] {0.2, 0.25, 0.3});
            ModelDirectory.write(
                    model,
                    ModelCard.of("ffnet-1", options, ModelCard.TRAINING, p, CLASSES, Map.of()),
                    net);
        }
    }

    static Map<String, String> metadata(ModelProto onnx) {
        Map<String, String> out = new HashMap<>();
        for (StringStringEntryProto e : onnx.getMetadataPropsList()) {
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }

    @Test
    void theGraphTakesImagesGivesLogitsAndCarriesTheCard() throws IOException {
        Path out = tmp.resolve("ffnet.onnx");
        CliRunner r =
                CliRunner.run(
                        "export",
                        "--checkpoint",
                        model.toString(),
                        "--format",
                        "onnx",
                        "--out",
                        out.toString());
        assertEquals(0, r.exitCode, r.err);
        assertTrue(r.out.contains("ONNX opset 17"), r.out);
        ModelProto onnx = ModelProto.parseFrom(Files.readAllBytes(out));
        assertEquals("input", onnx.getGraph().getInput(0).getName());
        assertEquals("logits", onnx.getGraph().getOutput(0).getName());
        TensorShapeProto in = onnx.getGraph().getInput(0).getType().getTensorType().getShape();
        assertEquals("batch", in.getDim(0).getDimParam());
        assertEquals(32, in.getDim(2).getDimValue());
        Map<String, String> meta = metadata(onnx);
        assertEquals("ffnet-1", meta.get("fourier4j.model"));
        JsonNode pre = new ObjectMapper().readTree(meta.get("fourier4j.preprocessing"));
        assertEquals(36, pre.get("resize").asInt());
        assertEquals(32, pre.get("crop").asInt());
        assertEquals("bicubic", pre.get("interpolation").asText());
        assertEquals(0.4, pre.get("mean").get(1).asDouble());
        assertEquals(0.3, pre.get("std").get(2).asDouble());
        JsonNode classes = new ObjectMapper().readTree(meta.get("fourier4j.classes"));
        assertEquals(CLASSES.get(1), classes.get(1).asText());

        float[] x = new float[3 * 3 * 32 * 32];
        Random random = new Random(5);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        float[] expected;
        try (LoadedModel m = ModelDirectory.open(model);
                NDManager scope = NDManager.newBaseManager()) {
            NDArray input = scope.create(x, new Shape(3, 3, 32, 32));
            expected = m.forward(input).get(0).toFloatArray();
        }
        try (OnnxRuntimeSession s = OnnxRuntimeSession.open(out, 1)) {
            OnnxRuntimeSession.Output y = s.run(x, 3, 3, 32, 32);
            assertArrayEquals(new long[] {3, 3}, y.shape());
            double worst = 0;
            double scale = 1;
            for (int i = 0; i < expected.length; i++) {
                worst = Math.max(worst, Math.abs(expected[i] - y.data()[i]));
                scale = Math.max(scale, Math.abs(expected[i]));
            }
            assertTrue(worst <= 1e-4 * scale, "max |difference| " + worst);
        }
    }

    @Test
    void aFixedBatchAnotherOpsetAndAnotherImageSize() throws IOException {
        Path out = tmp.resolve("fixed.onnx");
        CliRunner r =
                CliRunner.run(
                        "export",
                        "--checkpoint",
                        model.toString(),
                        "--format",
                        "onnx",
                        "--opset",
                        "20",
                        "--batch",
                        "4",
                        "--image-size",
                        "48",
                        "--out",
                        out.toString());
        assertEquals(0, r.exitCode, r.err);
        ModelProto onnx = ModelProto.parseFrom(Files.readAllBytes(out));
        assertEquals(20, onnx.getOpsetImport(0).getVersion());
        TensorShapeProto in = onnx.getGraph().getInput(0).getType().getTensorType().getShape();
        assertEquals(4, in.getDim(0).getDimValue());
        assertEquals(48, in.getDim(3).getDimValue());
        assertEquals("48", metadata(onnx).get("fourier4j.image_size"));
    }

    static void assertBadInput(CliRunner r, Path out, String... expected) {
        assertEquals(2, r.exitCode, r.err);
        assertEquals(1, r.err.strip().lines().count(), "one line: " + r.err);
        for (String e : expected) {
            assertTrue(r.err.contains(e), "'" + e + "' in: " + r.err);
        }
        assertFalse(Files.exists(out), "nothing written at " + out);
    }

    static CliRunner export(Path out, String... extra) {
        String[] base = {
            "export", "--checkpoint", model.toString(), "--format", "onnx", "--out", out.toString()
        };
        String[] all = java.util.Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return CliRunner.run(all);
    }

    @Test
    void badOptionsAreOneLineExitTwoAndNothingWritten() {
        Path out = tmp.resolve("bad.onnx");
        assertBadInput(export(out, "--opset", "16"), out, "--opset", "16");
        assertBadInput(export(out, "--batch", "0"), out, "--batch", "'0'");
        assertBadInput(export(out, "--batch", "many"), out, "--batch", "'many'");
        assertBadInput(export(out, "--image-size", "30"), out, "30");
        assertBadInput(export(out, "--names", "official"), out, "--names");
        assertBadInput(
                CliRunner.run(
                        "export",
                        "--checkpoint",
                        tmp.resolve("missing").toString(),
                        "--format",
                        "onnx",
                        "--out",
                        out.toString()),
                out,
                "missing");
        assertBadInput(
                CliRunner.run(
                        "export",
                        "--checkpoint",
                        model.toString(),
                        "--format",
                        "pth",
                        "--opset",
                        "18",
                        "--out",
                        out.toString()),
                out,
                "--format onnx");
    }
}
