package org.fourier4j.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.fourier4j.files.AtomicFiles;

/**
 * A short training run that a test starts in a child JVM and stops inside a checkpoint write: when
 * {@code last.ckpt} already exists and the next write of it has put more 4 KiB or more in its
 * temporary file, the run prints {@code PAUSED-IN-WRITE} and waits forever, holding the run's lock,
 * until the test kills it with SIGKILL ({@link CheckpointFaultTest}). Usage: {@code
 * CheckpointWriteKill <save_dir> <run_name>}.
 */
public final class CheckpointWriteKill {

    private CheckpointWriteKill() {}

    /** 64 images of batch 8: 8 steps an epoch, a checkpoint every 3 steps. */
    static TrainData data() {
        return TestData.bandsData(64, 16, 4, 8);
    }

    static ModelFactory model() {
        return KillableRun.model();
    }

    /** {@link KillableRun}'s configuration over 2 epochs. */
    static TrainConfig config(Path saveDir, String name) {
        return KillableRun.config(saveDir, name).with(Map.of("epochs", 2), "in the test");
    }

    /**
     * @param args save_dir, run_name
     * @throws InterruptedException never (the process is killed while it waits)
     */
    public static void main(String[] args) throws InterruptedException {
        AtomicFiles.observeWrites(
                (target, bytes) -> {
                    if (target.getFileName().toString().equals("last.ckpt")
                            && Files.exists(target)
                            && bytes >= 4096) {
                        System.out.println("PAUSED-IN-WRITE " + bytes);
                        System.out.flush();
                        try {
                            Thread.sleep(Long.MAX_VALUE);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                });
        TrainingRun.start(config(Path.of(args[0]), args[1]), model(), data()).run();
        System.out.println("finished");
    }
}
