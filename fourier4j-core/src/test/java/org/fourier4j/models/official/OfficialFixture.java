package org.fourier4j.models.official;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.fourier4j.models.ImageClassifier;
import org.fourier4j.models.MetaFormer;
import org.fourier4j.models.NameMap;
import org.fourier4j.nn.ParameterNames;

/**
 * A case of {@code ../shared/fixtures/official}: the official code's weights (safetensors, read
 * with DJL's decoder, which is fine for these small files), its input and its outputs. Tests skip
 * when the fixtures are absent (a user's clone does not have them).
 */
final class OfficialFixture {

    static final Path DIR = Paths.get("..", "..", "shared", "fixtures", "official");

    final String name;
    final Map<String, NDArray> weights = new LinkedHashMap<>();
    final Map<String, NDArray> io = new LinkedHashMap<>();

    private OfficialFixture(String name) {
        this.name = name;
    }

    /** Loads a case, or skips the test when the shared fixtures are not there. */
    static OfficialFixture load(String name, NDManager m) throws IOException {
        Path dir = DIR.toAbsolutePath().normalize();
        assumeTrue(Files.isDirectory(dir), "no official fixtures at " + dir);
        OfficialFixture f = new OfficialFixture(name);
        read(dir.resolve(name + ".safetensors"), m, f.weights);
        read(dir.resolve(name + ".io.safetensors"), m, f.io);
        return f;
    }

    /**
     * Loads a case of the same layout kept as a test resource beside this class (a reference made
     * by a script of {@code src/test/python}, where there is no official code to run).
     */
    static OfficialFixture resource(String name, NDManager m) throws IOException {
        OfficialFixture f = new OfficialFixture(name);
        for (String file : new String[] {name + ".safetensors", name + ".io.safetensors"}) {
            try (InputStream in = OfficialFixture.class.getResourceAsStream(file)) {
                if (in == null) {
                    throw new IOException("test resource " + file + " is missing");
                }
                read(in, m, file.endsWith(".io.safetensors") ? f.io : f.weights);
            }
        }
        return f;
    }

    private static void read(Path file, NDManager m, Map<String, NDArray> into) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            read(in, m, into);
        }
    }

    private static void read(InputStream in, NDManager m, Map<String, NDArray> into)
            throws IOException {
        for (NDArray a : NDList.decode(m, in)) {
            into.put(a.getName(), a);
        }
    }

    /**
     * Copies the official weights into an initialised model through a name map, strictly: every
     * parameter of the model must get a tensor of its shape, and every official tensor must be used
     * (but the map's skipped leaves).
     */
    void loadInto(ImageClassifier model, NameMap map) {
        Map<String, Parameter> params = ParameterNames.of(model);
        List<String> problems = new ArrayList<>();
        TreeSet<String> unused = new TreeSet<>(params.keySet());
        for (Map.Entry<String, NDArray> w : weights.entrySet()) {
            if (map.isSkipped(w.getKey())) {
                continue;
            }
            String ours = map.toFourier4j(w.getKey());
            Parameter p = params.get(ours);
            if (p == null) {
                problems.add("unexpected " + w.getKey() + " (as " + ours + ")");
                continue;
            }
            NDArray target = p.getArray();
            if (!target.getShape().equals(w.getValue().getShape())) {
                problems.add(
                        "shape of "
                                + w.getKey()
                                + ": official "
                                + w.getValue().getShape()
                                + ", ours "
                                + target.getShape());
                continue;
            }
            target.set(w.getValue().toType(DataType.FLOAT32, false).toFloatArray());
            unused.remove(ours);
        }
        for (String u : unused) {
            problems.add("missing " + u + " (official " + map.fromFourier4j(u) + ")");
        }
        assertTrue(problems.isEmpty(), name + ": " + String.join("; ", problems));
    }

    /** Runs the model on the case's input in inference mode. */
    NDArray logits(ImageClassifier model, NDManager m) {
        return model.forward(new ParameterStore(m, false), new NDList(io.get("input")), false)
                .singletonOrThrow();
    }

    /**
     * Compares the official stage outputs ({@code out.<module>}) with the model's intermediates,
     * then the features (the input of the classifier) and the logits.
     *
     * @param model the model with the official weights loaded
     * @param stages official output name to index in {@link MetaFormer#forwardIntermediates} (0 the
     *     stem, i + 1 stage i); a function may adapt the layout first
     * @param m a manager
     */
    void assertSameOutputs(
            MetaFormer model,
            Map<String, Integer> stages,
            java.util.function.UnaryOperator<NDArray> layout,
            NDManager m) {
        ParameterStore ps = new ParameterStore(m, false);
        NDArray input = io.get("input");
        NDList inter = model.forwardIntermediates(ps, input, false);
        stages.forEach(
                (official, index) ->
                        assertClose(official, io.get(official), layout.apply(inter.get(index))));
        NDArray features = model.forwardFeatures(ps, input, false);
        assertClose("features", io.get("features"), model.head().preLogits(ps, features, false));
        assertClose("logits", io.get("logits"), logits(model, m));
    }

    /** Asserts max|a - b| <= 1e-4 * max(1, max|ref|). */
    static void assertClose(String what, NDArray ref, NDArray actual) {
        assertTrue(
                ref.getShape().equals(actual.getShape()),
                what + ": shape " + actual.getShape() + ", official " + ref.getShape());
        float scale = Math.max(1f, ref.abs().max().getFloat());
        float diff = ref.sub(actual).abs().max().getFloat();
        assertTrue(
                diff <= 1e-4f * scale,
                what + ": max |diff| " + diff + " (max |ref| " + scale + ")");
    }
}
