package org.fourier4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.Map;
import org.fourier4j.data.Augmentation;
import org.fourier4j.data.BatchLoader;
import org.fourier4j.data.ChannelStats;
import org.fourier4j.data.ImageSet;
import org.junit.jupiter.api.Test;

class EvaluatorTest {

    /** Images of 1x1x6 "pixels" that are the logits themselves (normalisation is the identity). */
    private static ImageSet logitImages(int[][] logits, int[] labels) {
        byte[][] im = new byte[logits.length][6];
        for (int i = 0; i < logits.length; i++) {
            for (int k = 0; k < 6; k++) {
                im[i][k] = (byte) logits[i][k];
            }
        }
        return new ImageSet(1, 1, 6, im, labels, List.of("a", "b", "c", "d", "e", "f"), "logits");
    }

    @Test
    void topKConfusionPerClassAndLoss() {
        int[][] logits = {
            {6, 5, 4, 3, 2, 1}, // label 0: top-1
            {6, 5, 4, 3, 2, 1}, // label 4: four above -> top-5 only
            {6, 5, 4, 3, 2, 1}, // label 5: five above -> neither
            {1, 9, 1, 1, 1, 1}, // label 1: top-1
            {2, 2, 0, 0, 0, 0} // label 1: tie with class 0 -> counted below it, top-5 only
        };
        int[] labels = {0, 4, 5, 1, 1};
        ImageSet set = logitImages(logits, labels);
        ChannelStats identity = new ChannelStats(new double[] {0}, new double[] {1 / 255.0});
        try (NDManager m = NDManager.newBaseManager();
                BatchLoader loader =
                        new BatchLoader(
                                set,
                                identity,
                                Augmentation.none(),
                                new BatchLoader.Options(2, false, false, 1, 2, 0))) {
            EvalResult r =
                    Evaluator.evaluate(
                            TinyModels.identityLogits(6), new ParameterStore(m, false), loader, m);
            assertEquals(5, r.images());
            assertEquals(2.0 / 5, r.top1(), 1e-12);
            assertEquals(4.0 / 5, r.top5(), 1e-12);
            double loss = 0;
            for (int i = 0; i < logits.length; i++) {
                double lse = 0;
                for (int v : logits[i]) {
                    lse += Math.exp(v);
                }
                loss += Math.log(lse) - logits[i][labels[i]];
            }
            assertEquals(loss / 5, r.loss(), 1e-5);
            long[][] c = r.confusion();
            assertEquals(1, c[0][0]);
            assertEquals(1, c[4][0]);
            assertEquals(1, c[5][0]);
            assertEquals(1, c[1][1]);
            assertEquals(1, c[1][0], "a tie goes to the lower class index");
            double[] acc = r.perClassAccuracy();
            assertEquals(1.0, acc[0]);
            assertEquals(0.5, acc[1]);
            assertTrue(Double.isNaN(acc[2]), "absent class");
            assertEquals(0.0, acc[4]);
            assertEquals(
                    Map.of("a", 1.0, "b", 0.5, "e", 0.0, "f", 0.0), r.perClassAccuracyByName());
            String csv = r.confusionCsv();
            assertTrue(
                    csv.startsWith("true\\predicted,a,b,c,d,e,f\na,1,0,0,0,0,0\nb,1,1,0,0,0,0\n"),
                    csv);
            assertArrayEquals(new long[] {1, 0, 0, 0, 0, 0}, c[5]);
        }
    }
}
