package org.fourier4j.train;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A training run that a test starts in a child JVM and kills with SIGKILL in the middle of an epoch
 * ({@link KillResumeTest}). Usage: {@code KillableRun <save_dir> <run_name> <sleep ms per forward
 * pass>}.
 */
public final class KillableRun {

    private KillableRun() {}

    static TrainData data() {
        return TestData.bandsData(128, 32, 4, 8);
    }

    static ModelFactory model() {
        return TinyModels.cnnFactory(4, 8);
    }

    static TrainConfig config(Path saveDir, String name) {
        Map<String, Object> m = new HashMap<>();
        m.put("save_dir", saveDir.toString());
        m.put("run_name", name);
        m.put("epochs", 3);
        m.put("batch_size", 8);
        m.put("lr", 0.02);
        m.put("optimizer", "sgd");
        m.put("schedule", "cosine");
        m.put("mixup_alpha", 0.4);
        m.put("ema_decay", 0.9);
        m.put("checkpoint_every_steps", 3);
        m.put("progress", false);
        return TrainConfig.defaults().with(m, "in the test");
    }

    /**
     * @param args save_dir, run_name, sleep milliseconds per forward pass
     */
    public static void main(String[] args) {
        TinyModels.sleepMs = Long.parseLong(args[2]);
        TrainingRun.start(config(Path.of(args[0]), args[1]), model(), data()).run();
        System.out.println("finished");
    }
}
