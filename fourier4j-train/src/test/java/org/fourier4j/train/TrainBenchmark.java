package org.fourier4j.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.fourier4j.data.BundledSample;

/**
 * Training throughput of the tiny CNN on the bundled CIFAR-10 sample, through the whole engine
 * (loader with augmentation, forward, backward, clipping, AdamW, EMA). Not a test: run it with
 * {@code java -cp ... org.fourier4j.train.TrainBenchmark [epochs=3] [batch=128] [workers=2]}.
 */
public final class TrainBenchmark {

    private TrainBenchmark() {}

    /**
     * @param args [epochs] [batch] [workers]
     * @throws Exception on an error
     */
    public static void main(String[] args) throws Exception {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 128;
        int workers = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        Path dir = Files.createTempDirectory("f4j-bench");
        TrainConfig c =
                TrainConfig.defaults()
                        .with(
                                Map.of(
                                        "dataset_path",
                                        BundledSample.DATASET_PATH,
                                        "save_dir",
                                        dir.toString(),
                                        "run_name",
                                        "bench",
                                        "epochs",
                                        epochs,
                                        "batch_size",
                                        batch,
                                        "num_workers",
                                        workers,
                                        "lr",
                                        0.01,
                                        "clip_grad_norm",
                                        1.0,
                                        "ema_decay",
                                        0.99),
                                "(benchmark)");
        TrainSummary s = TrainingRun.start(c, TinyModels.cnnFactory(10, 32), null).run();
        System.out.println(Files.readString(dir.resolve("bench/metrics.csv")));
        System.out.printf(
                "tiny-cnn on %s: %.0f training images/s (mean over %d epochs, batch %d, %d"
                        + " workers, %d CPUs), last val top-1 %.3f%n",
                BundledSample.DATASET_PATH,
                s.trainImagesPerSecond(),
                epochs,
                batch,
                workers,
                Runtime.getRuntime().availableProcessors(),
                s.lastEval().top1());
    }
}
