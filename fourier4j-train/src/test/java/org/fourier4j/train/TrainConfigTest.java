package org.fourier4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainConfigTest {

    @TempDir Path tmp;

    /** The seed project's config.json, typo key included. */
    static final String SEED_CONFIG =
            """
            {
              "embed_dim": 768,
              "dim_feedforward": 2048,
              "dropout_rate": 0.1,
              "drouput_rate": 0.1,
              "patch_size": [16, 16],
              "img_size": [1080, 1080],
              "in_chans": 3,
              "num_layers": 12,
              "epochs": 10,
              "lr": 0.005,
              "num_workers": 10,
              "num_classes": 10,
              "batch_size": 192,
              "dataset_path": "CIFAR10-data",
              "save_dir": "checkpoints"
            }
            """;

    private Path file(String name, String text) throws IOException {
        return Files.writeString(tmp.resolve(name), text);
    }

    @Test
    void acceptsTheSeedConfigAsItIs() throws IOException {
        TrainConfig c = TrainConfig.load(file("config.json", SEED_CONFIG));
        assertEquals(768, c.model().embedDim());
        assertEquals(2048, c.model().dimFeedforward());
        assertEquals(0.1, c.model().dropoutRate());
        assertEquals(new HeightWidth(16, 16), c.model().patchSize());
        assertEquals(new HeightWidth(1080, 1080), c.model().imgSize());
        assertEquals(12, c.model().numLayers());
        assertEquals(10, c.run().epochs());
        assertEquals(0.005, c.optimisation().lr());
        assertEquals(10, c.data().numWorkers());
        assertEquals(10, c.model().numClasses());
        assertEquals(192, c.data().batchSize());
        assertEquals("CIFAR10-data", c.data().datasetPath());
        assertEquals("checkpoints", c.run().saveDir());
        // untouched keys keep their defaults
        assertEquals(OptimisationSection.Optimizer.ADAMW, c.optimisation().optimizer());
        assertNull(c.modelName());
    }

    @Test
    void yamlReadsTheSame() throws IOException {
        TrainConfig json = TrainConfig.load(file("config.json", SEED_CONFIG));
        TrainConfig yaml =
                TrainConfig.load(
                        file(
                                "config.yaml",
                                """
                                # the seed's keys in YAML
                                embed_dim: 768
                                dim_feedforward: 2048
                                dropout_rate: 0.1
                                patch_size: [16, 16]
                                img_size: 1080
                                in_chans: 3
                                num_layers: 12
                                epochs: 10
                                lr: 5.0e-3
                                num_workers: 10
                                num_classes: 10
                                batch_size: 192
                                dataset_path: CIFAR10-data
                                save_dir: checkpoints
                                """));
        assertEquals(List.of(), json.differences(yaml));
    }

    @Test
    void unknownKeyIsNamedWithASuggestion() throws IOException {
        Path f = file("c.json", "{\"lerning_rate\": 0.1, \"epochs\": 3}");
        ConfigException e = assertThrows(ConfigException.class, () -> TrainConfig.load(f));
        assertEquals("unknown config key 'lerning_rate' in " + f, e.getMessage());
        Path h = file("e.yaml", "epoch: 3\n");
        assertEquals(
                "unknown config key 'epoch' in " + h + " (did you mean 'epochs'?)",
                assertThrows(ConfigException.class, () -> TrainConfig.load(h)).getMessage());
        Path g = file("d.yaml", "zzz_unrelated: 1\n");
        ConfigException e2 = assertThrows(ConfigException.class, () -> TrainConfig.load(g));
        assertEquals("unknown config key 'zzz_unrelated' in " + g, e2.getMessage());
    }

    @Test
    void suggestionForATypo() {
        ConfigException e =
                assertThrows(
                        ConfigException.class,
                        () -> TrainConfig.defaults().override("batchsize", "3"));
        assertEquals(
                "unknown config key 'batchsize' on the command line (did you mean 'batch_size'?)",
                e.getMessage());
    }

    @Test
    void batchSizeZeroIsRejectedWithKeyValueAndFile() throws IOException {
        Path f = file("c.json", "{\"batch_size\": 0}");
        ConfigException e = assertThrows(ConfigException.class, () -> TrainConfig.load(f));
        assertEquals("batch_size must be at least 1, got 0 in " + f, e.getMessage());
        ConfigException e2 =
                assertThrows(
                        ConfigException.class,
                        () -> TrainConfig.defaults().override("batch_size", "0"));
        assertEquals("batch_size must be at least 1, got 0 on the command line", e2.getMessage());
    }

    @Test
    void wrongTypesAndRanges() throws IOException {
        Path f = file("c.yaml", "lr: fast\n");
        assertEquals(
                "lr must be a number, got 'fast' in " + f,
                assertThrows(ConfigException.class, () -> TrainConfig.load(f)).getMessage());
        Path g = file("g.json", "{\"epochs\": 2.5}");
        assertEquals(
                "epochs must be an integer, got 2.5 in " + g,
                assertThrows(ConfigException.class, () -> TrainConfig.load(g)).getMessage());
        assertEquals(
                "optimizer must be one of adamw, sgd, got 'adam' on the command line",
                assertThrows(
                                ConfigException.class,
                                () -> TrainConfig.defaults().override("optimizer", "adam"))
                        .getMessage());
        assertEquals(
                "label_smoothing must be in [0, 1), got 1.0 on the command line",
                assertThrows(
                                ConfigException.class,
                                () -> TrainConfig.defaults().override("label_smoothing", "1"))
                        .getMessage());
        assertEquals(
                "val_split must be auto, none, test, tail:N or fraction:F, got 'last' on the"
                        + " command line",
                assertThrows(
                                ConfigException.class,
                                () -> TrainConfig.defaults().override("val_split", "last"))
                        .getMessage());
        assertEquals(
                "hflip must be true or false, got 'yes' on the command line",
                assertThrows(
                                ConfigException.class,
                                () -> TrainConfig.defaults().override("hflip", "yes"))
                        .getMessage());
    }

    @Test
    void conflictingAliasValues() throws IOException {
        Path f = file("c.json", "{\"dropout_rate\": 0.1, \"drouput_rate\": 0.2}");
        ConfigException e = assertThrows(ConfigException.class, () -> TrainConfig.load(f));
        assertEquals(
                "'drouput_rate' and 'dropout_rate' in "
                        + f
                        + " set dropout_rate to different values: 0.2 and 0.1",
                e.getMessage());
    }

    @Test
    void malformedFiles() throws IOException {
        Path bad = file("bad.json", "{\"lr\": 0.1,,}");
        ConfigException e = assertThrows(ConfigException.class, () -> TrainConfig.load(bad));
        assertTrue(
                e.getMessage().startsWith("config file " + bad + " is not valid JSON"),
                e.getMessage());
        assertTrue(e.getMessage().contains("line 1"), e.getMessage());
        Path dup = file("dup.json", "{\"lr\": 0.1, \"lr\": 0.2}");
        assertTrue(
                assertThrows(ConfigException.class, () -> TrainConfig.load(dup))
                        .getMessage()
                        .contains("Duplicate field 'lr'"));
        Path list = file("list.yaml", "- a\n- b\n");
        assertEquals(
                "config file " + list + " must hold a mapping of keys to values, got a ArrayList",
                assertThrows(ConfigException.class, () -> TrainConfig.load(list)).getMessage());
        Path txt = file("c.txt", "lr=1");
        assertEquals(
                "config file " + txt + ": unknown format (use .json, .yaml or .yml)",
                assertThrows(ConfigException.class, () -> TrainConfig.load(txt)).getMessage());
        Path missing = tmp.resolve("none.yaml");
        assertEquals(
                "config file not found: " + missing,
                assertThrows(ConfigException.class, () -> TrainConfig.load(missing)).getMessage());
    }

    @Test
    void commandLineOverridesTheFile() throws IOException {
        TrainConfig c =
                TrainConfig.load(file("config.json", SEED_CONFIG))
                        .override("lr", "0.01")
                        .override("patch_size", "4")
                        .override("betas", "[0.8, 0.99]")
                        .override("no_decay_keywords", "pos,cls")
                        .override("num_classes", "null");
        assertEquals(0.01, c.optimisation().lr());
        assertEquals(new HeightWidth(4, 4), c.model().patchSize());
        assertEquals(List.of(0.8, 0.99), c.optimisation().betas());
        assertEquals(List.of("pos", "cls"), c.optimisation().noDecayKeywords());
        assertNull(c.model().numClasses());
        assertEquals(192, c.data().batchSize(), "untouched file value");
    }

    @Test
    void resolvedConfigRoundTripsThroughItsJson() throws IOException {
        TrainConfig c =
                TrainConfig.load(file("config.json", SEED_CONFIG)).override("ema_decay", "0.99");
        Path saved = Files.writeString(tmp.resolve("resolved.json"), c.toJson());
        TrainConfig back = TrainConfig.load(saved);
        assertEquals(List.of(), c.differences(back));
        Map<String, Object> m = c.toMap();
        assertEquals(TrainConfig.keys(), List.copyOf(m.keySet()), "every key is saved");
        assertEquals(List.of(16, 16), m.get("patch_size"));
    }

    @Test
    void unknownModelNamesTheClosestZooNames() {
        TrainConfig c =
                TrainConfig.defaults().override("model", "fit-huge").override("num_classes", "10");
        ConfigException e = assertThrows(ConfigException.class, () -> ModelFactory.zoo(c));
        assertTrue(
                e.getMessage().startsWith("unknown model 'fit-huge'; closest: fit-tiny"),
                e.getMessage());
        assertEquals("fit-tiny", ModelFactory.zoo(c.override("model", "fit-tiny")).name());
        assertTrue(
                assertThrows(ConfigException.class, () -> ModelFactory.zoo(TrainConfig.defaults()))
                        .getMessage()
                        .startsWith("no model given"));
    }

    @Test
    void aliasesNullsAndIntegralNumbers() throws IOException {
        TrainConfig c = TrainConfig.defaults().override("drouput_rate", "0.2");
        assertEquals(0.2, c.model().dropoutRate(), "the seed's spelling on the command line");
        assertEquals("dropout_rate", TrainConfig.canonical("drouput_rate"));
        // null restores the default, set or not
        TrainConfig e = c.override("epochs", "3").override("epochs", "null");
        assertEquals(10, e.run().epochs());
        assertNull(c.override("drouput_rate", "null").model().dropoutRate());
        // 10.0 is the integer 10 in a file; 2.5 is not (see wrongTypesAndRanges)
        Path f = file("c.yaml", "epochs: 10.0\nseed: 7\n");
        assertEquals(10, TrainConfig.load(f).run().epochs());
        assertEquals(7L, TrainConfig.load(f).run().seed());
    }

    @Test
    void fileValuesKeepTheirTypesCommandLineTextIsRead() throws IOException {
        // a quoted number in a file is text, not a number
        Path f = file("c.yaml", "lr: '0.1'\n");
        assertEquals(
                "lr must be a number, got '0.1' in " + f,
                assertThrows(ConfigException.class, () -> TrainConfig.load(f)).getMessage());
        // on the command line every value is text, read as the key's type
        TrainConfig c =
                TrainConfig.defaults()
                        .override("lr", "1e-2")
                        .override("hflip", "false")
                        .override("seed", "-3")
                        .override("run_name", "007")
                        .override("optimizer", "SGD")
                        .override("val_split", "fraction:0.25")
                        .override("img_size", "[24, 32]");
        assertEquals(0.01, c.optimisation().lr());
        assertFalse(c.augmentation().hflip());
        assertEquals(-3L, c.run().seed());
        assertEquals("007", c.run().runName(), "text stays text");
        assertEquals(OptimisationSection.Optimizer.SGD, c.optimisation().optimizer());
        assertEquals(new ValSplit(ValSplit.Kind.FRACTION, 0, 0.25), c.data().valSplit());
        assertEquals(new HeightWidth(24, 32), c.model().imgSize());
        Map<String, Object> m = c.toMap();
        assertEquals("sgd", m.get("optimizer"));
        assertEquals("fraction:0.25", m.get("val_split"));
        assertEquals(List.of(24, 32), m.get("img_size"));
    }

    @Test
    void boundsOfListsAndNonFiniteNumbers() throws IOException {
        assertEquals(
                "betas must have 2 values, got [0.9] on the command line",
                assertThrows(
                                ConfigException.class,
                                () -> TrainConfig.defaults().override("betas", "0.9"))
                        .getMessage());
        assertEquals(
                "betas must be a list of values in [0, 1), got [0.9, 1.5] on the command line",
                assertThrows(
                                ConfigException.class,
                                () -> TrainConfig.defaults().override("betas", "0.9,1.5"))
                        .getMessage());
        Path f = file("n.yaml", "lr: .inf\n");
        assertEquals(
                "lr must be a finite number, got Infinity in " + f,
                assertThrows(ConfigException.class, () -> TrainConfig.load(f)).getMessage());
        assertEquals(
                "img_size must be positive, got '0' on the command line",
                assertThrows(
                                ConfigException.class,
                                () -> TrainConfig.defaults().override("img_size", "0"))
                        .getMessage());
        assertEquals(
                "val_split tail:N needs N > 0, got 'tail:0' on the command line",
                assertThrows(
                                ConfigException.class,
                                () -> TrainConfig.defaults().override("val_split", "tail:0"))
                        .getMessage());
    }

    @Test
    void validateChecksTheRulesBetweenKeys() {
        TrainConfig mean = TrainConfig.defaults().override("normalize_mean", "0.5,0.5,0.5");
        assertEquals(
                "normalize_mean and normalize_std must be set together, got [0.5, 0.5, 0.5] and"
                        + " null",
                assertThrows(ConfigException.class, mean::validate).getMessage());
        TrainConfig two = mean.override("normalize_std", "0.2,0.2");
        assertEquals(
                "normalize_mean and normalize_std need 3 values (in_chans, one per channel), got"
                        + " [0.5, 0.5, 0.5] and [0.2, 0.2]",
                assertThrows(ConfigException.class, two::validate).getMessage());
        mean.override("normalize_std", "0.2,0.2,0.2").validate();
        TrainConfig warm =
                TrainConfig.defaults()
                        .override("schedule", "cosine")
                        .override("epochs", "2")
                        .override("warmup_epochs", "2");
        assertEquals(
                "warmup_epochs 2.0 must be shorter than the run (epochs 2)",
                assertThrows(ConfigException.class, warm::validate).getMessage());
        TrainConfig depths = TrainConfig.defaults().override("depths", "1,1,1,1");
        assertEquals(
                "model override keys [depths] need a zoo model, but the model is null",
                assertThrows(ConfigException.class, depths::validate).getMessage());
    }

    @Test
    void resumableKeysAreThoseThatLeaveTheRunTheSame() {
        assertEquals(
                java.util.Set.of(
                        "num_workers",
                        "prefetch",
                        "progress",
                        "checkpoint_every_steps",
                        "max_steps",
                        "dataset_path",
                        "val_path",
                        "save_dir"),
                TrainConfig.resumableKeys());
    }

    @Test
    void markdownTableListsEveryKey() {
        String t = TrainConfig.markdownTable();
        for (String k : TrainConfig.keys()) {
            assertTrue(t.contains("| `" + k + "` |"), k);
        }
    }

    @Test
    void theDocumentedKeysAreTheCurrentOnes() throws IOException {
        // surefire runs in the module directory; docs/ is at the repository root
        String doc = Files.readString(Path.of("..", "docs", "configuration.md"));
        assertTrue(
                doc.endsWith(TrainConfig.markdownTable()),
                "docs/configuration.md is stale: replace its table with"
                        + " TrainConfig.markdownTable()");
    }

    @Test
    void aModelsTrainingRecipeSitsBetweenTheDefaultsAndTheUsersValues() throws IOException {
        // fit-tiny's recipe: lr 5e-3 and no RandAugment, where the defaults say 1e-3 and 2
        TrainConfig plain = TrainConfig.resolve(null, Map.of("model", "fit-tiny"));
        assertEquals(0.005, plain.optimisation().lr());
        assertEquals(0, plain.augmentation().randaugmentOps());
        assertEquals("ortho", plain.model().fourierNorm());
        assertEquals(false, plain.model().headTanh());
        assertEquals(0.0, plain.model().dropoutRate());
        assertEquals(TrainConfig.defaults().run().epochs(), plain.run().epochs());
        // saved explicitly, so the run reloads as trained whatever the zoo's defaults become
        assertEquals("ortho", plain.toMap().get("fourier_norm"));

        TrainConfig flag = TrainConfig.resolve(null, Map.of("model", "fit-tiny", "lr", "0.002"));
        assertEquals(0.002, flag.optimisation().lr());

        Path file = tmp.resolve("fit.yaml");
        Files.writeString(file, "model: fit-tiny\nrandaugment_ops: 2\n");
        TrainConfig fromFile = TrainConfig.resolve(file, Map.of());
        assertEquals(2, fromFile.augmentation().randaugmentOps());
        assertEquals(0.005, fromFile.optimisation().lr());

        // the report's configuration keeps the defaults; so does a model outside the zoo
        TrainConfig vit = TrainConfig.resolve(null, Map.of("model", "vit-tiny-p4"));
        assertEquals(0, vit.augmentation().randaugmentOps());
        assertEquals(TrainConfig.defaults().optimisation().lr(), vit.optimisation().lr());
        TrainConfig report = TrainConfig.resolve(null, Map.of("model", "fit"));
        assertEquals(TrainConfig.defaults().optimisation().lr(), report.optimisation().lr());
        assertEquals(
                TrainConfig.defaults().augmentation().randaugmentOps(),
                report.augmentation().randaugmentOps());
        TrainConfig none = TrainConfig.resolve(null, Map.of());
        assertEquals(TrainConfig.defaults().toMap(), none.toMap());
    }
}
