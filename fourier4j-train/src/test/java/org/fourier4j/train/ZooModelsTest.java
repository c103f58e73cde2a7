package org.fourier4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fourier4j.models.ModelOptions;
import org.fourier4j.models.ModelZoo;
import org.fourier4j.nn.FourierMixer;
import org.junit.jupiter.api.Test;

class ZooModelsTest {

    private static TrainConfig config(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return TrainConfig.defaults().with(m, "in the test");
    }

    private static List<String> table(Block b, Shape input) {
        try (NDManager m = NDManager.newBaseManager()) {
            b.initialize(m, DataType.FLOAT32, input);
            List<String> t = new ArrayList<>();
            for (Pair<String, Parameter> p : b.getParameters()) {
                t.add(p.getKey() + " " + p.getValue().getArray().getShape());
            }
            return t;
        }
    }

    @Test
    void theZooDecidesWhichModelsTakeDropPath() {
        // every family but FiT/FNet builds with a drop-path rate; FiT/FNet refuse it by name
        Set<String> refused = new HashSet<>();
        Set<String> families = new HashSet<>();
        for (String name : ModelZoo.names()) {
            String family = ModelZoo.info(name).family();
            if (!families.add(family)) {
                continue;
            }
            ModelOptions o =
                    ModelOptions.builder()
                            .numClasses(10)
                            .imageSize(ModelZoo.info(name).defaultImageSize())
                            .dropPathRate(0.1f)
                            .build();
            try {
                ModelZoo.create(name, o);
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage().contains("drop_path_rate"), e.getMessage());
                refused.add(family);
            }
        }
        assertEquals(Set.of("FiT", "FNet"), refused);
    }

    @Test
    void configKeysReachTheModelAsOverrides() {
        TrainConfig c =
                config(
                        "model", "fit-tiny",
                        "num_classes", 7,
                        "img_size", 32,
                        "embed_dim", 24,
                        "dim_feedforward", 40,
                        "num_layers", 2,
                        "patch_size", 8,
                        "dropout_rate", 0.1);
        ModelFactory f = ModelFactory.zoo(c);
        assertEquals("fit-tiny", f.name());
        assertEquals(new Shape(3, 32, 32), f.inputShape());
        Shape batch = new Shape(1, 3, 32, 32);
        List<String> built = table(f.newBlock(), batch);
        ModelOptions direct =
                ModelOptions.builder()
                        .numClasses(7)
                        .imageSize(32)
                        .override("embed_dim", 24)
                        .override("dim_feedforward", 40)
                        .override("num_layers", 2)
                        .override("patch_size", 8)
                        .override("dropout_rate", 0.1)
                        .build();
        assertEquals(table(ModelZoo.create("fit-tiny", direct), batch), built);
        List<String> defaults =
                table(
                        ModelZoo.create(
                                "fit-tiny",
                                ModelOptions.builder().numClasses(7).imageSize(32).build()),
                        batch);
        assertNotEquals(defaults, built, "the overrides changed the model");
        assertTrue(built.stream().anyMatch(s -> s.endsWith("(7, 24)")), built.toString());
    }

    /** FiT's logits with the seed's tanh head and without it, from identically seeded weights. */
    private static float[][] fitLogits(boolean headTanh) {
        Block b =
                ModelFactory.zoo(
                                config(
                                        "model", "fit-tiny",
                                        "num_classes", 5,
                                        "embed_dim", 16,
                                        "dim_feedforward", 16,
                                        "num_layers", 1,
                                        "head_tanh", headTanh))
                        .newBlock();
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(11);
            b.initialize(m, DataType.FLOAT32, new Shape(2, 3, 32, 32));
            NDArray x = m.randomNormal(new Shape(2, 3, 32, 32)).mul(m.create(30f));
            NDArray y =
                    b.forward(new ParameterStore(m, false), new NDList(x), false)
                            .singletonOrThrow();
            return new float[][] {y.toFloatArray()};
        }
    }

    @Test
    void headTanhReachesFiT() {
        float[] squashed = fitLogits(true)[0];
        float[] raw = fitLogits(false)[0];
        boolean beyondOne = false;
        for (int i = 0; i < raw.length; i++) {
            assertEquals(Math.tanh(raw[i]), squashed[i], 1e-5, "logit " + i);
            beyondOne |= Math.abs(raw[i]) > 1;
        }
        assertTrue(beyondOne, "without the tanh some logit leaves [-1, 1]");
    }

    @Test
    void fourierNormReachesEveryMixerOfFiT() {
        for (String norm : new String[] {"ortho", "backward"}) {
            Block b =
                    ModelFactory.zoo(
                                    config(
                                            "model",
                                            "fit-tiny",
                                            "num_classes",
                                            5,
                                            "num_layers",
                                            2,
                                            "fourier_norm",
                                            norm))
                            .newBlock();
            List<FourierMixer> mixers = new ArrayList<>();
            collectMixers(b, mixers);
            assertEquals(2, mixers.size());
            for (FourierMixer mixer : mixers) {
                assertEquals(norm.toUpperCase(java.util.Locale.ROOT), mixer.getNorm().name());
            }
        }
        ConfigException e =
                assertThrows(
                        ConfigException.class,
                        () ->
                                ModelFactory.zoo(
                                        config(
                                                "model",
                                                "fit-tiny",
                                                "num_classes",
                                                5,
                                                "fourier_norm",
                                                "forward")));
        assertTrue(e.getMessage().contains("fourier_norm"), e.getMessage());
    }

    private static void collectMixers(Block b, List<FourierMixer> out) {
        if (b instanceof FourierMixer) {
            out.add((FourierMixer) b);
        }
        for (Block child : b.getChildren().values()) {
            collectMixers(child, out);
        }
    }

    @Test
    void unsetImageSizeIsTheModelsDesignResolutionAndDropPathReachesViT() {
        ModelFactory fit = ModelFactory.zoo(config("model", "fit-tiny", "num_classes", 10));
        assertEquals(new Shape(3, 32, 32), fit.inputShape());
        ModelFactory vit =
                ModelFactory.zoo(
                        config(
                                "model", "vit-tiny-p4",
                                "num_classes", 10,
                                "embed_dim", 48,
                                "num_heads", 4,
                                "num_layers", 1,
                                "drop_path_rate", 0.1,
                                "in_chans", 1));
        assertEquals(new Shape(1, 32, 32), vit.inputShape());
        // the keys reach the model: 1 block of width 48 with a drop-path rate
        TrainConfig c =
                config(
                        "model", "vit-tiny-p4",
                        "num_classes", 10,
                        "embed_dim", 48,
                        "num_heads", 4,
                        "num_layers", 1,
                        "drop_path_rate", 0.1,
                        "in_chans", 1);
        assertEquals(0.1f, c.modelOptions().dropPathRate());
        assertEquals(
                Map.of("embed_dim", 48, "num_layers", 1, "num_heads", 4),
                c.modelOptions().overrides());
        assertEquals(
                Map.of(
                        "model", "vit-tiny-p4",
                        "embed_dim", 48,
                        "num_layers", 1,
                        "num_heads", 4,
                        "in_chans", 1,
                        "num_classes", 10,
                        "drop_path_rate", 0.1),
                c.modelKeysSet());
    }

    @Test
    void anyOverrideKeyOfTheModelReachesIt() {
        TrainConfig c =
                TrainConfig.defaults()
                        .override("model", "convnext-t")
                        .override("num_classes", "10")
                        .override("img_size", "32")
                        .override("depths", "1,1,1,1")
                        .override("dims", "[8, 16, 24, 32]")
                        .validate();
        assertEquals(Map.of("depths", "1,1,1,1", "dims", "[8, 16, 24, 32]"), c.modelOverrides());
        Block b = ModelFactory.zoo(c).newBlock();
        List<String> t = table(b, new Shape(1, 3, 32, 32));
        assertTrue(t.stream().anyMatch(p -> p.endsWith("(10, 32)")), t.toString());
        // saved with the run and read back
        TrainConfig back = TrainConfig.defaults().with(c.toMap(), "in the saved config");
        assertEquals(List.of(), c.differences(back));
        // a key of another model is refused when the model is known
        ConfigException e =
                assertThrows(
                        ConfigException.class, () -> c.override("model", "fit-tiny").validate());
        assertTrue(
                e.getMessage()
                        .startsWith(
                                "config key depths='1,1,1,1' does not apply to model"
                                        + " 'fit-tiny' (FiT), whose override keys are "),
                e.getMessage());
        // null removes it
        assertEquals(
                Map.of("dims", "[8, 16, 24, 32]"), c.override("depths", "null").modelOverrides());
    }

    @Test
    void keysAModelCannotTakeAreRejectedByName() {
        ConfigException embed =
                assertThrows(
                        ConfigException.class,
                        () ->
                                ModelFactory.zoo(
                                        config(
                                                "model", "convnext-t",
                                                "num_classes", 10,
                                                "embed_dim", 192)));
        assertTrue(
                embed.getMessage()
                        .startsWith(
                                "config key embed_dim=192 does not apply to model 'convnext-t'"
                                        + " (ConvNeXt), whose override keys are "),
                embed.getMessage());
        assertTrue(
                embed.getMessage().endsWith(": unset embed_dim or choose another model"),
                embed.getMessage());
        ConfigException dropPath =
                assertThrows(
                        ConfigException.class,
                        () ->
                                ModelFactory.zoo(
                                        config(
                                                "model",
                                                "fit-tiny",
                                                "num_classes",
                                                10,
                                                "drop_path_rate",
                                                0.1)));
        assertEquals(
                "model fit-tiny: FiT and FNet blocks have no stochastic depth, drop_path_rate"
                        + " must be 0, got 0.1",
                dropPath.getMessage());
        ConfigException dropout =
                assertThrows(
                        ConfigException.class,
                        () ->
                                ModelFactory.zoo(
                                        config(
                                                "model",
                                                "vit-tiny-p4",
                                                "num_classes",
                                                10,
                                                "drouput_rate",
                                                0.1)));
        assertTrue(
                dropout.getMessage().startsWith("config key dropout_rate=0.1 does not apply"),
                dropout.getMessage());
    }

    @Test
    void badModelsSizesAndValuesAreNamed() {
        ConfigException unknown =
                assertThrows(
                        ConfigException.class,
                        () -> ModelFactory.zoo(config("model", "fit-tinny", "num_classes", 10)));
        assertTrue(
                unknown.getMessage().startsWith("unknown model 'fit-tinny'; closest: fit-tiny"),
                unknown.getMessage());
        assertThrows(
                ConfigException.class,
                () -> ModelFactory.zoo(config("num_classes", 10)),
                "no model given");
        assertEquals(
                "num_classes is not set for model 'fit-tiny' (set it to the data set's number of"
                        + " classes)",
                assertThrows(
                                ConfigException.class,
                                () -> ModelFactory.zoo(config("model", "fit-tiny")))
                        .getMessage());
        assertEquals(
                "img_size [32, 48] is not square: model 'fit-tiny' takes one size for height and"
                        + " width",
                assertThrows(
                                ConfigException.class,
                                () ->
                                        ModelFactory.zoo(
                                                config(
                                                        "model",
                                                        "fit-tiny",
                                                        "num_classes",
                                                        10,
                                                        "img_size",
                                                        List.of(32, 48))))
                        .getMessage());
        // the zoo's own checks become configuration errors
        ConfigException heads =
                assertThrows(
                        ConfigException.class,
                        () ->
                                ModelFactory.zoo(
                                        config(
                                                "model", "vit-tiny-p4",
                                                "num_classes", 10,
                                                "num_heads", 5)));
        assertEquals(
                "model vit-tiny-p4: num_heads=5 must divide embed_dim=192", heads.getMessage());
        ConfigException size =
                assertThrows(
                        ConfigException.class,
                        () ->
                                ModelFactory.zoo(
                                        config(
                                                "model", "fit-tiny",
                                                "num_classes", 10,
                                                "img_size", 3)));
        assertTrue(
                size.getMessage().startsWith("model fit-tiny cannot take 3x3 images"),
                size.getMessage());
    }
}
