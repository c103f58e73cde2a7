package org.fourier4j.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits and samples of an {@link ImageSet}: the validation split is taken out of the training data
 * (the official test sets are not used for tuning).
 */
public final class DataSplit {

    /**
     * A training part and a validation part.
     *
     * @param train training images
     * @param val validation images (may be null when there is no validation)
     * @param rule how the split was made, for the run's records
     */
    public record Split(ImageSet train, ImageSet val, String rule) {}

    private DataSplit() {}

    /**
     * The last {@code n} images become the validation set, the rest the training set. For the
     * shared CIFAR-10 training set ({@code data_batch_1..5.bin}, 50,000 records) {@code n = 5000}
     * is exactly the last 5,000 records of {@code data_batch_5.bin}: 45,000 train / 5,000 val.
     *
     * @param set the images
     * @param n validation images, in {@code [1, size)}
     * @return the split
     */
    public static Split tail(ImageSet set, int n) {
        if (n < 1 || n >= set.size()) {
            throw new DataException(
                    "validation tail of "
                            + n
                            + " images is not possible with "
                            + set.size()
                            + " images in "
                            + set.source());
        }
        int cut = set.size() - n;
        String rule = "last " + n + " of " + set.size() + " images of " + set.source();
        return new Split(
                set.range(0, cut, set.source() + " [0, " + cut + ")"),
                set.range(cut, set.size(), set.source() + " [" + cut + ", " + set.size() + ")"),
                rule);
    }

    /**
     * A seeded, class-stratified split: from each class, {@code round(fraction * count)} images (at
     * least one when the class has two or more) go to validation.
     *
     * @param set the images
     * @param fraction share of validation images, in (0, 1)
     * @param seed the seed
     * @return the split, each part in data set order
     */
    public static Split stratified(ImageSet set, double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new DataException("validation fraction must be in (0, 1), got " + fraction);
        }
        List<List<Integer>> byClass = byClass(set);
        boolean[] isVal = new boolean[set.size()];
        for (int c = 0; c < byClass.size(); c++) {
            List<Integer> idx = byClass.get(c);
            int take = (int) Math.round(fraction * idx.size());
            if (take == 0 && idx.size() >= 2) {
                take = 1;
            }
            take = Math.min(take, idx.size() - 1);
            int[] perm = Rngs.permutation(idx.size(), Rngs.random(seed, Rngs.SPLIT, c));
            for (int j = 0; j < take; j++) {
                isVal[idx.get(perm[j])] = true;
            }
        }
        int nVal = 0;
        for (boolean v : isVal) {
            nVal += v ? 1 : 0;
        }
        int[] tr = new int[set.size() - nVal];
        int[] va = new int[nVal];
        int a = 0;
        int b = 0;
        for (int i = 0; i < set.size(); i++) {
            if (isVal[i]) {
                va[b++] = i;
            } else {
                tr[a++] = i;
            }
        }
        String rule = "stratified " + fraction + " of " + set.source() + " (seed " + seed + ")";
        return new Split(
                set.subset(tr, set.source() + " (train part)"),
                set.subset(va, set.source() + " (validation part)"),
                rule);
    }

    /**
     * Indices of a class-balanced random sample: {@code perClass} images of every class, chosen and
     * ordered by the seed.
     *
     * @param set the images
     * @param perClass images per class
     * @param seed the seed
     * @return indices into {@code set}, shuffled
     */
    public static int[] balancedSample(ImageSet set, int perClass, long seed) {
        List<List<Integer>> byClass = byClass(set);
        int[] out = new int[perClass * byClass.size()];
        int k = 0;
        for (int c = 0; c < byClass.size(); c++) {
            List<Integer> idx = byClass.get(c);
            if (idx.size() < perClass) {
                throw new DataException(
                        set.source()
                                + " has "
                                + idx.size()
                                + " images of class "
                                + set.classes().get(c)
                                + ", fewer than "
                                + perClass);
            }
            int[] perm = Rngs.permutation(idx.size(), Rngs.random(seed, Rngs.SPLIT, c));
            for (int j = 0; j < perClass; j++) {
                out[k++] = idx.get(perm[j]);
            }
        }
        int[] shuffle = Rngs.permutation(out.length, Rngs.random(seed, Rngs.SPLIT, -1));
        int[] result = new int[out.length];
        for (int i = 0; i < out.length; i++) {
            result[i] = out[shuffle[i]];
        }
        return result;
    }

    private static List<List<Integer>> byClass(ImageSet set) {
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < set.numClasses(); c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < set.size(); i++) {
            byClass.get(set.label(i)).add(i);
        }
        return byClass;
    }
}
