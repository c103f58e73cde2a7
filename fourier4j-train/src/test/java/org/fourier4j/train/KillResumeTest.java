package org.fourier4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scenario: a training process is killed with SIGKILL (kill -9) in the middle of an
 * epoch; {@code resume} continues from its last checkpoint and ends with exactly the parameters,
 * optimiser state, weight average and metrics of an uninterrupted run with the same seed.
 */
class KillResumeTest {

    @TempDir Path tmp;

    @Test
    void killedMidEpochThenResumedEqualsUninterrupted() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        String cp =
                System.getProperty(
                        "surefire.test.class.path", System.getProperty("java.class.path"));
        Path log = tmp.resolve("child.log");
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                java,
                                "-cp",
                                cp,
                                "-Dai.djl.offline=true",
                                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                                "-Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda=off"));
        cmd.addAll(List.of(KillableRun.class.getName(), tmp.toString(), "killed", "40"));
        Process child =
                new ProcessBuilder(cmd)
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        Path ckpt = tmp.resolve("killed/last.ckpt");
        RunProgress at = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        try {
            while (System.nanoTime() < deadline && child.isAlive()) {
                if (Files.exists(ckpt)) {
                    RunProgress s = Checkpoint.read(ckpt).state().progress();
                    if (s.epochsCompleted() == 1 && s.stepInEpoch() > 0) {
                        at = s;
                        break;
                    }
                }
                Thread.sleep(10);
            }
        } finally {
            child.destroyForcibly(); // SIGKILL on Linux
            child.waitFor(30, TimeUnit.SECONDS);
        }
        if (at == null) {
            fail(
                    "no mid-epoch checkpoint appeared before the child ended; its output:\n"
                            + Files.readString(log));
        }
        assertNotEquals(0, child.exitValue(), "the child was killed, not finished");
        assertFalse(Files.exists(tmp.resolve("killed/summary.json")), "the run did not finish");
        RunProgress killedAt = Checkpoint.read(ckpt).state().progress();
        assertEquals(1, killedAt.epochsCompleted());
        assertTrue(
                killedAt.stepInEpoch() > 0 && killedAt.stepInEpoch() < 16,
                "last checkpoint inside epoch 2: " + killedAt.stepInEpoch());

        TrainSummary resumed =
                TrainingRun.resume(
                                tmp.resolve("killed"),
                                KillableRun.model(),
                                Map.of(),
                                KillableRun.data())
                        .run();
        assertEquals("completed", resumed.status());

        TrainingRun.start(
                        KillableRun.config(tmp, "straight"),
                        KillableRun.model(),
                        KillableRun.data())
                .run();
        ResumeTest.assertSameRun(tmp.resolve("straight"), tmp.resolve("killed"));
    }
}
