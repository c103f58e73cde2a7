package org.fourier4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.fourier4j.nn.ParameterNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Behaviour of every zoo name, frozen: the logits of each model (its small test size, the
 * parameters filled from a seed and their name, inference mode) must stay what they were when
 * {@code zoo-golden-logits.json} was written, within {@code 1e-6 * max(1, max|ref|)}.
 *
 * <p>The parameter values are a function of the parameter's name when the file was written and its
 * shape (not of the engine's random generator). The file lists every parameter's name and shape;
 * the restructured models name their parameters differently, and {@link LegacyNames} (the same
 * migration old checkpoints go through) maps the stored names onto today's, position by position
 * with every shape checked.
 *
 * <p>To rewrite entries (only for a deliberate change of behaviour, such as a model fixed to equal
 * its paper's code), name the models and say why; the reason is kept in the entry's {@code
 * changes}: {@code mvn -B -q test -pl fourier4j-core -Dtest=ZooGoldenLogitsTest
 * -Dfourier4j.golden.write=$PWD/fourier4j-core/src/test/resources/org/fourier4j/models/zoo-golden-logits.json
 * -Dfourier4j.golden.only=gfnet-ti,gfnet-xs -Dfourier4j.golden.reason="..."}. Without {@code only}
 * every entry is rewritten.
 */
class ZooGoldenLogitsTest {

    private static final String RESOURCE = "zoo-golden-logits.json";
    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private static final Map<String, ObjectNode> WRITTEN = new LinkedHashMap<>();

    static Stream<String> names() {
        return ModelZoo.names().stream();
    }

    /** The small model of {@link ModelZooTest}, large kernels by FFT so the result is fixed. */
    static ImageClassifier build(String name, int size) {
        ModelOptions.Builder o = ModelOptions.builder().numClasses(10).imageSize(size);
        ModelZooTest.SMALL.get(ModelZoo.info(name).family()).forEach(o::override);
        if (ModelZoo.info(name).overrideKeys().contains("large_kernel_algorithm")) {
            o.override("large_kernel_algorithm", "fft");
        }
        return ModelZoo.create(name, o.build());
    }

    /**
     * Deterministic values for a parameter from its (original) name: running variances in [0.5,
     * 1.5], other vectors around 1 for scales ({@code gamma}, {@code weight}) or 0 for shifts, and
     * weights N(0, 1/fan_in).
     */
    static float[] values(String originalName, Shape shape) {
        Random r = new Random(0x5EEDL * 31 + originalName.hashCode());
        int n = Math.toIntExact(shape.size());
        float[] v = new float[n];
        String leaf = originalName.substring(originalName.lastIndexOf('_') + 1).toLowerCase();
        boolean vector = shape.dimension() <= 1;
        long fanIn = shape.dimension() <= 1 ? 1 : shape.size() / shape.get(0);
        double std = 1.0 / Math.sqrt(Math.max(1, fanIn));
        for (int i = 0; i < n; i++) {
            if (leaf.contains("var")) {
                v[i] = 0.5f + r.nextFloat();
            } else if (vector && (leaf.equals("gamma") || leaf.equals("weight"))) {
                v[i] = 1f + 0.2f * (float) r.nextGaussian();
            } else if (vector) {
                v[i] = 0.1f * (float) r.nextGaussian();
            } else {
                v[i] = (float) (std * r.nextGaussian());
            }
        }
        return v;
    }

    /** Today's fourier4j name of each parameter to its name when the file was written. */
    static Map<String, String> originalNames(ImageClassifier model, JsonNode stored) {
        List<String> names = new ArrayList<>();
        List<Shape> shapes = new ArrayList<>();
        for (JsonNode line : stored) {
            String s = line.asText();
            int at = s.indexOf(' ');
            names.add(s.substring(0, at));
            String dims = s.substring(at + 1).replaceAll("[() ]", "");
            shapes.add(
                    dims.isEmpty()
                            ? new Shape()
                            : new Shape(
                                    Arrays.stream(dims.split(","))
                                            .mapToLong(Long::parseLong)
                                            .toArray()));
        }
        Map<String, String> out = new LinkedHashMap<>();
        LegacyNames.migrate(model, names, shapes).forEach((old, now) -> out.put(now, old));
        return out;
    }

    private static NDArray input(NDManager m, int size) {
        Random r = new Random(2026);
        float[] x = new float[2 * 3 * size * size];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return m.create(x, new Shape(2, 3, size, size));
    }

    static float[] logits(String name, int size, NDManager m, JsonNode stored) {
        ImageClassifier model = build(name, size);
        model.initialize(m, DataType.FLOAT32, new Shape(2, 3, size, size));
        Map<String, Parameter> now = ParameterNames.of(model);
        Map<String, String> original =
                stored == null ? identity(now.keySet()) : originalNames(model, stored);
        for (Map.Entry<String, Parameter> p : now.entrySet()) {
            NDArray a = p.getValue().getArray();
            a.set(values(original.get(p.getKey()), a.getShape()));
        }
        return model.forward(new ParameterStore(m, false), new NDList(input(m, size)), false)
                .singletonOrThrow()
                .toFloatArray();
    }

    private static Map<String, String> identity(java.util.Set<String> names) {
        Map<String, String> out = new LinkedHashMap<>();
        names.forEach(n -> out.put(n, n));
        return out;
    }

    private static JsonNode golden() throws IOException {
        try (InputStream in = ZooGoldenLogitsTest.class.getResourceAsStream(RESOURCE)) {
            assertNotNull(in, RESOURCE + " is missing: write it as the class Javadoc says");
            return JSON.readTree(in);
        }
    }

    private static boolean rewriting(String name) {
        if (System.getProperty("fourier4j.golden.write") == null) {
            return false;
        }
        String only = System.getProperty("fourier4j.golden.only");
        return only == null || Arrays.asList(only.split(",")).contains(name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void logitsAreUnchanged(String name) throws IOException {
        int size = ModelZooTest.twoSizes(name)[0];
        boolean writing = rewriting(name);
        if (!writing && System.getProperty("fourier4j.golden.write") != null) {
            return;
        }
        JsonNode ref = writing ? null : golden().get(name);
        try (NDManager m = NDManager.newBaseManager()) {
            if (!writing) {
                assertNotNull(
                        ref, name + " has no stored logits: a new model must be added to the file");
            }
            float[] actual = logits(name, size, m, ref == null ? null : ref.get("parameters"));
            if (writing) {
                ObjectNode node = JSON.createObjectNode();
                node.put("image_size", size);
                ArrayNode values = node.putArray("logits");
                for (float f : actual) {
                    values.add(f);
                }
                ArrayNode params = node.putArray("parameters");
                ImageClassifier model = build(name, size);
                model.initialize(m, DataType.FLOAT32, new Shape(2, 3, size, size));
                ParameterNames.of(model)
                        .forEach((n, p) -> params.add(n + " " + p.getArray().getShape()));
                ArrayNode changes = node.putArray("changes");
                JsonNode old = golden().get(name);
                if (old != null && old.has("changes")) {
                    old.get("changes").forEach(changes::add);
                }
                String reason = System.getProperty("fourier4j.golden.reason");
                if (reason != null) {
                    changes.add(reason);
                }
                synchronized (WRITTEN) {
                    WRITTEN.put(name, node);
                }
                return;
            }
            assertEquals(size, ref.get("image_size").asInt(), name + ": test size changed");
            JsonNode expected = ref.get("logits");
            assertEquals(expected.size(), actual.length, name + ": logits count");
            double max = 0;
            double diff = 0;
            for (int i = 0; i < actual.length; i++) {
                max = Math.max(max, Math.abs(expected.get(i).asDouble()));
                diff = Math.max(diff, Math.abs(expected.get(i).asDouble() - actual[i]));
            }
            assertTrue(
                    diff <= 1e-6 * Math.max(1, max),
                    name + ": logits moved by " + diff + " (max |ref| " + max + ")");
        }
    }

    @Test
    void everyStoredModelStillExists() throws IOException {
        if (System.getProperty("fourier4j.golden.write") != null) {
            return;
        }
        List<String> gone = new ArrayList<>();
        golden().fieldNames()
                .forEachRemaining(
                        n -> {
                            if (!ModelZoo.names().contains(n)) {
                                gone.add(n);
                            }
                        });
        assertTrue(gone.isEmpty(), "models with stored logits are gone from the zoo: " + gone);
    }

    @AfterAll
    static void writeIfAsked() throws IOException {
        String target = System.getProperty("fourier4j.golden.write");
        if (target == null) {
            return;
        }
        Path path = Paths.get(target);
        ObjectNode root = JSON.createObjectNode();
        JsonNode old = Files.exists(path) ? JSON.readTree(path.toFile()) : JSON.createObjectNode();
        for (String n : ModelZoo.names()) {
            if (WRITTEN.containsKey(n)) {
                root.set(n, WRITTEN.get(n));
            } else if (old.has(n)) {
                root.set(n, old.get(n));
            }
        }
        Files.createDirectories(path.toAbsolutePath().getParent());
        Files.writeString(path, JSON.writeValueAsString(root));
    }
}
