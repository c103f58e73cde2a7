package org.fourier4j.train;

import ai.djl.nn.Parameter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fourier4j.inference.LoadedModel;
import org.fourier4j.inference.ModelDirectory;
import org.fourier4j.inference.WeightLoader;
import org.fourier4j.inference.WeightMismatch;
import org.fourier4j.io.TensorData;
import org.fourier4j.models.ImageClassifier;
import org.fourier4j.nn.ParameterNames;

/**
 * The initial weights of a new run taken from a model ({@code train --init-from DIR}): any model
 * directory ({@code import}, {@code train}) or training run, its default weights (a run's best,
 * averaged). They are loaded strictly by fourier4j parameter name: every parameter of the new model
 * must be there with its shape, and nothing else may be. When the numbers of classes differ, the
 * classifier's parameters (those whose first dimension is the number of classes) keep their fresh
 * initialisation: fine-tuning on new classes.
 */
public final class InitialWeights {

    /**
     * What was loaded.
     *
     * @param from the model directory or run
     * @param model its zoo name
     * @param loaded parameters copied
     * @param freshHead parameters left at their fresh initialisation (a new classifier), empty when
     *     the classes agree
     */
    public record Result(Path from, String model, int loaded, List<String> freshHead) {

        /**
         * @return one line for the log
         */
        public String describe() {
            return "initial weights from "
                    + from
                    + " ("
                    + model
                    + "): "
                    + loaded
                    + " parameters"
                    + (freshHead.isEmpty()
                            ? ""
                            : "; a fresh classifier for the new number of classes ("
                                    + String.join(", ", freshHead)
                                    + " newly initialised)");
        }
    }

    private InitialWeights() {}

    /**
     * Copies a model's weights into an initialised model.
     *
     * @param from a model directory or training run
     * @param model the new model, initialised
     * @param numClasses its number of classes
     * @return what was loaded
     * @throws ConfigException if the weights do not fit (nothing is copied then)
     */
    public static Result load(Path from, ImageClassifier model, int numClasses) {
        try (LoadedModel source = ModelDirectory.open(from)) {
            int theirClasses = source.card().numClasses();
            Map<String, TensorData> tensors = new LinkedHashMap<>();
            ParameterNames.of(source.model())
                    .forEach((n, p) -> tensors.put(n, TensorData.of(n, p.getArray())));
            List<String> fresh = new ArrayList<>();
            if (theirClasses != numClasses) {
                Map<String, Parameter> ours = ParameterNames.of(model);
                for (Map.Entry<String, Parameter> e : ours.entrySet()) {
                    TensorData t = tensors.get(e.getKey());
                    long[] want = e.getValue().getArray().getShape().getShape();
                    if (t != null && isClassifier(t.shape(), theirClasses, want, numClasses)) {
                        fresh.add(e.getKey());
                        tensors.remove(e.getKey());
                    }
                }
            }
            WeightLoader.Plan plan = WeightLoader.plan(model, tensors, n -> n);
            WeightMismatch m = plan.mismatch();
            List<String> missing = new ArrayList<>(m.missing());
            missing.removeAll(fresh);
            m = new WeightMismatch(missing, m.unexpected(), m.shapes());
            if (!m.isEmpty()) {
                throw new ConfigException(
                        "--init-from "
                                + from
                                + ": the weights of "
                                + source.card().model()
                                + " do not fit this model: "
                                + m.summary(5));
            }
            return new Result(from, source.card().model(), plan.apply(), fresh);
        } catch (IOException e) {
            throw new UncheckedIOException("--init-from " + from + ": " + e.getMessage(), e);
        }
    }

    /** A classifier parameter: the shapes differ only in the first dimension, the classes. */
    private static boolean isClassifier(long[] theirs, int theirClasses, long[] ours, int classes) {
        return theirs.length == ours.length
                && theirs.length > 0
                && theirs[0] == theirClasses
                && ours[0] == classes
                && Arrays.equals(
                        Arrays.copyOfRange(theirs, 1, theirs.length),
                        Arrays.copyOfRange(ours, 1, ours.length));
    }
}
