package org.fourier4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.fourier4j.files.AtomicFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults during a checkpoint write: the process killed (SIGKILL) inside the write, and a full disk
 * (injected, and for real on a small tmpfs where the machine allows mounting one). Each time the
 * previous checkpoint stays intact, the error names the file and the cause, and a resume ends with
 * exactly the parameters of an uninterrupted run. A second process on the same run directory is
 * refused while the first lives, and not after it was killed.
 */
class CheckpointFaultTest {

    @TempDir static Path shared;

    @TempDir Path tmp;

    private static Path straight;

    @BeforeAll
    static void uninterruptedRun() {
        TrainingRun.start(
                        CheckpointWriteKill.config(shared, "straight"),
                        CheckpointWriteKill.model(),
                        CheckpointWriteKill.data())
                .run();
        straight = shared.resolve("straight");
    }

    @AfterEach
    void noObserver() {
        AtomicFiles.observeWrites(null);
    }

    private static List<Path> temporaries(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }

    private static void resumeAndCompare(Path run) throws Exception {
        TrainSummary resumed =
                TrainingRun.resume(
                                run,
                                CheckpointWriteKill.model(),
                                Map.of(),
                                CheckpointWriteKill.data())
                        .run();
        assertEquals("completed", resumed.status());
        assertTrue(temporaries(run).isEmpty(), "the resume removed the killed write's file");
        ResumeTest.assertSameRun(straight, run);
    }

