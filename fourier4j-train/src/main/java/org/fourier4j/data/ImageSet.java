package org.fourier4j.data;

import java.util.Arrays;
import java.util.List;

/**
 * Labelled images held in memory as 8-bit channel-first pixels: image {@code i} is a {@code byte[C
 * * H * W]} laid out as CIFAR stores it (all of channel 0 row by row, then channel 1, ...), with an
 * integer label in {@code [0, classes.size())}.
 *
 * <p>The arrays returned by {@link #image(int)} are the stored ones and must not be modified; every
 * augmentation works on copies.
 */
public final class ImageSet {

    private final int channels;
    private final int height;
    private final int width;
    private final byte[][] images;
    private final int[] labels;
    private final List<String> classes;
    private final String source;

    /**
     * @param channels channels per image
     * @param height rows
     * @param width columns
     * @param images one {@code byte[channels*height*width]} per image, channel-first
     * @param labels one label per image, each in {@code [0, classes.size())}
     * @param classes class names in label order
     * @param source where the images came from, for messages
     * @throws DataException if a label is out of range or an image has the wrong length
     */
    public ImageSet(
            int channels,
            int height,
            int width,
            byte[][] images,
            int[] labels,
            List<String> classes,
            String source) {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException(
                    "image shape must be positive, got ("
                            + channels
                            + ", "
                            + height
                            + ", "
                            + width
                            + ")");
        }
        if (images.length != labels.length) {
            throw new IllegalArgumentException(
                    images.length + " images but " + labels.length + " labels in " + source);
        }
        if (classes.isEmpty()) {
            throw new DataException("no classes in " + source);
        }
        int len = channels * height * width;
        for (int i = 0; i < images.length; i++) {
            if (images[i].length != len) {
                throw new IllegalArgumentException(
                        "image "
                                + i
                                + " of "
                                + source
                                + " has "
                                + images[i].length
                                + " bytes, expected "
                                + len);
            }
            if (labels[i] < 0 || labels[i] >= classes.size()) {
                throw new DataException(
                        source
                                + ": image "
                                + i
                                + " has label "
                                + labels[i]
                                + ", labels must be in 0.."
                                + (classes.size() - 1));
            }
        }
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.images = images;
        this.labels = labels;
        this.classes = List.copyOf(classes);
        this.source = source;
    }

    /**
     * @return the number of images
     */
    public int size() {
        return images.length;
    }

    /**
     * @return channels per image
     */
    public int channels() {
        return channels;
    }

    /**
     * @return rows per image
     */
    public int height() {
        return height;
    }

    /**
     * @return columns per image
     */
    public int width() {
        return width;
    }

    /**
     * @return bytes per image, {@code channels * height * width}
     */
    public int imageBytes() {
        return channels * height * width;
    }

    /**
     * @param i index
     * @return the stored pixels of image {@code i} (do not modify)
     */
    public byte[] image(int i) {
        return images[i];
    }

    /**
     * @param i index
     * @return the label of image {@code i}
     */
    public int label(int i) {
        return labels[i];
    }

    /**
     * @return a copy of all labels
     */
    public int[] labels() {
        return labels.clone();
    }

    /**
     * @return class names in label order
     */
    public List<String> classes() {
        return classes;
    }

    /**
     * @return the number of classes
     */
    public int numClasses() {
        return classes.size();
    }

    /**
     * @return where the images came from
     */
    public String source() {
        return source;
    }

    /**
     * The images at the given indices, in that order (the pixel arrays are shared, not copied).
     *
     * @param indices indices into this set
     * @param description the new set's source description
     * @return the subset
     */
    public ImageSet subset(int[] indices, String description) {
        byte[][] im = new byte[indices.length][];
        int[] lb = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            im[i] = images[indices[i]];
            lb[i] = labels[indices[i]];
        }
        return new ImageSet(channels, height, width, im, lb, classes, description);
    }

    /**
     * The images {@code from} (inclusive) to {@code to} (exclusive).
     *
     * @param from first index
     * @param to end index
     * @param description the new set's source description
     * @return the range
     */
    public ImageSet range(int from, int to, String description) {
        if (from < 0 || to > size() || from > to) {
            throw new IllegalArgumentException(
                    "range [" + from + ", " + to + ") outside 0.." + size() + " of " + source);
        }
        int[] idx = new int[to - from];
        Arrays.setAll(idx, i -> from + i);
        return subset(idx, description);
    }

    /**
     * Concatenates sets of the same image shape and classes.
     *
     * @param parts the sets, at least one
     * @param description the new set's source description
     * @return all images of all parts, in order
     */
    public static ImageSet concat(List<ImageSet> parts, String description) {
        ImageSet first = parts.get(0);
        int n = 0;
        for (ImageSet p : parts) {
            if (p.channels != first.channels
                    || p.height != first.height
                    || p.width != first.width
                    || !p.classes.equals(first.classes)) {
                throw new IllegalArgumentException(
                        "cannot concatenate " + p.source + " with " + first.source);
            }
            n += p.size();
        }
        byte[][] im = new byte[n][];
        int[] lb = new int[n];
        int k = 0;
        for (ImageSet p : parts) {
            System.arraycopy(p.images, 0, im, k, p.size());
            System.arraycopy(p.labels, 0, lb, k, p.size());
            k += p.size();
        }
        return new ImageSet(
                first.channels, first.height, first.width, im, lb, first.classes, description);
    }

    /**
     * @return the number of images of each class
     */
    public int[] classCounts() {
        int[] c = new int[numClasses()];
        for (int l : labels) {
            c[l]++;
        }
        return c;
    }

    @Override
    public String toString() {
        return source
                + " ("
                + size()
                + " images "
                + channels
                + "x"
                + height
                + "x"
                + width
                + ", "
                + numClasses()
                + " classes)";
    }
}
