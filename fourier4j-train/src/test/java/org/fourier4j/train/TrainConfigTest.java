package org.fourier4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
        assertEquals(768, c.getInt("embed_dim"));
        assertEquals(2048, c.getInt("dim_feedforward"));
        assertEquals(0.1, c.getDouble("dropout_rate"));
        assertArrayEquals(new int[] {16, 16}, c.getPair("patch_size"));
        assertArrayEquals(new int[] {1080, 1080}, c.getPair("img_size"));
        assertEquals(12, c.getInt("num_layers"));
        assertEquals(10, c.getInt("epochs"));
        assertEquals(0.005, c.getDouble("lr"));
        assertEquals(10, c.getInt("num_workers"));
        assertEquals(10, c.getInt("num_classes"));
        assertEquals(192, c.getInt("batch_size"));
        assertEquals("CIFAR10-data", c.getString("dataset_path"));
        assertEquals("checkpoints", c.getString("save_dir"));
        // untouched keys keep their defaults
        assertEquals("adamw", c.getString("optimizer"));
        assertNull(c.get("model"));
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
        assertEquals(0.01, c.getDouble("lr"));
        assertArrayEquals(new int[] {4, 4}, c.getPair("patch_size"));
        assertArrayEquals(new double[] {0.8, 0.99}, c.getDoubles("betas"));
        assertEquals(List.of("pos", "cls"), c.getStrings("no_decay_keywords"));
        assertNull(c.get("num_classes"));
        assertEquals(192, c.getInt("batch_size"), "untouched file value");
    }

    @Test
    void resolvedConfigRoundTripsThroughItsJson() throws IOException {
        TrainConfig c =
                TrainConfig.load(file("config.json", SEED_CONFIG)).override("ema_decay", "0.99");
        Path saved = Files.writeString(tmp.resolve("resolved.json"), c.toJson());
        TrainConfig back = TrainConfig.load(saved);
        assertEquals(List.of(), c.differences(back));
        Map<String, Object> m = c.toMap();
        assertEquals(TrainConfig.KEYS.keySet(), m.keySet(), "every key is saved");
        assertEquals(List.of(16, 16), m.get("patch_size"));
    }

    @Test
    void unknownModelListsTheKnownOnes() {
        ModelRegistry r =
                new ModelRegistry()
                        .register("tiny-mlp", c -> TinyModels.mlpFactory(8, 10, 32))
                        .register("tiny-cnn", c -> TinyModels.cnnFactory(10, 32));
        TrainConfig c = TrainConfig.defaults().override("model", "fit-huge");
        ConfigException e = assertThrows(ConfigException.class, () -> r.create(c));
        assertEquals("unknown model 'fit-huge'; known models: tiny-cnn, tiny-mlp", e.getMessage());
        assertEquals(
                "tiny-cnn", r.create(TrainConfig.defaults().override("model", "tiny-cnn")).name());
        assertTrue(
                assertThrows(ConfigException.class, () -> r.create(TrainConfig.defaults()))
                        .getMessage()
                        .startsWith("no model given"));
    }

    @Test
    void markdownTableListsEveryKey() {
        String t = TrainConfig.markdownTable();
        for (String k : TrainConfig.KEYS.keySet()) {
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
}
