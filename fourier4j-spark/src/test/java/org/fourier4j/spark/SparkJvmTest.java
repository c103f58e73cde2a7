package org.fourier4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The JVM options Spark needs, against Spark's own list: the tests' argLine (the parent POM's
 * {@code fourier4j.spark.argLine}) and the launcher {@code bin/fourier4j} pass every one.
 */
class SparkJvmTest {

    @Test
    void sparksListIsReadAndThisJvmHasEveryOption() {
        List<String> required = SparkJvm.requiredOpens();
        assertTrue(
                required.contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"),
                required.toString());
        assertEquals(List.of(), SparkJvm.missingOpens(), "missing from fourier4j.spark.argLine");
    }

    @Test
    void theLauncherPassesEveryOption() throws IOException {
        Path launcher = Path.of("..", "bin", "fourier4j");
        assumeTrue(Files.isRegularFile(launcher), "no launcher at " + launcher.toAbsolutePath());
        String script = Files.readString(launcher);
        for (String option : SparkJvm.requiredOpens()) {
            assertTrue(script.contains(option), "bin/fourier4j lacks " + option);
        }
    }
}
