package org.fourier4j.data;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Turns an {@link ImageSet} into batches of normalised floats and soft targets, with per-image
 * augmentation done on the Java side by worker threads and a bounded prefetch window, so that the
 * training thread rarely waits for data.
 *
 * <p>Everything random is a function of {@code (seed, epoch, position)} ({@link Rngs}): the epoch's
 * shuffle from {@code (seed, SHUFFLE, epoch)}, image {@code i}'s augmentation from {@code (seed,
 * SAMPLE, epoch, i)}, batch {@code b}'s mixing from {@code (seed, BATCH, epoch, b)}. A batch is
 * therefore identical whatever the number of workers, and an epoch can be restarted at any batch
 * (to resume a run) and produce exactly what an uninterrupted run would.
 *
 * <p>Each worker builds whole batches; batches are handed out in order. At most {@code prefetch}
 * batches are in flight or waiting, which bounds memory. With {@code workers = 0} batches are built
 * in the calling thread.
 */
public final class BatchLoader implements AutoCloseable {

    /**
     * Loader settings.
     *
     * @param batchSize images per batch, at least 1
     * @param shuffle shuffle every epoch
     * @param dropLast drop the last incomplete batch (training) or keep it (evaluation)
     * @param workers worker threads, 0 for the calling thread
     * @param prefetch batches prepared ahead, at least 1
     * @param seed the run's seed
     */
    public record Options(
            int batchSize,
            boolean shuffle,
            boolean dropLast,
            int workers,
            int prefetch,
            long seed) {

        /** Validates the ranges. */
        public Options {
            if (batchSize < 1) {
                throw new IllegalArgumentException(
                        "batch_size must be at least 1, got " + batchSize);
            }
            if (workers < 0) {
                throw new IllegalArgumentException(
                        "num_workers must be at least 0, got " + workers);
            }
            if (prefetch < 1) {
                throw new IllegalArgumentException("prefetch must be at least 1, got " + prefetch);
            }
        }
    }

    private final ImageSet data;
    private final ChannelStats stats;
    private final Augmentation aug;
    private final Options options;
    private final ExecutorService pool;
    private final float[] scale;
    private final float[] shift;

    /**
     * @param data the images
     * @param stats normalisation statistics (one value per channel)
     * @param aug augmentation, {@link Augmentation#none()} for evaluation
     * @param options batching and threading
     */
    public BatchLoader(ImageSet data, ChannelStats stats, Augmentation aug, Options options) {
        if (stats.channels() != data.channels()) {
            throw new IllegalArgumentException(
                    "normalisation has "
                            + stats.channels()
                            + " channels, the images have "
                            + data.channels());
        }
        if (options.dropLast() && data.size() < options.batchSize()) {
            throw new DataException(
                    data.source()
                            + " has "
                            + data.size()
                            + " images, fewer than one batch of batch_size="
                            + options.batchSize());
        }
        this.data = data;
        this.stats = stats;
        this.aug = aug;
        this.options = options;
        this.scale = new float[data.channels()];
        this.shift = new float[data.channels()];
        for (int c = 0; c < data.channels(); c++) {
            // (v / 255 - mean) / std = v * scale + shift
            scale[c] = (float) (1.0 / (255.0 * stats.std()[c]));
            shift[c] = (float) (-stats.mean()[c] / stats.std()[c]);
        }
        if (options.workers() > 0) {
            AtomicInteger n = new AtomicInteger();
            this.pool =
                    Executors.newFixedThreadPool(
                            options.workers(),
                            r -> {
                                Thread t = new Thread(r, "fourier4j-loader-" + n.incrementAndGet());
                                t.setDaemon(true);
                                return t;
                            });
        } else {
            this.pool = null;
        }
    }

    /**
     * @return the images
     */
    public ImageSet data() {
        return data;
    }

    /**
     * @return the normalisation
     */
    public ChannelStats stats() {
        return stats;
    }

    /**
     * @return the settings
     */
    public Options options() {
        return options;
    }

    /**
     * @return batches per epoch
     */
    public int batchesPerEpoch() {
        int n = data.size();
        int b = options.batchSize();
        return options.dropLast() ? n / b : (n + b - 1) / b;
    }

    /**
     * The order in which an epoch visits the images.
     *
     * @param epoch the epoch
     * @return data set indices
     */
    public int[] order(int epoch) {
        if (!options.shuffle()) {
            int[] p = new int[data.size()];
            for (int i = 0; i < p.length; i++) {
                p[i] = i;
            }
            return p;
        }
        return Rngs.permutation(data.size(), Rngs.random(options.seed(), Rngs.SHUFFLE, epoch));
    }

