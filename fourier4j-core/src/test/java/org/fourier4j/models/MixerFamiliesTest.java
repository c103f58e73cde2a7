package org.fourier4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.fourier4j.reparam.Reparameterizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** AFFNet, FFNet, CAS-ViT and DSM specifics: re-parameterisation, heads, sizes, FLOPs. */
class MixerFamiliesTest {

    private static NDArray random(NDManager m, Shape s, long seed) {
        return ModelZooTest.random(m, s, seed);
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

    private static NDArray infer(ImageClassifier model, NDManager m, NDArray x) {
        return model.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
    }

    /** Parameter ids with their shapes, in order. */
    private static List<String> structure(ImageClassifier model) {
        List<String> out = new ArrayList<>();
        for (Pair<String, Parameter> p : model.getParameters()) {
            out.add(p.getKey() + " " + p.getValue().getArray().getShape());
        }
        return out;
    }

    private static ModelOptions.Builder tinyFfNet(int size) {
        return ModelOptions.builder()
                .numClasses(10)
                .imageSize(size)
                .override("depths", "1,1,2,1")
                .override("dims", "8,16,16,32")
                .override("stem_dim", 8);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"ffnet-1", "ffnet-3"}) // depthwise Conv2d_BN channel mixer; RepVGGDW + layer scale
    void reparameterisedFfNetIsTheDeployFormAndEqualsTheTrainingForm(String name) {
        Shape in = new Shape(2, 3, 40, 40);
        ImageClassifier net = ModelZoo.create(name, tinyFfNet(40).build());
        try (NDManager m = NDManager.newBaseManager()) {
            ai.djl.engine.Engine.getInstance().setRandomSeed(5);
            net.initialize(m, DataType.FLOAT32, in);
            // statistics, scales and shifts far from their initial values, as after training
            Random r = new Random(3);
            for (Pair<String, Parameter> p : net.getParameters()) {
                Parameter.Type t = p.getValue().getType();
                NDArray a = p.getValue().getArray();
                if (t == Parameter.Type.RUNNING_MEAN
                        || t == Parameter.Type.BETA
                        || t == Parameter.Type.BIAS) {
                    a.set(random(m, a.getShape(), r.nextLong()).mul(0.1f).toFloatArray());
                } else if (t == Parameter.Type.RUNNING_VAR || t == Parameter.Type.GAMMA) {
                    a.set(random(m, a.getShape(), r.nextLong()).abs().add(0.5f).toFloatArray());
                } else {
                    a.set(random(m, a.getShape(), r.nextLong()).mul(0.2f).toFloatArray());
                }
            }
            NDArray x = random(m, in, 4);
            NDArray before = infer(net, m, x);
            assertFalse(Reparameterizer.isInferenceForm(net));
            // stem 2 + patch merging 3 x 2 + per block (token mixer + channel-mixer conv) 5 x 2
            assertEquals(18, Reparameterizer.toInferenceForm(net));
            assertTrue(Reparameterizer.isInferenceForm(net));
            NDArray after = infer(net, m, x);
            double err = relativeError(after, before);
            assertTrue(err <= 1e-4, name + ": re-parameterised output differs by " + err);
            assertTrue(before.abs().max().getFloat() > 0.1f, "non-trivial output");
            assertEquals(0, Reparameterizer.toInferenceForm(net), "already fused");

            // exactly the structure of the model built in deploy form, and the same function
            ImageClassifier deployed =
                    ModelZoo.create(name, tinyFfNet(40).override("deploy", true).build());
            deployed.initialize(m, DataType.FLOAT32, in);
            assertEquals(structure(net), structure(deployed));
            long batchNormStats =
                    structure(deployed).stream().filter(k -> k.contains("running")).count();
            assertEquals(2, batchNormStats, "only the head's BatchNorm keeps statistics");
            for (Pair<String, Parameter> p : net.getParameters()) {
                deployed.getParameters()
                        .get(p.getKey())
                        .getArray()
                        .set(p.getValue().getArray().toFloatArray());
            }
            assertTrue(relativeError(infer(deployed, m, x), after) <= 1e-6);
        }
    }

