package org.fourier4j.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.fourier4j.io.TensorData;
import org.fourier4j.models.ImageClassifier;
import org.fourier4j.nn.ParameterNames;

/**
 * Copies tensors into an initialised model's parameters by fourier4j name, after checking that they
 * fit: nothing is copied unless every check passes (or, not strict, only what fits is copied). Each
 * tensor is converted to the parameter's type and copied on its own, so loading holds at most one
 * tensor beside the model.
 */
public final class WeightLoader {

    private WeightLoader() {}

    /**
     * What would be loaded: the tensors by fourier4j name that fit, and what does not.
     *
     * @param model the initialised model
     * @param tensors fourier4j name to tensor
     * @param schemeName fourier4j name to the name in the weights' scheme (for messages)
     * @return the plan
     */
    public static Plan plan(
            ImageClassifier model,
            Map<String, TensorData> tensors,
            Function<String, String> schemeName) {
        Map<String, Parameter> params = ParameterNames.of(model);
        Map<String, TensorData> fits = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        List<String> shapes = new ArrayList<>();
        for (Map.Entry<String, Parameter> p : params.entrySet()) {
            TensorData t = tensors.get(p.getKey());
            if (t == null) {
                missing.add(p.getKey());
                continue;
            }
            Shape have = new Shape(t.shape());
            Shape want = p.getValue().getArray().getShape();
            if (!have.equals(want)) {
                shapes.add(schemeName.apply(p.getKey()) + " " + have + " vs model " + want);
                continue;
            }
            fits.put(p.getKey(), t);
        }
        for (String name : tensors.keySet()) {
            if (!params.containsKey(name)) {
                unexpected.add(schemeName.apply(name));
            }
        }
        return new Plan(params, fits, new WeightMismatch(missing, unexpected, shapes));
    }

    /** The tensors that fit a model and what does not. */
    public static final class Plan {
        private final Map<String, Parameter> params;
        private final Map<String, TensorData> fits;
        private final WeightMismatch mismatch;

        Plan(Map<String, Parameter> params, Map<String, TensorData> fits, WeightMismatch mismatch) {
            this.params = params;
            this.fits = fits;
            this.mismatch = mismatch;
        }

        /**
         * @return what does not fit
         */
        public WeightMismatch mismatch() {
            return mismatch;
        }

        /**
         * Copies every fitting tensor into its parameter.
         *
         * @return the number of parameters loaded
         * @throws IOException when a tensor cannot be read
         */
        public int apply() throws IOException {
            for (Map.Entry<String, TensorData> e : fits.entrySet()) {
                NDArray target = params.get(e.getKey()).getArray();
                TensorData t = e.getValue();
                if (t.dtype().djlType() == target.getDataType()
                        && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
                    // the file's bytes become the parameter's storage: one copy in memory, not
                    // three (a 320 MB checkpoint otherwise peaks at several times its size)
                    target.set(t.toDirectBuffer());
                    continue;
                }
                try (NDManager scope = target.getManager().newSubManager()) {
                    NDArray value = t.toNDArray(scope, target.getDataType());
                    target.set(value.toByteBuffer());
                }
            }
            return fits.size();
        }
    }
}
