package org.fourier4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fourier4j.inference.LoadedModel;
import org.fourier4j.inference.ModelDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Batches without Spark: bad images beside good ones, batch composition, top-k order. */
class BatchPredictorTest {

    @TempDir static Path tmp;
    static LoadedModel model;
    static List<byte[]> images = new ArrayList<>();

    @BeforeAll
    static void setUp() throws Exception {
        Path dir = TestImages.model(tmp.resolve("model"));
        model = ModelDirectory.open(dir);
        for (Path p : TestImages.cifarPngs(tmp.resolve("images"), 6)) {
            images.add(Files.readAllBytes(p));
        }
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void badImagesGetErrorsAndDoNotChangeTheOthers() {
        BatchPredictor p = new BatchPredictor(model, 3, true);
        List<BatchPredictor.Result> clean = p.predict(images);
        List<byte[]> mixed = new ArrayList<>();
        mixed.add(new byte[] {1, 2, 3});
        mixed.addAll(images.subList(0, 3));
        mixed.add(null);
        mixed.addAll(images.subList(3, 6));
        List<BatchPredictor.Result> got = p.predict(mixed);
        assertEquals(8, got.size());
        assertTrue(got.get(0).error().contains("cannot be decoded"), got.get(0).error());
        assertTrue(got.get(4).error().contains("no image bytes"), got.get(4).error());
        assertEquals(List.of(), got.get(0).top());
        assertNull(got.get(0).embedding());
        int[] at = {1, 2, 3, 5, 6, 7};
        for (int i = 0; i < 6; i++) {
            BatchPredictor.Result a = clean.get(i);
            BatchPredictor.Result b = got.get(at[i]);
            assertTrue(b.ok());
            assertEquals(3, b.top().size());
            for (int r = 0; r < 3; r++) {
                assertEquals(a.top().get(r).classIndex(), b.top().get(r).classIndex());
                assertEquals(a.top().get(r).probability(), b.top().get(r).probability(), 1e-6);
            }
            assertArrayEquals(a.embedding(), b.embedding(), 1e-5f);
        }
        // alone (a batch of one) gives the same as in a batch, up to float32 summation order
        BatchPredictor.Result alone = p.predict(List.of(images.get(2))).get(0);
        assertEquals(
                clean.get(2).top().get(0).probability(), alone.top().get(0).probability(), 1e-5);
    }

    @Test
    void topKIsOrderedAndCappedAtTheClasses() {
        BatchPredictor.Result r = new BatchPredictor(model, 50, false).predict(images).get(0);
        assertEquals(model.card().classes().size(), r.top().size());
        double sum = 0;
        for (int i = 0; i < r.top().size(); i++) {
            BatchPredictor.RankedClass c = r.top().get(i);
            assertEquals(i + 1, c.rank());
            assertEquals(model.card().classes().get(c.classIndex()), c.label());
            if (i > 0) {
                assertTrue(c.probability() <= r.top().get(i - 1).probability());
            }
            sum += c.probability();
        }
        assertEquals(1.0, sum, 1e-9);
        assertNull(r.embedding());
        assertEquals(10, Arrays.stream(r.top().toArray()).distinct().count(), "every class once");
    }

    @Test
    void badArgumentsAreRefused() {
        String k =
                assertThrows(
                                IllegalArgumentException.class,
                                () -> new BatchPredictor(model, 0, false))
                        .getMessage();
        assertEquals("top-k must be at least 1, got 0", k);
    }
}
