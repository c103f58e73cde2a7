package org.fourier4j.models.official;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fourier4j.config.ConfigBinder;
import org.fourier4j.models.MetaFormer;
import org.fourier4j.models.ModelOptions;
import org.fourier4j.models.ModelZoo;
import org.fourier4j.models.NameMap;

/** What the fixture tests of the patch families (GFNet, GFNet-H, FiT, ViT) share. */
final class PatchFixtures {

    private static final Pattern KEY = Pattern.compile("^\\| `([^`]+)` \\|");

    private PatchFixtures() {}

    /** A token grid (B, h, w, C) as the official code's tokens (B, h w, C). */
    static NDArray tokens(NDArray grid) {
        Shape s = grid.getShape();
        return s.dimension() == 4 ? grid.reshape(s.get(0), s.get(1) * s.get(2), s.get(3)) : grid;
    }

    /** The output of the stem and the first block of the first stage. */
    static NDArray[] stemAndFirstBlock(MetaFormer model, NDArray input, ParameterStore ps) {
        NDArray stem = model.stem().forward(ps, new NDList(input), false).singletonOrThrow();
        NDArray block = model.stages().get(0).block(0).forward(ps, new NDList(stem), false).head();
        return new NDArray[] {stem, block};
    }

    /** The state_dict keys listed in {@code KEYS-<family>.md}, every case of the family. */
    static List<String> officialKeys(String family) throws IOException {
        Path file = OfficialFixture.DIR.resolve("KEYS-" + family + ".md");
        assumeTrue(Files.isRegularFile(file), "no key list at " + file.toAbsolutePath());
        List<String> keys = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            Matcher m = KEY.matcher(line);
            if (m.find()) {
                keys.add(m.group(1));
            }
        }
        assertFalse(keys.isEmpty(), "no keys in " + file);
        return keys;
    }

    /** Every key goes to a fourier4j name and back unchanged. */
    static void assertRoundTrip(NameMap map, List<String> keys) {
        for (String k : keys) {
            assertEquals(k, map.fromFourier4j(map.toFourier4j(k)), map.scheme() + " key " + k);
        }
    }

    /** The official weights' shapes under their fourier4j names. */
    static Map<String, Shape> shapes(OfficialFixture f, NameMap map) {
        Map<String, Shape> out = new LinkedHashMap<>();
        f.weights.forEach((k, v) -> out.put(map.toFourier4j(k), v.getShape()));
        return out;
    }

    /**
     * What the family infers from the fixture's weights, checked to agree with the configuration
     * the model equal to the fixture is built with (as the importer compares them).
     */
    static Map<String, Object> inferred(
            String model, ModelOptions options, OfficialFixture f, String scheme) {
        NameMap map = ModelZoo.family(model).nameMaps().get(scheme);
        Map<String, Object> inferred = ModelZoo.family(model).inferFromWeights(shapes(f, map));
        Map<String, Object> config =
                new LinkedHashMap<>(ConfigBinder.toMap(ModelZoo.variant(model).configure(options)));
        config.put("num_classes", options.numClasses());
        config.put("image_size", options.imageSize());
        inferred.forEach((k, v) -> assertEquals(config.get(k), v, model + ": inferred " + k));
        return inferred;
    }
}
