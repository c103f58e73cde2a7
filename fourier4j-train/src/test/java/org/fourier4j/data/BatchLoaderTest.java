package org.fourier4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchLoaderTest {

    private static final ImageSet DATA = TestImages.cifar(50, 21);
    private static final ChannelStats STATS = ChannelStats.of(DATA);
    private static final Augmentation FULL =
            new Augmentation(4, true, 2, 9, 31, 0.8, 1.0, 1.0, 0.5, 0.1);

    private static List<HostBatch> epoch(
            Augmentation aug, int workers, int prefetch, int epoch, int first, long seed) {
        try (BatchLoader l =
                new BatchLoader(
                        DATA,
                        STATS,
                        aug,
                        new BatchLoader.Options(8, true, true, workers, prefetch, seed))) {
            List<HostBatch> out = new ArrayList<>();
            try (BatchLoader.EpochIterator it = l.epoch(epoch, first)) {
                it.forEachRemaining(out::add);
            }
            return out;
        }
    }

    private static void assertSame(List<HostBatch> a, List<HostBatch> b) {
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).index(), b.get(i).index());
            assertArrayEquals(a.get(i).pixels(), b.get(i).pixels(), "pixels of batch " + i);
            assertArrayEquals(a.get(i).targets(), b.get(i).targets(), "targets of batch " + i);
            assertArrayEquals(a.get(i).labels(), b.get(i).labels());
            assertArrayEquals(a.get(i).indices(), b.get(i).indices());
        }
    }

    @Test
    void sameSeedSameBatchesWhateverTheNumberOfWorkers() {
        List<HostBatch> ref = epoch(FULL, 0, 1, 3, 0, 7);
        assertEquals(6, ref.size(), "50 images, batch 8, drop last");
        assertSame(ref, epoch(FULL, 1, 1, 3, 0, 7));
        assertSame(ref, epoch(FULL, 2, 4, 3, 0, 7));
        assertSame(ref, epoch(FULL, 3, 2, 3, 0, 7));
    }

    @Test
    void restartingMidEpochGivesTheRemainingBatches() {
        List<HostBatch> all = epoch(FULL, 2, 3, 1, 0, 7);
        assertSame(all.subList(4, 6), epoch(FULL, 2, 3, 1, 4, 7));
        assertTrue(epoch(FULL, 1, 1, 1, 6, 7).isEmpty());
    }

    @Test
    void otherEpochsAndSeedsDiffer() {
        List<HostBatch> a = epoch(FULL, 2, 2, 0, 0, 7);
        List<HostBatch> b = epoch(FULL, 2, 2, 1, 0, 7);
        List<HostBatch> c = epoch(FULL, 2, 2, 0, 0, 8);
        assertFalse(Arrays.equals(a.get(0).indices(), b.get(0).indices()));
        assertFalse(Arrays.equals(a.get(0).pixels(), c.get(0).pixels()));
        // each epoch visits distinct images (a permutation, minus the dropped tail)
        long distinct = a.stream().flatMapToInt(h -> Arrays.stream(h.indices())).distinct().count();
        assertEquals(48, distinct);
    }

    @Test
    void withoutAugmentationPixelsAreNormalisedExactly() {
        try (BatchLoader l =
                new BatchLoader(
                        DATA,
                        STATS,
                        Augmentation.none(),
                        new BatchLoader.Options(16, false, false, 2, 2, 1))) {
            assertEquals(4, l.batchesPerEpoch(), "50 images, batch 16, last kept");
            List<HostBatch> batches = new ArrayList<>();
            l.epoch(0, 0).forEachRemaining(batches::add);
            HostBatch last = batches.get(3);
            assertEquals(2, last.size());
            assertArrayEquals(new int[] {48, 49}, last.indices());
            HostBatch b = batches.get(1);
            int plane = 32 * 32;
            for (int i = 0; i < b.size(); i++) {
                int idx = 16 + i;
                assertEquals(idx, b.indices()[i]);
                for (int c = 0; c < 3; c++) {
                    for (int p = 0; p < plane; p += 97) {
                        int v = DATA.image(idx)[c * plane + p] & 0xFF;
                        double expect = (v / 255.0 - STATS.mean()[c]) / STATS.std()[c];
                        assertEquals(expect, b.pixels()[i * 3 * plane + c * plane + p], 1e-5);
                    }
                }
                // one-hot targets without smoothing
                for (int k = 0; k < 10; k++) {
                    assertEquals(k == DATA.label(idx) ? 1f : 0f, b.targets()[i * 10 + k]);
                }
                assertEquals(DATA.label(idx), b.labels()[i]);
            }
        }
    }

    @Test
    void labelSmoothingTargets() {
        Augmentation smooth = new Augmentation(0, false, 0, 0, 31, 0, 0, 1, 0.5, 0.1);
        HostBatch b = epoch(smooth, 0, 1, 0, 0, 3).get(0);
        for (int i = 0; i < b.size(); i++) {
            double sum = 0;
            for (int k = 0; k < 10; k++) {
                float t = b.targets()[i * 10 + k];
                sum += t;
                assertEquals(k == b.labels()[i] ? 0.91f : 0.01f, t, 1e-7);
            }
            assertEquals(1.0, sum, 1e-6);
        }
    }

    @Test
    void mixedTargetsStillSumToOne() {
        for (HostBatch b : epoch(FULL, 2, 2, 5, 0, 11)) {
            for (int i = 0; i < b.size(); i++) {
                double sum = 0;
                int best = 0;
                for (int k = 0; k < 10; k++) {
                    sum += b.targets()[i * 10 + k];
                    if (b.targets()[i * 10 + k] > b.targets()[i * 10 + best]) {
                        best = k;
                    }
                }
                assertEquals(1.0, sum, 1e-5);
                assertEquals(best, b.labels()[i], "label = class of largest target mass");
            }
        }
    }

    @Test
    void badOptions() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> new BatchLoader.Options(0, true, true, 1, 1, 1));
        assertEquals("batch_size must be at least 1, got 0", e.getMessage());
        DataException small =
                assertThrows(
                        DataException.class,
                        () ->
                                new BatchLoader(
                                        DATA,
                                        STATS,
                                        FULL,
                                        new BatchLoader.Options(64, true, true, 0, 1, 1)));
        assertEquals(
                "random(50) has 50 images, fewer than one batch of batch_size=64",
                small.getMessage());
    }

    @Test
    void aWorkerErrorReachesTheConsumer() {
        ImageSet gray = TestImages.random(16, 1, 8, 8, 2, 1);
        Augmentation colorOps = new Augmentation(0, false, 3, 30, 31, 0, 0, 1, 0.5, 0);
        try (BatchLoader l =
                new BatchLoader(
                        gray,
                        ChannelStats.of(gray),
                        colorOps,
                        new BatchLoader.Options(16, true, true, 2, 2, 1))) {
            // RandAugment's colour operations need RGB: the worker's exception is rethrown here
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> l.epoch(0, 0).next());
            assertTrue(e.getMessage().contains("needs 3 channels"), e.getMessage());
        }
    }
}
