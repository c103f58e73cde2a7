package org.fourier4j.models.official;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.fourier4j.models.MetaFormer;
import org.fourier4j.models.NameMap;

/** Prints how far a model is from a fixture, and the name-map checks of the fixture tests. */
final class OfficialDiffs {

    private OfficialDiffs() {}

    /**
     * Compares (as {@link OfficialFixture#assertSameOutputs}) and prints max |diff| of every stage
     * output, the features and the logits.
     */
    static void assertSameOutputs(
            OfficialFixture f, MetaFormer model, Map<String, Integer> stages, NDManager m) {
        ParameterStore ps = new ParameterStore(m, false);
        NDArray input = f.io.get("input");
        NDList inter = model.forwardIntermediates(ps, input, false);
        new TreeMap<>(stages)
                .forEach((name, i) -> print(f.name, name, f.io.get(name), inter.get(i)));
        NDArray features = model.forwardFeatures(ps, input, false);
        print(
                f.name,
                "features",
                f.io.get("features"),
                model.head().preLogits(ps, features, false));
        print(f.name, "logits", f.io.get("logits"), f.logits(model, m));
    }

    /** Prints max |ref - actual| and max |ref| of one output. */
    static void print(String fixture, String what, NDArray ref, NDArray actual) {
        System.out.printf(
                "%s %s: max |diff| %.3g (max |ref| %.3g)%n",
                fixture, what, ref.sub(actual).abs().max().getFloat(), ref.abs().max().getFloat());
    }

    /** The fixture's weight shapes under fourier4j's names. */
    static Map<String, Shape> shapes(OfficialFixture f, NameMap map) {
        Map<String, Shape> out = new LinkedHashMap<>();
        f.weights.forEach(
                (k, v) -> {
                    if (!map.isSkipped(k)) {
                        out.put(map.toFourier4j(k), v.getShape());
                    }
                });
        return out;
    }
}
