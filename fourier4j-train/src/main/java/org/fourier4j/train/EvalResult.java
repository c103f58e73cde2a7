package org.fourier4j.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluation of a model on labelled images.
 *
 * @param images images evaluated
 * @param loss mean cross-entropy (no label smoothing)
 * @param top1 share whose label is the highest logit
 * @param top5 share whose label is among the 5 highest logits (among all when fewer classes)
 * @param confusion {@code confusion[label][prediction]} counts
 * @param classes class names
 */
public record EvalResult(
        long images,
        double loss,
        double top1,
        double top5,
        long[][] confusion,
        List<String> classes) {

    /**
     * @return per class, the share of its images predicted correctly (NaN for an absent class)
     */
    public double[] perClassAccuracy() {
        double[] acc = new double[confusion.length];
        for (int c = 0; c < confusion.length; c++) {
            long total = 0;
            for (long v : confusion[c]) {
                total += v;
            }
            acc[c] = total == 0 ? Double.NaN : (double) confusion[c][c] / total;
        }
        return acc;
    }

    /**
     * @return class name to accuracy (absent classes omitted)
     */
    public Map<String, Double> perClassAccuracyByName() {
        Map<String, Double> m = new LinkedHashMap<>();
        double[] acc = perClassAccuracy();
        for (int c = 0; c < acc.length; c++) {
            if (!Double.isNaN(acc[c])) {
                m.put(classes.get(c), acc[c]);
            }
        }
        return m;
    }

    /**
     * @return the confusion matrix as CSV: a header of predicted classes, one row per true class
     */
    public String confusionCsv() {
        StringBuilder sb = new StringBuilder("true\\predicted");
        for (String c : classes) {
            sb.append(',').append(c);
        }
        sb.append('\n');
        for (int i = 0; i < confusion.length; i++) {
            sb.append(classes.get(i));
            for (long v : confusion[i]) {
                sb.append(',').append(v);
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
