package org.fourier4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.Random;
import org.fourier4j.fft.ConvAlgorithm;
import org.fourier4j.models.replknet.RepLkNet;
import org.fourier4j.reparam.MultiBranchConv;
import org.fourier4j.reparam.Reparameterizer;
import org.junit.jupiter.api.Test;

/** RepLKNet and ConvNeXt specifics: re-parameterisation, DIRECT vs FFT, bad input. */
class ConvNetFamiliesTest {

    /** Small widths so tests stay fast; the structure is the named one. */
    private static ModelOptions.Builder tinyRepLk(int size) {
        return ModelOptions.builder()
                .numClasses(10)
                .imageSize(size)
                .override("channels", "8,16,16,32")
                .override("layers", "1,1,2,1")
                .override("large_kernels", "13,11,9,7")
                .override("small_kernel", 3);
    }

    private static NDArray random(NDManager m, Shape s, long seed) {
        Random r = new Random(seed);
        float[] v = new float[(int) s.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return m.create(v, s);
    }

    private static double relativeError(NDArray a, NDArray b) {
        float[] x = a.toFloatArray();
        float[] y = b.toFloatArray();
        double diff = 0;
        double ref = 0;
        for (int i = 0; i < x.length; i++) {
            diff = Math.max(diff, Math.abs(x[i] - y[i]));
            ref = Math.max(ref, Math.abs(y[i]));
        }
        return diff / ref;
    }

    @Test
    void reparameterisedRepLkNetEqualsTheTrainingForm() {
        ImageClassifier model = ModelZoo.create("replknet-31b", tinyRepLk(48).build());
        try (NDManager m = NDManager.newBaseManager()) {
            Shape in = new Shape(2, 3, 48, 48);
            model.initialize(m, DataType.FLOAT32, in);
            // give every batch norm non-trivial statistics, as after training
            Random r = new Random(3);
            for (Pair<String, Parameter> p : model.getParameters()) {
                Parameter.Type t = p.getValue().getType();
                NDArray a = p.getValue().getArray();
                if (t == Parameter.Type.RUNNING_MEAN || t == Parameter.Type.BETA) {
                    a.set(random(m, a.getShape(), r.nextLong()).mul(0.1f).toFloatArray());
                } else if (t == Parameter.Type.RUNNING_VAR || t == Parameter.Type.GAMMA) {
                    a.set(random(m, a.getShape(), r.nextLong()).abs().add(0.5f).toFloatArray());
                }
            }
            NDArray x = random(m, in, 4);
            NDArray before =
                    model.forward(new ParameterStore(m, false), new NDList(x), false)
                            .singletonOrThrow();
            assertEquals(5, Reparameterizer.toInferenceForm(model));
            for (MultiBranchConv lk : RepLkNet.largeKernelConvs(model)) {
                assertTrue(lk.isFused());
            }
            NDArray after =
                    model.forward(new ParameterStore(m, false), new NDList(x), false)
                            .singletonOrThrow();
            assertTrue(
                    relativeError(after, before) <= 1e-4,
                    "re-parameterised output differs by " + relativeError(after, before));
            assertEquals(0, Reparameterizer.toInferenceForm(model), "already merged");
        }
    }

    @Test
    void directAndFftLargeKernelsGiveTheSameOutput() {
        try (NDManager m = NDManager.newBaseManager()) {
            Shape in = new Shape(1, 3, 40, 40);
            NDArray x = random(m, in, 5);
            NDArray[] outs = new NDArray[2];
            ConvAlgorithm[] algs = {ConvAlgorithm.DIRECT, ConvAlgorithm.FFT};
            for (int i = 0; i < 2; i++) {
                ImageClassifier model =
                        ModelZoo.create(
                                "replknet-31b",
                                tinyRepLk(40)
                                        .override(
                                                "large_kernel_algorithm",
                                                algs[i].name().toLowerCase())
                                        .build());
                model.setInitializer(
                        new ai.djl.training.initializer.NormalInitializer(0.05f),
                        Parameter.Type.WEIGHT);
                Engine.seed(11);
                model.initialize(m, DataType.FLOAT32, in);
                outs[i] =
                        model.forward(new ParameterStore(m, false), new NDList(x), false)
                                .singletonOrThrow();
            }
            assertTrue(
                    relativeError(outs[1], outs[0]) <= 1e-4,
                    "DIRECT vs FFT differ by " + relativeError(outs[1], outs[0]));
        }
    }

    /** The engine's RNG, seeded so that two models get the same initial weights. */
    private static final class Engine {
        static void seed(int s) {
            ai.djl.engine.Engine.getInstance().setRandomSeed(s);
        }
    }

    @Test
    void badNamesAndSizesAreExplained() {
        IllegalArgumentException unknown =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> ModelZoo.create("replknet-31", ModelOptions.builder().build()));
        assertTrue(unknown.getMessage().contains("closest: replknet-31b"), unknown.getMessage());
        IllegalArgumentException small =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                ModelZoo.create(
                                        "convnext-t",
                                        ModelOptions.builder().imageSize(16).build()));
        assertTrue(small.getMessage().contains("sizes from 32 up work"), small.getMessage());
        IllegalArgumentException key =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                ModelZoo.create(
                                        "convnext-t",
                                        ModelOptions.builder()
                                                .override("depth", "1,1,1,1")
                                                .build()));
        assertTrue(key.getMessage().contains("unknown override 'depth'"), key.getMessage());
    }
}
