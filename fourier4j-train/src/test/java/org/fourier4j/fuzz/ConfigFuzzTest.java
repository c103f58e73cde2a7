package org.fourier4j.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import org.fourier4j.train.ConfigException;
import org.fourier4j.train.TrainConfig;

/**
 * Fuzzes loading a training configuration ({@link TrainConfig#load}: parsing, then every key's
 * validation) from YAML and from JSON, seeded with the project's configurations. Whatever the
 * bytes: a configuration or a {@link ConfigException} naming the file; bounded time and memory for
 * alias bombs and deep nesting; nothing written.
 */
class ConfigFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void yaml(byte[] data) {
        load("config.yaml", data);
    }

    @FuzzTest(maxDuration = "5m")
    void json(byte[] data) {
        load("config.json", data);
    }

    private static void load(String name, byte[] data) {
        Path f = FuzzFiles.write(name, data);
        try {
            TrainConfig.load(f);
        } catch (ConfigException e) {
            FuzzFiles.assertNamesFile(e, f);
        }
        FuzzFiles.assertNothingWritten(f, data.length);
    }
}
