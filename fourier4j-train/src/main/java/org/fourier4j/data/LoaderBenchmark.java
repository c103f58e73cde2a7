package org.fourier4j.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Throughput of the data pipeline alone (no model): images per second that {@link BatchLoader}
 * delivers to a consumer that does nothing, for a given augmentation and number of workers. A
 * {@code bench}/{@code train} command can call {@link #run}; {@link #main} prints a table.
 */
public final class LoaderBenchmark {

    /**
     * One measurement.
     *
     * @param workers worker threads
     * @param batches batches timed
     * @param images images timed
     * @param seconds wall time
     */
    public record Result(int workers, int batches, long images, double seconds) {
        /**
         * @return images per second
         */
        public double imagesPerSecond() {
            return images / seconds;
        }
    }

    private LoaderBenchmark() {}

    /**
     * Times the loader for each worker count: one untimed warm-up epoch prefix, then {@code
     * batches} batches (over as many epochs as needed).
     *
     * @param data the images
     * @param stats normalisation
     * @param aug augmentation
     * @param batchSize images per batch
     * @param prefetch batches prefetched
     * @param workerCounts worker counts to try (0 = the calling thread)
     * @param batches batches to time per worker count
     * @return one result per worker count
     */
    public static List<Result> run(
            ImageSet data,
            ChannelStats stats,
            Augmentation aug,
            int batchSize,
            int prefetch,
            int[] workerCounts,
            int batches) {
        List<Result> out = new ArrayList<>();
        for (int workers : workerCounts) {
            BatchLoader.Options o =
                    new BatchLoader.Options(batchSize, true, true, workers, prefetch, 1);
            try (BatchLoader loader = new BatchLoader(data, stats, aug, o)) {
                consume(loader, Math.max(2, batches / 5));
                long t0 = System.nanoTime();
                long images = consume(loader, batches);
                double s = (System.nanoTime() - t0) / 1e9;
                out.add(new Result(workers, batches, images, s));
            }
        }
        return out;
    }

    private static long consume(BatchLoader loader, int batches) {
        long images = 0;
        int done = 0;
        int epoch = 0;
        while (done < batches) {
            try (BatchLoader.EpochIterator it = loader.epoch(epoch++, 0)) {
                while (it.hasNext() && done < batches) {
                    images += it.next().size();
                    done++;
                }
            }
        }
        return images;
    }

    /**
     * Prints loader throughput on the bundled sample (or a CIFAR directory given as the first
     * argument) with crop+flip+RandAugment(2, 5), for 0, 1, 2 and 4 workers.
     *
     * @param args [cifar-dir] [batches=200] [batchSize=128]
     */
    public static void main(String[] args) {
        ImageSet data =
                args.length > 0 && !args[0].equals(BundledSample.DATASET_PATH)
                        ? CifarReader.read(Path.of(args[0])).train()
                        : BundledSample.load().train();
        int batches = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int batchSize = args.length > 2 ? Integer.parseInt(args[2]) : 128;
        ChannelStats stats = ChannelStats.of(data);
        Augmentation[] augs = {
            Augmentation.none(),
            Augmentation.cifarBasic(),
            new Augmentation(4, true, 2, 5, 31, 0, 0, 1, 0.5, 0.1),
            new Augmentation(4, true, 2, 5, 31, 0.8, 1.0, 1.0, 0.5, 0.1)
        };
        System.out.printf(
                "loader throughput, %d batches of %d, %s, %d CPUs%n",
                batches, batchSize, data, Runtime.getRuntime().availableProcessors());
        System.out.printf("%-60s %8s %12s%n", "augmentation", "workers", "images/s");
        for (Augmentation aug : augs) {
            for (Result r : run(data, stats, aug, batchSize, 4, new int[] {0, 1, 2, 4}, batches)) {
                System.out.printf(
                        "%-60s %8d %12.0f%n", aug.describe(), r.workers(), r.imagesPerSecond());
            }
        }
    }
}
