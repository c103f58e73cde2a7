package org.fourier4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Statistics, splits and the bundled sample. */
class DataSetsTest {

    @TempDir Path tmp;

    @Test
    void channelStatsOfKnownPixels() {
        // 2 images, 2 channels, 1x2: channel 0 = {0, 255, 255, 255}, channel 1 constant 51
        byte[][] im = {{0, (byte) 255, 51, 51}, {(byte) 255, (byte) 255, 51, 51}};
        ImageSet set = new ImageSet(2, 1, 2, im, new int[] {0, 1}, List.of("a", "b"), "known");
        ChannelStats s = ChannelStats.of(set);
        assertEquals(0.75, s.mean()[0], 1e-12);
        assertEquals(Math.sqrt(0.75 - 0.75 * 0.75), s.std()[0], 1e-12);
        assertEquals(0.2, s.mean()[1], 1e-12);
        assertEquals(1.0, s.std()[1], 0, "a constant channel gets std 1");
    }

    @Test
    void labelsOutOfRangeAreRejectedByTheImageSet() {
        DataException e =
                assertThrows(
                        DataException.class,
                        () ->
                                new ImageSet(
                                        1,
                                        1,
                                        1,
                                        new byte[][] {{0}, {0}},
                                        new int[] {1, 2},
                                        List.of("a", "b"),
                                        "hand-made"));
        assertEquals("hand-made: image 1 has label 2, labels must be in 0..1", e.getMessage());
    }

    @Test
    void tailAndStratifiedSplits() {
        ImageSet set = TestImages.random(100, 1, 2, 2, 4, 1);
        DataSplit.Split t = DataSplit.tail(set, 10);
        assertEquals(90, t.train().size());
        assertArrayEquals(set.image(90), t.val().image(0));
        assertThrows(DataException.class, () -> DataSplit.tail(set, 100));

        DataSplit.Split s = DataSplit.stratified(set, 0.2, 5);
        assertEquals(80, s.train().size());
        assertArrayEquals(new int[] {5, 5, 5, 5}, s.val().classCounts());
        DataSplit.Split again = DataSplit.stratified(set, 0.2, 5);
        for (int i = 0; i < 20; i++) {
            assertArrayEquals(s.val().image(i), again.val().image(i));
        }
    }

    @Test
    void balancedSampleHasEqualClassesAndIsSeeded() {
        ImageSet set = TestImages.random(200, 1, 2, 2, 5, 2);
        int[] a = DataSplit.balancedSample(set, 7, 1);
        assertArrayEquals(a, DataSplit.balancedSample(set, 7, 1));
        assertEquals(35, Arrays.stream(a).distinct().count());
        assertArrayEquals(new int[] {7, 7, 7, 7, 7}, set.subset(a, "s").classCounts());
        assertThrows(DataException.class, () -> DataSplit.balancedSample(set, 41, 1));
    }

    @Test
    void bundledSampleIsBalancedAndItsStatsAreItsOwn() {
        CifarData d = BundledSample.load();
        assertEquals(4000, d.train().size());
        assertEquals(1000, d.test().size());
        int[] tr = d.train().classCounts();
        int[] va = d.test().classCounts();
        for (int c = 0; c < 10; c++) {
            assertEquals(400, tr[c]);
            assertEquals(100, va[c]);
        }
        ChannelStats stored = BundledSample.stats();
        ChannelStats computed = ChannelStats.of(d.train());
        assertArrayEquals(computed.mean(), stored.mean(), 1e-12);
        assertArrayEquals(computed.std(), stored.std(), 1e-12);
    }

    @Test
    void bundledSampleRecordsAreTheSharedRecordsItNames() throws IOException {
        Path shared = SharedData.cifar10OrSkip();
        CifarData d = BundledSample.load();
        Map<String, ImageSet> files = new HashMap<>();
        for (int b = 1; b <= 5; b++) {
            String f = "data_batch_" + b + ".bin";
            files.put(f, CifarReader.read(shared.resolve(f)).train());
        }
        List<String> rows;
        try (var in =
                BundledSample.class.getResourceAsStream(
                        "/org/fourier4j/data/cifar10-sample/selection.csv")) {
            rows = new String(in.readAllBytes()).lines().skip(1).toList();
        }
        assertEquals(5000, rows.size());
        for (String row : rows) {
            String[] f = row.split(",");
            int rec = Integer.parseInt(f[1]);
            ImageSet sample = f[0].equals("test_batch.bin") ? d.test() : d.train();
            int idx = f[0].equals("data_batch_2.bin") ? 2000 + rec : rec;
            ImageSet src = files.get(f[2]);
            int srcRec = Integer.parseInt(f[3]);
            assertArrayEquals(src.image(srcRec), sample.image(idx), row);
            assertEquals(src.label(srcRec), sample.label(idx), row);
            boolean inValSplit = f[2].equals("data_batch_5.bin") && srcRec >= 5000;
            assertEquals(f[0].equals("test_batch.bin"), inValSplit, "split of " + row);
        }
    }

    @Test
    void sampleBuilderReproducesTheCommittedSample() throws IOException {
        Path shared = SharedData.cifar10OrSkip();
        Path out = tmp.resolve("sample");
        SampleBuilder.build(shared, out, 400, 100, SampleBuilder.SEED);
        for (String f : List.of("data_batch_1.bin", "data_batch_2.bin", "test_batch.bin")) {
            try (var in =
                    BundledSample.class.getResourceAsStream(
                            "/org/fourier4j/data/cifar10-sample/" + f)) {
                assertTrue(
                        Arrays.equals(in.readAllBytes(), Files.readAllBytes(out.resolve(f))),
                        f + " differs from the committed sample");
            }
        }
        // and the directory it writes reads back through the standard reader
        CifarData d = CifarReader.read(out);
        assertEquals(4000, d.train().size());
        assertEquals(1000, d.test().size());
    }
}
