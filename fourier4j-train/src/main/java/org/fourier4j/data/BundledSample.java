package org.fourier4j.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A small real CIFAR-10 sample shipped inside the jar, so that a fresh clone can train something
 * real without downloading anything: 4,000 training images (400 per class) and 1,000 validation
 * images (100 per class), in the official CIFAR-10 binary format.
 *
 * <p>It was cut from the shared CIFAR-10 training set by {@link SampleBuilder} (seed 20240601): the
 * training part from that set's training split (the first 45,000 records), the validation part from
 * its validation split (the last 5,000 records of {@code data_batch_5.bin}), so the sample's
 * validation images are never training images of a full run either. Files ({@code
 * src/main/resources/org/fourier4j/data/cifar10-sample/}): {@code data_batch_1.bin}, {@code
 * data_batch_2.bin} (2,000 training records each), {@code test_batch.bin} (the 1,000 validation
 * records), {@code batches.meta.txt}, {@code stats.json} (per-channel mean/std of the 4,000
 * training images), {@code selection.csv} (which shared record each sample record is).
 */
public final class BundledSample {

    /** The value of {@code dataset_path} that selects the sample. */
    public static final String DATASET_PATH = "bundled:cifar10-sample";

    /** Training images per class. */
    public static final int TRAIN_PER_CLASS = 400;

    /** Validation images per class. */
    public static final int VAL_PER_CLASS = 100;

    private static final String DIR = "/org/fourier4j/data/cifar10-sample/";
    private static final List<String> TRAIN_FILES = List.of("data_batch_1.bin", "data_batch_2.bin");
    private static final String VAL_FILE = "test_batch.bin";

    private BundledSample() {}

    /**
     * Reads the sample from the class path.
     *
     * @return training part as {@code train}, validation part as {@code test}
     */
    public static CifarData load() {
        List<String> classes =
                CifarReader.parseClassNames(
                        text("batches.meta.txt"),
                        DIR + "batches.meta.txt",
                        CifarFormat.CIFAR10,
                        CifarFormat.Labels.FINE);
        List<ImageSet> parts = TRAIN_FILES.stream().map(f -> batch(f, classes)).toList();
        ImageSet train = ImageSet.concat(parts, DATASET_PATH + " (train)");
        ImageSet val = batch(VAL_FILE, classes);
        return new CifarData(CifarFormat.CIFAR10, train, val);
    }

    /**
     * The per-channel statistics of the sample's training images, as stored with it.
     *
     * @return mean and std
     */
    public static ChannelStats stats() {
        try {
            JsonNode n = new ObjectMapper().readTree(text("stats.json"));
            double[] mean = new double[3];
            double[] std = new double[3];
            for (int c = 0; c < 3; c++) {
                mean[c] = n.get("mean").get(c).asDouble();
                std[c] = n.get("std").get(c).asDouble();
            }
            return new ChannelStats(mean, std);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + DIR + "stats.json", e);
        }
    }

    private static ImageSet batch(String file, List<String> classes) {
        byte[] bytes = bytes(file);
        try {
            return CifarReader.readBatch(
                    new java.io.ByteArrayInputStream(bytes),
                    bytes.length,
                    DIR + file,
                    CifarFormat.CIFAR10,
                    CifarFormat.Labels.FINE,
                    classes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(String file) {
        return new String(bytes(file), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String file) {
        try (InputStream in = BundledSample.class.getResourceAsStream(DIR + file)) {
            if (in == null) {
                throw new DataException(
                        "the bundled sample is missing from the class path: " + DIR + file);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + DIR + file, e);
        }
    }
}
