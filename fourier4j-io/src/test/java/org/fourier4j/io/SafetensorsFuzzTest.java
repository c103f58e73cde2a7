package org.fourier4j.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzzes the safetensors reader: whatever the bytes, it either reads every tensor or throws a
 * {@link WeightFileException}; no other exception, no hang, no allocation beyond the file's size.
 *
 * <p>{@code mvn -B verify} replays the corpus in
 * src/test/resources/org/fourier4j/io/SafetensorsFuzzTestInputs/readEveryTensor (real files as
 * seeds, and every input that once failed). To fuzz (the machine is shared: nice it), with coverage
 * of the JSON parser too:
 *
 * <pre>
 * JAZZER_FUZZ=1 nice mvn -B test -pl fourier4j-io -am -Dtest=SafetensorsFuzzTest \
 *     -Dsurefire.failIfNoSpecifiedTests=false "-Dfourier4j.test.argLine=-Xss4m -Dai.djl.offline=true
 *     -Djazzer.instrumentation_includes=org.fourier4j.**:com.fasterxml.jackson.core.**"
 * </pre>
 *
 * It runs for {@code maxDuration} (raise it to fuzz longer); an input that fails is written into
 * the corpus directory above and must stay there as a regression test.
 */
class SafetensorsFuzzTest {
    private static final Path FILE = FuzzFiles.scratch(".safetensors");

    @FuzzTest(maxDuration = "5m")
    void readEveryTensor(byte[] data) throws IOException {
        Files.write(FILE, data);
        try (StateDict sd = Safetensors.read(FILE)) {
            FuzzFiles.readEveryTensor(sd, data.length);
        } catch (WeightFileException expected) {
            // the documented refusal
        }
    }
}
