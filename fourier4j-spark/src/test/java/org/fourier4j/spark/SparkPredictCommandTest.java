package org.fourier4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.inference.Predictor;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.repository.zoo.ZooModel;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.fourier4j.inference.Fourier4jModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code spark predict} end to end on local[2]: output files, counts, and bad input. */
class SparkPredictCommandTest {

    @TempDir static Path tmp;
    static Path model;
    static Path folder;
    static List<Path> images;

    @BeforeAll
    static void setUp() throws IOException {
        model = TestImages.model(tmp.resolve("model"));
        folder = tmp.resolve("images");
        images = TestImages.cifarPngs(folder, 12);
        TestImages.undecodable(folder.resolve("notes.txt"));
    }

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = SparkPredictMain.execute(args);
            return new Run(
                    code,
                    out.toString(StandardCharsets.UTF_8),
                    err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    static List<String> partLines(Path dir, String ext) throws IOException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p :
                    s.filter(
                                    f ->
                                            f.getFileName().toString().startsWith("part-")
                                                    && f.getFileName().toString().endsWith(ext))
                            .sorted()
                            .toList()) {
                lines.addAll(Files.readAllLines(p));
            }
        }
        return lines;
    }

    @Test
    void csvHasARowPerImageAndRankAndTheCountsArePrinted() throws IOException {
        Path out = tmp.resolve("csv");
        Run r =
                run(
                        "--checkpoint", model.toString(),
                        "--images", folder.toString(),
                        "--out", out.toString(),
                        "--master", "local[2]",
                        "--top-k", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("read 13, predicted 12, failed 1"), r.out());
        List<String> lines = partLines(out, ".csv");
        String header = "image,rank,label,class_index,probability,error";
        List<String> rows = lines.stream().filter(l -> !l.equals(header)).toList();
        assertTrue(lines.contains(header), lines.get(0));
        assertEquals(12 * 2 + 1, rows.size(), String.join("\n", rows));
        List<String> errors = rows.stream().filter(l -> l.contains("notes.txt")).toList();
        assertEquals(1, errors.size());
        assertTrue(errors.get(0).matches(".*notes\\.txt,,,,,.*cannot be decoded.*"), errors.get(0));
        for (Path image : images) {
            List<String> ranks =
                    rows.stream().filter(l -> l.contains(image.getFileName().toString())).toList();
            assertEquals(2, ranks.size(), image.toString());
            String[] first = ranks.get(0).split(",", -1);
            String[] second = ranks.get(1).split(",", -1);
            assertEquals("1", first[1]);
            assertEquals("2", second[1]);
            assertTrue(Double.parseDouble(first[4]) >= Double.parseDouble(second[4]));
            assertEquals("", first[5], "no error");
        }
    }

    @Test
    void jsonWithEmbedHasTheFeatureExtractorsFeatures() throws Exception {
        Path out = tmp.resolve("json");
        Run r =
                run(
                        "--checkpoint",
                        model.toString(),
                        "--images",
                        folder.resolve("cifar-00*.png").toString(),
                        "--out",
                        out.toString(),
                        "--master",
                        "local[2]",
                        "--top-k",
                        "1",
                        "--embed",
                        "--batch-size",
                        "1",
                        "--format",
                        "json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("read 10, predicted 10, failed 0"), r.out());
        ObjectMapper json = new ObjectMapper();
        List<String> lines = partLines(out, ".json");
        assertEquals(10, lines.size());
        try (ZooModel<Image, float[]> m = Fourier4jModels.featureExtractor(model);
                Predictor<Image, float[]> p = m.newPredictor()) {
            for (String line : lines) {
                JsonNode row = json.readTree(line);
                assertTrue(row.has("error") && row.get("error").isNull(), line);
                Path file = Path.of(java.net.URI.create(row.get("image").asText()));
                float[] expected = p.predict(ImageFactory.getInstance().fromFile(file));
                JsonNode embedding = row.get("embedding");
                assertEquals(expected.length, embedding.size(), file.toString());
                for (int i = 0; i < expected.length; i++) {
                    // batches of one on both sides; the executor may still run other thread
                    // counts and convolution algorithms than this JVM (oneDNN and FFT sums differ
                    // in float32 by up to a few 1e-5 relative)
                    assertEquals(
                            expected[i],
                            embedding.get(i).floatValue(),
                            1e-4 * Math.max(1, Math.abs(expected[i])),
                            file + " " + i);
                }
            }
        }
    }

    @Test
    void parquetIsWritten() throws IOException {
        Path out = tmp.resolve("parquet");
        Run r =
                run(
                        "--checkpoint", model.toString(),
                        "--images", images.get(0).toString(),
                        "--out", out.toString(),
                        "--master", "local[1]",
                        "--format", "parquet");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("read 1, predicted 1, failed 0"), r.out());
        try (Stream<Path> s = Files.list(out)) {
            assertTrue(s.anyMatch(f -> f.getFileName().toString().endsWith(".parquet")));
        }
    }

    @Test
    void badInputIsOneLineAndExitCode2() throws IOException {
        Path existing = Files.createDirectories(tmp.resolve("existing"));
        Files.writeString(existing.resolve("keep.txt"), "x");
        String[][] cases = {
            {"--embed", "--format", "csv"},
            {"--top-k", "0"},
            {"--format", "xml"},
            {"--out", existing.toString()},
            {"--checkpoint", tmp.resolve("no-model").toString()},
            {"--images", tmp.resolve("no-images").toString()},
        };
        String[] expected = {
            "CSV cannot hold",
            "--top-k must be at least 1, got 0",
            "--format must be csv, parquet or json, got 'xml'",
            "already exists",
            "model directory not found",
            "--images " + tmp.resolve("no-images"),
        };
        for (int i = 0; i < cases.length; i++) {
            List<String> args =
                    new ArrayList<>(
                            List.of(
                                    "--checkpoint", model.toString(),
                                    "--images", folder.toString(),
                                    "--out", tmp.resolve("bad" + i).toString(),
                                    "--master", "local[1]"));
            for (int j = 0; j < cases[i].length; j++) {
                int at = args.indexOf(cases[i][j]);
                if (at >= 0
                        && j + 1 < cases[i].length
                        && cases[i][j].startsWith("--")
                        && !cases[i][j + 1].startsWith("--")) {
                    args.set(at + 1, cases[i][++j]);
                } else {
                    args.add(cases[i][j]);
                }
            }
            Run r = run(args.toArray(new String[0]));
            assertEquals(2, r.code(), String.join(" ", args) + "\n" + r.err());
            String last = r.err().strip().lines().reduce((a, b) -> b).orElse("");
            assertTrue(last.startsWith("fourier4j spark predict: "), r.err());
            assertTrue(last.contains(expected[i]), last);
            assertFalse(Files.exists(tmp.resolve("bad" + i)), "nothing written for " + args);
        }
    }
}