    @Test
    void ffNetTrainingFormsHaveTheUnfusedCountsAndDeployFormsTheReportedOnes() {
        // spec section 4.3 [computed]: unfused 13.78 / 27.21 / 48.82 / 79.87M
        String[] names = {"ffnet-1", "ffnet-2", "ffnet-3", "ffnet-4"};
        double[] unfused = {13.78, 27.21, 48.82, 79.87};
        for (int i = 0; i < names.length; i++) {
            ImageClassifier model =
                    ModelZoo.create(names[i], ModelOptions.builder().imageSize(64).build());
            model.setInitializer(Initializer.ZEROS, Parameter.Type.WEIGHT);
            try (NDManager m = NDManager.newBaseManager()) {
                model.initialize(m, DataType.FLOAT32, new Shape(1, 3, 64, 64));
                assertEquals(unfused[i], ModelStats.parameterCount(model) / 1e6, 0.005, names[i]);
                if (i == 0) { // full-size fusion once; the others as built with deploy=true
                    Reparameterizer.toInferenceForm(model);
                    assertEquals(
                            ModelZoo.info(names[i]).reportedParamsM(),
                            ModelStats.parameterCount(model) / 1e6,
                            0.005,
                            names[i] + " after reparameterize()");
                }
            }
        }
    }