    /**
     * Builds one batch (pure function of the epoch's order and the batch index).
     *
     * @param epoch the epoch
     * @param order the epoch's order
     * @param b batch index
     * @return the batch
     */
    public HostBatch build(int epoch, int[] order, int b) {
        int bs = options.batchSize();
        int from = b * bs;
        int n = Math.min(bs, data.size() - from);
        int c = data.channels();
        int h = data.height();
        int w = data.width();
        int k = data.numClasses();
        int plane = h * w;
        int img = c * plane;
        float[] pixels = new float[n * img];
        float[] targets = new float[n * k];
        int[] labels = new int[n];
        int[] indices = new int[n];
        float off = (float) (aug.labelSmoothing() / k);
        float on = (float) (1 - aug.labelSmoothing()) + off;
        for (int i = 0; i < n; i++) {
            int idx = order[from + i];
            indices[i] = idx;
            byte[] x = data.image(idx);
            if (hasImageOps()) {
                SplittableRandom rng = Rngs.random(options.seed(), Rngs.SAMPLE, epoch, idx);
                x = aug.applyToImage(x, c, h, w, rng);
            }
            int base = i * img;
            for (int ch = 0; ch < c; ch++) {
                float s = scale[ch];
                float t = shift[ch];
                int o = ch * plane;
                for (int p = 0; p < plane; p++) {
                    pixels[base + o + p] = (x[o + p] & 0xFF) * s + t;
                }
            }
            int label = data.label(idx);
            labels[i] = label;
            for (int j = 0; j < k; j++) {
                targets[i * k + j] = off;
            }
            targets[i * k + label] = on;
        }
        if (aug.mixes()) {
            MixupCutmix.Mix mix =
                    MixupCutmix.draw(aug, h, w, Rngs.random(options.seed(), Rngs.BATCH, epoch, b));
            MixupCutmix.apply(mix, pixels, targets, n, c, h, w, k);
            if (mix.kind() != MixupCutmix.Kind.NONE) {
                for (int i = 0; i < n; i++) {
                    int best = 0;
                    for (int j = 1; j < k; j++) {
                        if (targets[i * k + j] > targets[i * k + best]) {
                            best = j;
                        }
                    }
                    labels[i] = best;
                }
            }
        }
        return new HostBatch(b, n, c, h, w, k, pixels, targets, labels, indices);
    }

    private boolean hasImageOps() {
        return aug.randAugmentOps() > 0 || aug.cropPadding() > 0 || aug.horizontalFlip();
    }

    /**
     * Iterates over one epoch's batches, starting at {@code firstBatch}.
     *
     * @param epoch the epoch (0-based)
     * @param firstBatch the first batch to produce (0 for a whole epoch)
     * @return the batches in order; close it to cancel prefetching
     */
    public EpochIterator epoch(int epoch, int firstBatch) {
        return new EpochIterator(epoch, firstBatch);
    }

    /** One epoch's batches with prefetching. */
    public final class EpochIterator implements Iterator<HostBatch>, AutoCloseable {
        private final int epoch;
        private final int[] order;
        private final int end;
        private int next;
        private int submitted;
        private final ArrayDeque<Future<HostBatch>> window = new ArrayDeque<>();

        private EpochIterator(int epoch, int firstBatch) {
            this.epoch = epoch;
            this.order = order(epoch);
            this.end = batchesPerEpoch();
            if (firstBatch < 0 || firstBatch > end) {
                throw new IllegalArgumentException(
                        "first batch " + firstBatch + " outside 0.." + end);
            }
            this.next = firstBatch;
            this.submitted = firstBatch;
            if (pool != null) {
                while (submitted < end && window.size() < options.prefetch()) {
                    submit();
                }
            }
        }

        private void submit() {
            int b = submitted++;
            window.add(pool.submit(() -> build(epoch, order, b)));
        }

        @Override
        public boolean hasNext() {
            return next < end;
        }

        @Override
        public HostBatch next() {
            if (!hasNext()) {
                throw new NoSuchElementException("epoch " + epoch + " has " + end + " batches");
            }
            if (pool == null) {
                return build(epoch, order, next++);
            }
            Future<HostBatch> f = window.poll();
            if (submitted < end) {
                submit();
            }
            next++;
            try {
                return f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a batch", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw new IllegalStateException("data loader failed", e.getCause());
            }
        }

        @Override
        public void close() {
            for (Future<HostBatch> f : window) {
                f.cancel(true);
            }
            window.clear();
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
