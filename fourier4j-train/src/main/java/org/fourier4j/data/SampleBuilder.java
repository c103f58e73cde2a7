package org.fourier4j.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Cuts the {@link BundledSample} out of a full CIFAR-10 training set in the official binary format.
 *
 * <p>Usage: {@code SampleBuilder <cifar-10-batches-bin> <output-dir> [trainPerClass=400]
 * [valPerClass=100] [seed=20240601]}. The source's training split is its first {@code size - 5000}
 * records and the validation split its last 5,000 (as in every run on the full set); the sample
 * takes a class-balanced seeded random subset of each. It writes {@code data_batch_1.bin} and
 * {@code data_batch_2.bin} (the training records, halved), {@code test_batch.bin} (the validation
 * records), {@code batches.meta.txt}, {@code stats.json} and {@code selection.csv}.
 */
public final class SampleBuilder {

    /** The seed the committed sample was made with. */
    public static final long SEED = 20240601L;

    /** Validation records at the end of the full training set. */
    public static final int FULL_VAL_SIZE = 5000;

    private SampleBuilder() {}

    /**
     * Writes a sample.
     *
     * @param source the full CIFAR-10 training set (a directory of data_batch_*.bin)
     * @param out the output directory (created)
     * @param trainPerClass training images per class
     * @param valPerClass validation images per class
     * @param seed the seed
     * @throws IOException on a write error
     */
    public static void build(Path source, Path out, int trainPerClass, int valPerClass, long seed)
            throws IOException {
        CifarData full = CifarReader.read(source);
        if (full.format() != CifarFormat.CIFAR10 || full.train() == null) {
            throw new DataException(source + ": expected CIFAR-10 training batches");
        }
        DataSplit.Split split = DataSplit.tail(full.train(), FULL_VAL_SIZE);
        int trainSize = split.train().size();
        int[] trainIdx = DataSplit.balancedSample(split.train(), trainPerClass, seed);
        int[] valIdx = DataSplit.balancedSample(split.val(), valPerClass, seed + 1);
        ImageSet train = split.train().subset(trainIdx, "sample train");
        ImageSet val = split.val().subset(valIdx, "sample validation");
        Files.createDirectories(out);
        int half = train.size() / 2;
        write(out.resolve("data_batch_1.bin"), train.range(0, half, "part 1"));
        write(out.resolve("data_batch_2.bin"), train.range(half, train.size(), "part 2"));
        write(out.resolve("test_batch.bin"), val);
        Files.writeString(
                out.resolve("batches.meta.txt"),
                String.join("\n", train.classes()) + "\n",
                StandardCharsets.UTF_8);
        ChannelStats stats = ChannelStats.of(train);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("mean", stats.mean());
        json.put("std", stats.std());
        json.put("train_images", train.size());
        json.put("val_images", val.size());
        json.put("seed", seed);
        new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(out.resolve("stats.json").toFile(), json);
        try (PrintWriter w =
                new PrintWriter(Files.newBufferedWriter(out.resolve("selection.csv")))) {
            w.println("sample_file,sample_record,source_file,source_record,label");
            for (int i = 0; i < trainIdx.length; i++) {
                int global = trainIdx[i];
                w.printf(
                        "%s,%d,%s,%d,%d%n",
                        i < half ? "data_batch_1.bin" : "data_batch_2.bin",
                        i < half ? i : i - half,
                        "data_batch_" + (global / 10000 + 1) + ".bin",
                        global % 10000,
                        train.label(i));
            }
            for (int i = 0; i < valIdx.length; i++) {
                int global = trainSize + valIdx[i];
                w.printf(
                        "%s,%d,%s,%d,%d%n",
                        "test_batch.bin",
                        i,
                        "data_batch_" + (global / 10000 + 1) + ".bin",
                        global % 10000,
                        val.label(i));
            }
        }
    }

    private static void write(Path file, ImageSet set) throws IOException {
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(file))) {
            CifarReader.writeCifar10(os, set);
        }
    }

    /**
     * Command-line entry point.
     *
     * @param args source, output, [trainPerClass], [valPerClass], [seed]
     * @throws IOException on a write error
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println(
                    "usage: SampleBuilder <cifar-10-batches-bin> <output-dir> [trainPerClass=400]"
                            + " [valPerClass=100] [seed="
                            + SEED
                            + "]");
            System.exit(2);
        }
        int trainPer = args.length > 2 ? Integer.parseInt(args[2]) : BundledSample.TRAIN_PER_CLASS;
        int valPer = args.length > 3 ? Integer.parseInt(args[3]) : BundledSample.VAL_PER_CLASS;
        long seed = args.length > 4 ? Long.parseLong(args[4]) : SEED;
        build(Path.of(args[0]), Path.of(args[1]), trainPer, valPer, seed);
        System.out.println("wrote the sample to " + args[1]);
    }
}