    @Test
    void killedInsideACheckpointWriteKeepsThePreviousOneAndTheLockDiesWithTheProcess()
            throws Exception {
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
                                "-Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda=off",
                                CheckpointWriteKill.class.getName(),
                                tmp.toString(),
                                "killed"));
        Process child =
                new ProcessBuilder(cmd)
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        Path run = tmp.resolve("killed");
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (!Files.readString(log).contains("PAUSED-IN-WRITE")) {
                if (!child.isAlive() || System.nanoTime() > deadline) {
                    fail(
                            "the child never paused inside a write; its output:\n"
                                    + Files.readString(log));
                }
                Thread.sleep(20);
            }
            // the child is inside the write: part of the new checkpoint is on disk
            List<Path> partial = temporaries(run);
            assertEquals(1, partial.size(), "one write under way: " + partial);
            assertTrue(Files.size(partial.get(0)) >= 4096, "bytes of the new checkpoint written");
            // and it holds the run: a second process is refused, naming it
            ConfigException busy =
                    assertThrows(
                            ConfigException.class,
                            () ->
                                    TrainingRun.resume(
                                            run,
                                            CheckpointWriteKill.model(),
                                            Map.of(),
                                            CheckpointWriteKill.data()));
            assertTrue(
                    busy.getMessage()
                            .startsWith(
                                    "run directory "
                                            + run
                                            + " is in use by another"
                                            + " training process (pid "
                                            + child.pid()
                                            + " on host "),
                    busy.getMessage());
            ConfigException busyNew =
                    assertThrows(
                            ConfigException.class,
                            () ->
                                    TrainingRun.start(
                                            CheckpointWriteKill.config(tmp, "killed"),
                                            CheckpointWriteKill.model(),
                                            CheckpointWriteKill.data()));
            assertTrue(busyNew.getMessage().contains("pid " + child.pid()), busyNew.getMessage());
        } finally {
            child.destroyForcibly(); // SIGKILL, inside the write
            child.waitFor(30, TimeUnit.SECONDS);
        }
        assertFalse(Files.readString(log).contains("finished"));
        RunProgress previous = Checkpoint.read(run.resolve("last.ckpt")).state().progress();
        assertEquals(3, previous.globalStep(), "the checkpoint before the killed write");
        assertEquals(1, temporaries(run).size(), "kill -9 left the partial write behind");
        resumeAndCompare(run); // the stale lock file does not block it
    }

    @Test
    void fullDiskDuringACheckpointWriteStopsWithTheFileAndTheCauseThenResumes() throws Exception {
        AtomicFiles.observeWrites(
                (target, bytes) -> {
                    if (target.getFileName().toString().equals("last.ckpt")
                            && Files.exists(target)
                            && bytes >= 4096) {
                        throw new IOException("No space left on device");
                    }
                });
        UncheckedIOException e =
                assertThrows(
                        UncheckedIOException.class,
                        () ->
                                TrainingRun.start(
                                                CheckpointWriteKill.config(tmp, "full"),
                                                CheckpointWriteKill.model(),
                                                CheckpointWriteKill.data())
                                        .run());
        Path run = tmp.resolve("full");
        assertEquals(
                "cannot write "
                        + run.resolve("last.ckpt")
                        + ": No space left on device (the previous last.ckpt is unchanged)",
                e.getCause().getMessage());
        assertEquals(3, Checkpoint.read(run.resolve("last.ckpt")).state().progress().globalStep());
        assertTrue(temporaries(run).isEmpty(), "the failed write removed its temporary file");
        AtomicFiles.observeWrites(null); // space freed
        resumeAndCompare(run);
    }

    @Test
    void fullSmallFilesystemDuringACheckpointWrite() throws Exception {
        Path mount = Files.createDirectory(tmp.resolve("small-fs"));
        assumeTrue(
                run("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mount.toString()) == 0,
                "mounting a tmpfs needs root");
        try {
            Path filler = mount.resolve("filler");
            AtomicFiles.observeWrites(
                    (target, bytes) -> {
                        if (target.getFileName().toString().equals("last.ckpt")
                                && Files.exists(target)
                                && !Files.exists(filler)) {
                            fill(filler); // the real write that follows finds the disk full
                        }
                    });
            UncheckedIOException e =
                    assertThrows(
                            UncheckedIOException.class,
                            () ->
                                    TrainingRun.start(
                                                    CheckpointWriteKill.config(mount, "run"),
                                                    CheckpointWriteKill.model(),
                                                    CheckpointWriteKill.data())
                                            .run());
            Path run = mount.resolve("run");
            assertTrue(
                    e.getCause()
                            .getMessage()
                            .startsWith(
                                    "cannot write "
                                            + run.resolve("last.ckpt")
                                            + ": No space left on device"),
                    e.getCause().getMessage());
            assertEquals(
                    3, Checkpoint.read(run.resolve("last.ckpt")).state().progress().globalStep());
            assertTrue(temporaries(run).isEmpty());
            AtomicFiles.observeWrites(null);
            Files.delete(filler); // space freed
            resumeAndCompare(run);
        } finally {
            run("umount", "-l", mount.toString());
        }
    }

    private static void fill(Path filler) {
        byte[] block = new byte[64 << 10];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            // the file system is full
        }
    }

    private static int run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }

    @Test
    void aSecondRunOfTheSameDirectoryInThisProcessIsRefused() throws Exception {
        Map<String, String> oneStep = Map.of("max_steps", "1");
        TrainingRun.start(
                        CheckpointWriteKill.config(tmp, "once").override("max_steps", "1"),
                        CheckpointWriteKill.model(),
                        CheckpointWriteKill.data())
                .run();
        Path run = tmp.resolve("once");
        TrainingRun first =
                TrainingRun.resume(
                        run, CheckpointWriteKill.model(), oneStep, CheckpointWriteKill.data());
        ConfigException e =
                assertThrows(
                        ConfigException.class,
                        () ->
                                TrainingRun.resume(
                                        run,
                                        CheckpointWriteKill.model(),
                                        oneStep,
                                        CheckpointWriteKill.data()));
        assertTrue(e.getMessage().contains("pid " + ProcessHandle.current().pid()), e.getMessage());
        first.run(); // ends the first; the lock goes with it
        TrainingRun.resume(run, CheckpointWriteKill.model(), oneStep, CheckpointWriteKill.data())
                .run();
    }
}
