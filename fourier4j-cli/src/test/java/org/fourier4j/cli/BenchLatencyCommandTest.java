package org.fourier4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.fourier4j.bench.LatencyBenchmark;
import org.fourier4j.inference.ModelCard;
import org.fourier4j.inference.ModelDirectory;
import org.fourier4j.inference.Preprocessing;
import org.fourier4j.models.ImageClassifier;
import org.fourier4j.models.ModelOptions;
import org.fourier4j.models.ModelZoo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchLatencyCommandTest {

    @Test
    void measuresInAChildProcess() throws Exception {
        CliRunner r =
                CliRunner.run(
                        "bench",
                        "latency",
                        "--models",
                        "convnext-t",
                        "--sizes",
                        "32",
                        "--warmup",
                        "0",
                        "--warmup-s",
                        "0",
                        "--repeats",
                        "2",
                        "--format",
                        "json");
        assertEquals(0, r.exitCode, r.err);
        JsonNode row = new ObjectMapper().readTree(r.out).get(0);
        assertEquals("ok", row.get("status").asText(), row.toString());
        assertEquals(28.59, row.get("params_m").asDouble(), 0.01);
        assertTrue(row.get("median_ms").asDouble() > 0);
        assertTrue(row.get("p90_ms").asDouble() >= row.get("median_ms").asDouble());
        assertTrue(row.get("rss_peak_mb").asDouble() > 0);
        assertTrue(row.get("images_per_s").asDouble() > 0);
    }

    @Test
    void limitsGiveDnfWithTheReasonInsteadOfACrash() throws Exception {
        CliRunner r =
                CliRunner.run(
                        "bench",
                        "latency",
                        "--models",
                        "convnext-t",
                        "--sizes",
                        "32",
                        "--max-memory",
                        "60m",
                        "--format",
                        "json");
        assertEquals(0, r.exitCode, r.err);
        JsonNode row = new ObjectMapper().readTree(r.out).get(0);
        assertEquals("DNF", row.get("status").asText());
        assertTrue(row.get("reason").asText().contains("out of memory budget"), row.toString());

        CliRunner slow =
                CliRunner.run(
                        "bench",
                        "latency",
                        "--models",
                        "convnext-t",
                        "--sizes",
                        "32",
                        "--timeout-s",
                        "0.3",
                        "--format",
                        "json");
        JsonNode timeout = new ObjectMapper().readTree(slow.out).get(0);
        assertEquals("DNF", timeout.get("status").asText());
        assertTrue(timeout.get("reason").asText().startsWith("timeout"), timeout.toString());
    }

    @Test
    void badArgumentsAreNamed() {
        CliRunner unknown = CliRunner.run("bench", "latency", "--models", "convnext-tt");
        assertEquals(2, unknown.exitCode);
        assertTrue(
                unknown.err.contains("unknown model 'convnext-tt'; closest: convnext-t"),
                unknown.err);
        CliRunner memory =
                CliRunner.run("bench", "latency", "--models", "convnext-t", "--max-memory", "lots");
        assertEquals(2, memory.exitCode);
        assertTrue(memory.err.contains("--max-memory must be a positive size"), memory.err);
        CliRunner warm =
                CliRunner.run("bench", "latency", "--models", "convnext-t", "--warmup-s", "-1");
        assertEquals(2, warm.exitCode);
        assertTrue(warm.err.contains("--warmup-s must be non-negative, got -1.0"), warm.err);
        assertEquals(16L << 30, LatencyBenchmark.parseBytes("16g"));
        assertEquals(512L << 20, LatencyBenchmark.parseBytes("512M"));
    }

    @Test
    void modelSpecsCarryOverridesAndDeployTimesTheInferenceForm() throws Exception {
        CliRunner r =
                CliRunner.run(
                        "bench",
                        "latency",
                        "--models",
                        "vit-tiny-p4,vit-tiny-p4:num_layers=2",
                        "--sizes",
                        "32",
                        "--warmup",
                        "0",
                        "--warmup-s",
                        "0",
                        "--repeats",
                        "1",
                        "--format",
                        "json");
        assertEquals(0, r.exitCode, r.err);
        JsonNode rows = new ObjectMapper().readTree(r.out);
        assertEquals("vit-tiny-p4:num_layers=2", rows.get(1).get("model").asText());
        double twelve = rows.get(0).get("params_m").asDouble();
        double two = rows.get(1).get("params_m").asDouble();
        // ViT-Ti blocks hold ~0.44M parameters each: ten fewer blocks, ~4.4M fewer
        assertEquals(twelve - 4.44, two, 0.05, rows.toString());

        double[] params = new double[2];
        for (int deploy = 0; deploy < 2; deploy++) {
            CliRunner f =
                    deploy == 0
                            ? CliRunner.run(
                                    "bench",
                                    "latency",
                                    "--models",
                                    "ffnet-1",
                                    "--sizes",
                                    "64",
                                    "--warmup",
                                    "0",
                                    "--warmup-s",
                                    "0",
                                    "--repeats",
                                    "1",
                                    "--format",
                                    "json")
                            : CliRunner.run(
                                    "bench",
                                    "latency",
                                    "--models",
                                    "ffnet-1",
                                    "--sizes",
                                    "64",
                                    "--warmup",
                                    "0",
                                    "--warmup-s",
                                    "0",
                                    "--repeats",
                                    "1",
                                    "--format",
                                    "json",
                                    "--deploy");
            assertEquals(0, f.exitCode, f.err);
            JsonNode row = new ObjectMapper().readTree(f.out).get(0);
            assertEquals("ok", row.get("status").asText(), row.toString());
            params[deploy] = row.get("params_m").asDouble();
        }
        assertEquals(13.66, params[1], 0.01, "FFNet-1's inference form, as its paper counts it");
        assertTrue(params[0] > params[1], "the training form has more (branch and BN) parameters");
    }

    @Test
    void aModelDirectoryInBothRuntimesWithTheSameWeightsAndInput(@TempDir Path tmp)
            throws Exception {
        ModelOptions options =
                ModelOptions.builder()
                        .numClasses(5)
                        .imageSize(48)
                        .override("depths", "1,1,1,1")
                        .override("dims", "8,16,16,32")
                        .build();
        Path dir = tmp.resolve("convnext");
        try (NDManager m = NDManager.newBaseManager()) {
            ImageClassifier net = ModelZoo.create("convnext-t", options);
            net.initialize(m, DataType.FLOAT32, new Shape(1, 3, 48, 48));
            ModelDirectory.write(
                    dir,
                    ModelCard.of(
                            "convnext-t",
                            options,
                            ModelCard.TRAINING,
                            Preprocessing.imagenet(48),
                            null,
                            Map.of()),
                    net);
        }
        CliRunner r =
                CliRunner.run(
                        "bench",
                        "latency",
                        "--checkpoint",
                        dir.toString(),
                        "--runtime",
                        "djl,onnxruntime,onnxruntime-direct,auto",
                        "--threads",
                        "1",
                        "--warmup",
                        "0",
                        "--warmup-s",
                        "0",
                        "--repeats",
                        "2",
                        "--format",
                        "json");
        assertEquals(0, r.exitCode, r.err);
        JsonNode rows = new ObjectMapper().readTree(r.out);
        assertEquals(4, rows.size(), rows.toString());
        JsonNode djl = rows.get(0);
        JsonNode ort = rows.get(1);
        JsonNode direct = rows.get(2);
        JsonNode auto = rows.get(3);
        assertEquals("auto", auto.get("runtime").asText());
        // the inference path ran the engine it chose for this model and shape
        assertTrue(
                List.of("djl", "onnxruntime").contains(auto.get("engine").asText()),
                auto.toString());
        assertEquals(
                auto.get("median_ms").asDouble() / ort.get("median_ms").asDouble(),
                auto.get("vs_onnxruntime").asDouble(),
                0.01);
        assertEquals(
                auto.get("median_ms").asDouble() / direct.get("median_ms").asDouble(),
                auto.get("vs_onnxruntime_direct").asDouble(),
                0.01);
        assertEquals("djl", djl.get("runtime").asText());
        assertEquals("onnxruntime", ort.get("runtime").asText());
        assertEquals("onnxruntime-direct", direct.get("runtime").asText());
        for (JsonNode row : rows) {
            assertEquals("ok", row.get("status").asText(), row.toString());
            assertEquals(48, row.get("image_size").asInt(), "the card's size by default");
            assertEquals(1, row.get("threads").asInt());
            assertTrue(row.get("median_ms").asDouble() > 0);
        }
        // both ONNX Runtime rows checked their output against DJL's on the same input
        for (JsonNode onnx : List.of(ort, direct)) {
            double scale = Math.max(1, onnx.get("max_abs_logit").asDouble());
            assertTrue(onnx.get("max_abs_diff").asDouble() <= 1e-4 * scale, onnx.toString());
        }
        assertEquals(
                ort.get("median_ms").asDouble() / djl.get("median_ms").asDouble(),
                ort.get("vs_djl").asDouble(),
                0.01);
    }

    @Test
    void badRuntimesAndSourcesAreNamed() {
        CliRunner runtime =
                CliRunner.run("bench", "latency", "--models", "convnext-t", "--runtime", "tvm");
        assertEquals(2, runtime.exitCode);
        assertTrue(
                runtime.err.contains(
                        "--runtime must be one of djl, onnxruntime, onnxruntime-direct, auto, got"
                                + " 'tvm'"),
                runtime.err);
        CliRunner none = CliRunner.run("bench", "latency", "--sizes", "32");
        assertEquals(2, none.exitCode);
        assertTrue(none.err.contains("--models, --checkpoint"), none.err);
        CliRunner missing =
                CliRunner.run("bench", "latency", "--checkpoint", "/nonexistent/model-dir");
        assertEquals(2, missing.exitCode);
        assertTrue(missing.err.contains("/nonexistent/model-dir"), missing.err);
    }

    @Test
    void badModelSpecsNameThePart() throws Exception {
        CliRunner key = CliRunner.run("bench", "latency", "--models", "vit-tiny:bogus=1");
        assertEquals(2, key.exitCode);
        assertTrue(key.err.contains("--models: model 'vit-tiny:bogus=1'"), key.err);
        assertTrue(key.err.contains("takes no override 'bogus'"), key.err);

        CliRunner pair = CliRunner.run("bench", "latency", "--models", "vit-tiny:num_layers");
        assertEquals(2, pair.exitCode);
        assertTrue(pair.err.contains("'num_layers' is not key=value"), pair.err);

        CliRunner name = CliRunner.run("bench", "latency", "--models", "vit-tinny:num_layers=2");
        assertEquals(2, name.exitCode);
        assertTrue(name.err.contains("vit-tiny"), "closest names listed: " + name.err);
    }
}
