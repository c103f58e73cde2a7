package org.fourier4j.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A short real training run on the bundled CIFAR-10 sample: the loss must go down. */
class SampleSmokeTest {

    @TempDir Path tmp;

    @Test
    void tinyMlpLearnsOnTheBundledSample() throws Exception {
        TrainConfig c =
                TrainConfig.defaults()
                        .with(
                                Map.of(
                                        "save_dir",
                                        tmp.toString(),
                                        "run_name",
                                        "smoke",
                                        "epochs",
                                        2,
                                        "batch_size",
                                        100,
                                        "lr",
                                        0.003,
                                        "randaugment_ops",
                                        0,
                                        "random_crop_padding",
                                        0,
                                        "label_smoothing",
                                        0.0,
                                        "progress",
                                        false),
                                "in the test");
        TrainSummary s = TrainingRun.start(c, TinyModels.mlpFactory(64, 10, 32), null).run();
        List<String> csv = Files.readAllLines(tmp.resolve("smoke/metrics.csv"));
        String[] e1 = csv.get(1).split(",");
        String[] e2 = csv.get(2).split(",");
        double loss1 = Double.parseDouble(e1[3]);
        double loss2 = Double.parseDouble(e2[3]);
        double val2 = Double.parseDouble(e2[5]);
        assertTrue(loss2 < loss1, "train loss " + loss1 + " -> " + loss2);
        assertTrue(val2 < Math.log(10), "val loss " + val2 + " below chance ln(10)");
        assertTrue(
                s.lastEval().top1() > 0.25, "val top-1 " + s.lastEval().top1() + " (chance 0.1)");
    }
}
