package org.fourier4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LoaderBenchmarkTest {

    @Test
    void measuresEachWorkerCount() {
        ImageSet data = TestImages.cifar(64, 9);
        List<LoaderBenchmark.Result> r =
                LoaderBenchmark.run(
                        data,
                        ChannelStats.of(data),
                        new Augmentation(4, true, 2, 5, 31, 0, 0, 1, 0.5, 0.1),
                        16,
                        2,
                        new int[] {0, 2},
                        10);
        assertEquals(2, r.size());
        for (LoaderBenchmark.Result x : r) {
            assertEquals(10, x.batches());
            assertEquals(160, x.images(), "10 batches of 16 over several epochs of 4 batches");
            assertTrue(x.seconds() > 0 && x.imagesPerSecond() > 0);
        }
        assertEquals(2, r.get(1).workers());
    }
}