    @Test
    void ffNetRejectsWidthsThePatchMergingCannotGroup() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                ModelZoo.create(
                                        "ffnet-1",
                                        ModelOptions.builder()
                                                .override("dims", "8,12,24,48")
                                                .build()));
        assertTrue(e.getMessage().contains("multiple of the previous"), e.getMessage());
        IllegalArgumentException b =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                ModelZoo.create(
                                        "ffnet-1",
                                        ModelOptions.builder().override("deploy", "yes").build()));
        assertTrue(b.getMessage().contains("'deploy' has a bad value 'yes'"), b.getMessage());
    }

    @Test
    void casVitCountsWithAndWithoutTheDistillationHead() {
        // spec section 5.3 [computed]: with / without dist_head
        String[] names = {"casvit-xs", "casvit-s", "casvit-m", "casvit-t"};
        double[] without = {2.98, 5.51, 12.04, 21.25};
        int[] lastDim = {220, 256, 384, 512};
        for (int i = 0; i < names.length; i++) {
            long[] counts = new long[2];
            for (int d = 0; d < 2; d++) {
                ImageClassifier model =
                        ModelZoo.create(
                                names[i],
                                ModelOptions.builder().override("distillation", d == 1).build());
                model.setInitializer(Initializer.ZEROS, Parameter.Type.WEIGHT);
                try (NDManager m = NDManager.newBaseManager()) {
                    model.initialize(m, DataType.FLOAT32, new Shape(1, 3, 224, 224));
                    counts[d] = ModelStats.parameterCount(model);
                    assertEquals(d == 1, ((MetaFormer) model).head().hasDistillation());
                }
            }
            assertEquals(without[i], counts[0] / 1e6, 0.005, names[i]);
            assertEquals(1000L * lastDim[i] + 1000, counts[1] - counts[0], "dist_head");
        }
    }

    @Test
    void casVitDistillationOutputIsTheMeanOfBothHeads() {
        ModelOptions o =
                ModelOptions.builder()
                        .numClasses(5)
                        .imageSize(32)
                        .override("depths", "1,1,1,1")
                        .override("dims", "8,16,16,32")
                        .override("distillation", true)
                        .build();
        MetaFormer net = (MetaFormer) ModelZoo.create("casvit-xs", o);
        try (NDManager m = NDManager.newBaseManager()) {
            Shape in = new Shape(2, 3, 32, 32);
            net.initialize(m, DataType.FLOAT32, in);
            NDArray x = random(m, in, 9);
            for (boolean training : new boolean[] {false, true}) {
                ParameterStore ps = new ParameterStore(m, false);
                NDArray features = net.forwardFeatures(ps, x, training);
                NDList heads = net.head().heads(ps, features, training);
                assertEquals(2, heads.size());
                assertTrue(relativeError(heads.get(0), heads.get(1)) > 1e-3, "distinct heads");
                NDArray mean = heads.get(0).add(heads.get(1)).div(2);
                assertTrue(relativeError(net.forwardHead(ps, features, training), mean) < 1e-6);
            }
        }
    }

    @Test
    void dsmSizesFollowTheStemStrideAndTheBands() {
        ModelOptions.Builder base =
                ModelOptions.builder()
                        .numClasses(4)
                        .override("depths", "1,1,1,1")
                        .override("dims", "8,8,8,8");
        assertEquals(99, ModelZoo.info("dsm-t").minImageSize());
        int[] strides = {4, 2, 1};
        int[] smallest = {99, 49, 25};
        for (int i = 0; i < strides.length; i++) {
            int stride = strides[i];
            base.override("stem_stride", stride);
            ModelOptions tooSmallOptions = base.imageSize(smallest[i] - 1).build();
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> ModelZoo.create("dsm-t", tooSmallOptions),
                            "stride " + stride);
            assertTrue(
                    e.getMessage().contains("sizes from " + smallest[i] + " up work"),
                    e.getMessage());
            ImageClassifier model = ModelZoo.create("dsm-t", base.imageSize(smallest[i]).build());
            try (NDManager m = NDManager.newBaseManager()) {
                model.initialize(m, DataType.FLOAT32, new Shape(1, 3, smallest[i], smallest[i]));
                // the bound is tight: one pixel less leaves a frequency band empty
                NDArray tooSmall = random(m, new Shape(1, 3, smallest[i] - 1, smallest[i] - 1), 1);
                IllegalArgumentException band =
                        assertThrows(
                                IllegalArgumentException.class, () -> infer(model, m, tooSmall));
                assertTrue(band.getMessage().contains("too small"), band.getMessage());
                for (int size : new int[] {smallest[i], smallest[i] + 1, smallest[i] + 6}) {
                    NDArray x = random(m, new Shape(1, 3, size, size), size);
                    assertEquals(new Shape(1, 4), infer(model, m, x).getShape(), "size " + size);
                }
            }
        }
        // CIFAR: stem_stride=1 takes 32x32, and fewer bands take smaller grids
        base.override("stem_stride", 1).imageSize(32);
        ModelZoo.create("dsm-t", base.build());
        base.override("bands", 3).imageSize(16);
        ModelZoo.create("dsm-t", base.build());
    }

    @Test
    void affNetOptions() {
        ModelOptions.Builder o =
                ModelOptions.builder()
                        .numClasses(3)
                        .imageSize(32)
                        .override("channels", "8,8,16,16,16")
                        .override("mv2_blocks", "1,1")
                        .override("aff_blocks", "1,1,1");
        ImageClassifier relu =
                ModelZoo.create(
                        "affnet-t",
                        o.override("activation", "relu").override("norm", "layer_norm").build());
        try (NDManager m = NDManager.newBaseManager()) {
            relu.initialize(m, DataType.FLOAT32, new Shape(2, 3, 32, 32));
            assertEquals(
                    new Shape(2, 3),
                    infer(relu, m, random(m, new Shape(2, 3, 32, 32), 2)).getShape());
            long filters =
                    org.fourier4j.nn.ParameterNames.of(relu).keySet().stream()
                            .filter(n -> n.endsWith(".filter.w1"))
                            .count();
            assertEquals(3, filters);
        }
        // ml-cvnets' spelling of the norms, and ours, and swish's other name
        ModelZoo.create("affnet", o.override("norm", "layer_norm_2d").build());
        ModelZoo.create("affnet", o.override("norm", "GROUP_NORM_1").build());
        ModelZoo.create("affnet", o.override("activation", "silu").build());
        IllegalArgumentException norm =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> ModelZoo.create("affnet", o.override("norm", "batch_norm").build()));
        assertTrue(norm.getMessage().contains("layer_norm_2d"), norm.getMessage());
        IllegalArgumentException act =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                ModelZoo.create(
                                        "affnet",
                                        o.override("norm", "layer_norm")
                                                .override("activation", "tanh")
                                                .build()));
        assertTrue(act.getMessage().contains("relu, swish or gelu"), act.getMessage());
        IllegalArgumentException groups =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                ModelZoo.create(
                                        "affnet",
                                        o.override("activation", "swish")
                                                .override("channels", "8,8,12,16,16")
                                                .build()));
        assertTrue(groups.getMessage().contains("must divide"), groups.getMessage());
    }

    /**
     * FLOPs of the reported forms against the papers. FFNet is all convolution, so the convention
     * matches exactly: our count must lie in the interval the README's figure, truncated to one
     * decimal, stands for ([2.9, 3.0) for FFNet-1's "2.9"; we count 2.985, 6.003, 10.146 and 43.122
     * G). AFFNet's own profiler counts its FFTs with a natural logarithm where we use log2 and the
     * mask MLP over H W instead of H (W/2+1) points (the mixers are about 7% of the total): our
     * count must round to the README's one-decimal figure (0.368, 0.805 and 1.480 G).
     */
    @Test
    void flopsOfTheReportedFormsMatchThePapers() {
        try (NDManager m = NDManager.newBaseManager()) {
            for (String name : new String[] {"ffnet-1", "ffnet-2", "ffnet-3", "ffnet-4"}) {
                double reported = ModelZoo.info(name).reportedGflops();
                double gflops = FlopCounter.count(ModelZooTest.reportedForm(name, m)) / 1e9;
                assertTrue(
                        gflops >= reported && gflops < reported + 0.1,
                        name + ": " + gflops + " GFLOPs, README " + reported);
            }
            for (String name : new String[] {"affnet-et", "affnet-t", "affnet"}) {
                double reported = ModelZoo.info(name).reportedGflops();
                double gflops = FlopCounter.count(ModelZooTest.reportedForm(name, m)) / 1e9;
                assertEquals(reported, Math.round(gflops * 10) / 10.0, 1e-9, name + ": " + gflops);
            }
        }
    }
}
