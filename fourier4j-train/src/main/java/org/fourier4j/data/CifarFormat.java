package org.fourier4j.data;

import java.util.ArrayList;
import java.util.List;

/**
 * The two official CIFAR binary formats. A CIFAR-10 record is 1 label byte followed by 3,072 pixel
 * bytes (1,024 red, 1,024 green, 1,024 blue, row-major 32x32); a CIFAR-100 record has 2 label bytes
 * (coarse 0-19, then fine 0-99) before the same pixels.
 */
public enum CifarFormat {
    /** 10 classes, files {@code data_batch_1.bin .. data_batch_5.bin}, {@code test_batch.bin}. */
    CIFAR10("CIFAR-10", 1, 10, 10),
    /** 100 fine / 20 coarse classes, files {@code train.bin}, {@code test.bin}. */
    CIFAR100("CIFAR-100", 2, 100, 20);

    /** Side of a CIFAR image. */
    public static final int SIZE = 32;

    /** Pixel bytes per record. */
    public static final int PIXEL_BYTES = 3 * SIZE * SIZE;

    /** Which label of a CIFAR-100 record to use. */
    public enum Labels {
        /** The 100 fine classes (the usual CIFAR-100 task). */
        FINE,
        /** The 20 super-classes. */
        COARSE
    }

    private static final List<String> CIFAR10_CLASSES =
            List.of(
                    "airplane",
                    "automobile",
                    "bird",
                    "cat",
                    "deer",
                    "dog",
                    "frog",
                    "horse",
                    "ship",
                    "truck");

    private final String displayName;
    private final int labelBytes;
    private final int fineClasses;
    private final int coarseClasses;

    CifarFormat(String displayName, int labelBytes, int fineClasses, int coarseClasses) {
        this.displayName = displayName;
        this.labelBytes = labelBytes;
        this.fineClasses = fineClasses;
        this.coarseClasses = coarseClasses;
    }

    /**
     * @return "CIFAR-10" or "CIFAR-100"
     */
    public String displayName() {
        return displayName;
    }

    /**
     * @return label bytes per record
     */
    public int labelBytes() {
        return labelBytes;
    }

    /**
     * @return bytes per record: 3,073 (CIFAR-10) or 3,074 (CIFAR-100)
     */
    public int recordBytes() {
        return labelBytes + PIXEL_BYTES;
    }

    /**
     * @param labels which labels (ignored for CIFAR-10)
     * @return the number of classes
     */
    public int numClasses(Labels labels) {
        return this == CIFAR100 && labels == Labels.COARSE ? coarseClasses : fineClasses;
    }

    /**
     * Class names used when the archive has no names file.
     *
     * @param labels which labels
     * @return names in label order
     */
    public List<String> defaultClassNames(Labels labels) {
        if (this == CIFAR10) {
            return CIFAR10_CLASSES;
        }
        int n = numClasses(labels);
        List<String> names = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            names.add(String.format("%s_%02d", labels == Labels.COARSE ? "coarse" : "fine", i));
        }
        return names;
    }

    /**
     * @param labels which labels
     * @return the name of the file listing the class names
     */
    public String classNamesFile(Labels labels) {
        if (this == CIFAR10) {
            return "batches.meta.txt";
        }
        return labels == Labels.COARSE ? "coarse_label_names.txt" : "fine_label_names.txt";
    }

    @Override
    public String toString() {
        return displayName;
    }
}
