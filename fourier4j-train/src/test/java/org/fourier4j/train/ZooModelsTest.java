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
    void everyFamilyIsClassifiedForDropPath() {
        Set<String> seen = new HashSet<>();
        for (String name : ModelZoo.names()) {
            String family = ModelZoo.info(name).family();
            seen.add(family);
            assertTrue(
                    ZooModels.FAMILIES_WITH_DROP_PATH.contains(family)
                            != ZooModels.FAMILIES_WITHOUT_DROP_PATH.contains(family),
                    "family " + family + " of " + name + " must be in exactly one drop-path set");
        }
        Set<String> declared = new HashSet<>(ZooModels.FAMILIES_WITH_DROP_PATH);
        declared.addAll(ZooModels.FAMILIES_WITHOUT_DROP_PATH);
        assertEquals(seen, declared, "no stale family names");
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
        ModelFactory f = ZooModels.factory(c);
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
                ZooModels.factory(
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
                    ZooModels.factory(
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
                        () -> config("model", "fit-tiny", "fourier_norm", "forward"));
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
        ModelFactory fit = ZooModels.factory(config("model", "fit-tiny", "num_classes", 10));
        assertEquals(new Shape(3, 32, 32), fit.inputShape());
        ModelFactory vit =
                ZooModels.factory(
                        config(
                                "model", "vit-tiny-p4",
                                "num_classes", 10,
                                "embed_dim", 48,
                                "num_heads", 4,
                                "num_layers", 1,
                                "drop_path_rate", 0.1,
                                "in_chans", 1));
        assertEquals(new Shape(1, 32, 32), vit.inputShape());
        assertEquals(
                List.of(
                        "model",
                        "embed_dim",
                        "num_layers",
                        "num_heads",
                        "patch_size",
                        "img_size",
                        "in_chans",
                        "num_classes",
                        "drop_path_rate"),
                ZooModels.modelKeys("vit-tiny-p4"));
        assertEquals(
                List.of("model", "img_size", "in_chans", "num_classes", "drop_path_rate"),
                ZooModels.modelKeys("convnext-t"));
        assertEquals(
                List.of(
                        "model",
                        "embed_dim",
                        "dim_feedforward",
                        "num_layers",
                        "patch_size",
                        "img_size",
                        "in_chans",
                        "num_classes",
                        "dropout_rate",
                        "head_tanh",
                        "fourier_norm"),
                ZooModels.modelKeys("fit"));
        assertEquals(
                List.of(
                        "model",
                        "patch_size",
                        "img_size",
                        "in_chans",
                        "num_classes",
                        "drop_path_rate"),
                ZooModels.modelKeys("gfnet-ti"));
        assertEquals(
                "vit-tiny-p4",
                ZooModels.registry()
                        .create(config("model", "vit-tiny-p4", "num_classes", 10))
                        .name());
    }

    @Test
    void keysAModelCannotTakeAreRejectedByName() {
        ConfigException embed =
                assertThrows(
                        ConfigException.class,
                        () ->
                                ZooModels.factory(
                                        config(
                                                "model", "convnext-t",
                                                "num_classes", 10,
                                                "embed_dim", 192)));
        assertEquals(
                "config key embed_dim=192 does not apply to model 'convnext-t' (ConvNeXt), which"
                        + " takes model, img_size, in_chans, num_classes, drop_path_rate: unset"
                        + " embed_dim or choose another model",
                embed.getMessage());
        ConfigException dropPath =
                assertThrows(
                        ConfigException.class,
                        () ->
                                ZooModels.factory(
                                        config(
                                                "model",
                                                "fit-tiny",
                                                "num_classes",
                                                10,
                                                "drop_path_rate",
                                                0.1)));
        assertTrue(
                dropPath.getMessage()
                        .startsWith(
                                "config key drop_path_rate=0.1 does not apply to model"
                                        + " 'fit-tiny' (FiT)"),
                dropPath.getMessage());
        ConfigException dropout =
                assertThrows(
                        ConfigException.class,
                        () ->
                                ZooModels.factory(
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
                        () -> ZooModels.factory(config("model", "fit-tinny", "num_classes", 10)));
        assertTrue(
                unknown.getMessage().startsWith("unknown model 'fit-tinny'; closest: fit-tiny"),
                unknown.getMessage());
        assertThrows(
                ConfigException.class,
                () -> ZooModels.factory(config("num_classes", 10)),
                "no model given");
        assertEquals(
                "num_classes is not set for model 'fit-tiny' (set it to the data set's number of"
                        + " classes)",
                assertThrows(
                                ConfigException.class,
                                () -> ZooModels.factory(config("model", "fit-tiny")))
                        .getMessage());
        assertEquals(
                "img_size [32, 48] is not square: model 'fit-tiny' takes one size for height and"
                        + " width",
                assertThrows(
                                ConfigException.class,
                                () ->
                                        ZooModels.factory(
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
                                ZooModels.factory(
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
                                ZooModels.factory(
                                        config(
                                                "model", "fit-tiny",
                                                "num_classes", 10,
                                                "img_size", 3)));
        assertTrue(
                size.getMessage().startsWith("model fit-tiny cannot take 3x3 images"),
                size.getMessage());
    }
}
