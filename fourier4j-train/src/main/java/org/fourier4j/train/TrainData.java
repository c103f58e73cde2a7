package org.fourier4j.train;

import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import org.fourier4j.data.BundledSample;
import org.fourier4j.data.ChannelStats;
import org.fourier4j.data.CifarData;
import org.fourier4j.data.CifarFormat;
import org.fourier4j.data.CifarReader;
import org.fourier4j.data.DataException;
import org.fourier4j.data.DataSplit;
import org.fourier4j.data.ImageFolderReader;
import org.fourier4j.data.ImageSet;

/**
 * The data of a run: training and validation images and the normalisation.
 *
 * <p>{@code dataset_path} selects the source: {@code bundled:cifar10-sample} (the sample in the
 * jar), a CIFAR-10/100 directory, batch file or {@code .tar.gz}, or an image folder (resized to the
 * model's input size). {@code val_split} selects the validation images: {@code auto} is the
 * sample's own validation part for the sample, {@code tail:5000} for CIFAR (for the shared CIFAR-10
 * set: the last 5,000 records of {@code data_batch_5.bin}; {@code fraction:0.1} if the training
 * part has 5,000 images or fewer), {@code val_path} if set, else {@code fraction:0.1} for image
 * folders; {@code test} uses the CIFAR test batch (not available for the bundled sample, whose
 * {@code test_batch.bin} is its validation part); {@code none} disables validation.
 *
 * @param train training images
 * @param val validation images, or null
 * @param stats normalisation
 * @param splitRule how the validation images were chosen
 */
public record TrainData(ImageSet train, ImageSet val, ChannelStats stats, String splitRule) {

    /**
     * Loads the data a configuration names.
     *
     * @param config {@code dataset_path}, {@code val_split}, {@code val_path}, {@code
     *     cifar100_labels}, {@code normalize_mean/std}, {@code num_workers}, {@code seed}
     * @param modelInput the model's {@code (C, H, W)} (image folders are resized to it)
     * @return the data
     * @throws DataException on missing or bad data
     */
    public static TrainData load(TrainConfig config, Shape modelInput) {
        String path = config.getString("dataset_path");
        String split = config.getString("val_split");
        long seed = config.getLong("seed");
        ImageSet all;
        ImageSet test = null;
        ImageSet presetVal = null;
        String presetRule = null;
        ChannelStats presetStats = null;
        if (path.equals(BundledSample.DATASET_PATH)) {
            CifarData d = BundledSample.load();
            all = d.train();
            presetVal = d.test();
            presetRule = "the bundled sample's validation part (test_batch.bin of the sample)";
            presetStats = BundledSample.stats();
            // the sample's test_batch.bin holds its validation part, not CIFAR-10's test set:
            // val_split test is refused below rather than passing validation data off as test data
        } else {
            Path p = Path.of(path);
            if (!Files.exists(p)) {
                throw new DataException("dataset_path " + path + " does not exist");
            }
            if (CifarReader.looksLikeCifar(p)) {
                CifarFormat.Labels labels =
                        config.getString("cifar100_labels").equals("coarse")
                                ? CifarFormat.Labels.COARSE
                                : CifarFormat.Labels.FINE;
                CifarData d = CifarReader.read(p, labels);
                if (d.train() == null) {
                    throw new DataException(
                            "dataset_path "
                                    + path
                                    + " has no training batches (data_batch_*.bin"
                                    + " or train.bin)");
                }
                all = d.train();
                test = d.test();
            } else if (ImageFolderReader.looksLikeImageFolder(p)) {
                int h = (int) modelInput.get(1);
                int w = (int) modelInput.get(2);
                int threads = Math.max(1, config.getInt("num_workers"));
                all = ImageFolderReader.read(p, h, w, threads);
                if (config.isSet("val_path")) {
                    presetVal =
                            ImageFolderReader.read(
                                    Path.of(config.getString("val_path")),
                                    h,
                                    w,
                                    threads,
                                    all.classes());
                    presetRule = "the image folder val_path " + config.getString("val_path");
                }
            } else {
                throw new DataException(
                        "dataset_path "
                                + path
                                + " is neither CIFAR data (data_batch_*.bin,"
                                + " train.bin, a .tar.gz) nor an image folder (one sub-folder per"
                                + " class)");
            }
        }
        DataSplit.Split s;
        switch (split) {
            case "none" -> s = new DataSplit.Split(all, null, "no validation");
            case "test" -> {
                if (path.equals(BundledSample.DATASET_PATH)) {
                    throw new DataException(
                            "val_split test: the bundled sample has no test set (its"
                                    + " test_batch.bin is the sample's validation part, which"
                                    + " val_split auto uses); give a CIFAR dataset_path with the"
                                    + " official test_batch.bin or test.bin");
                }
                if (test == null) {
                    throw new DataException(
                            "val_split test: "
                                    + path
                                    + " has no test batch (test_batch.bin or"
                                    + " test.bin)");
                }
                s = new DataSplit.Split(all, test, "the test batch of " + path);
            }
            case "auto" -> {
                if (presetVal != null) {
                    s = new DataSplit.Split(all, presetVal, presetRule);
                } else if (CifarReader.looksLikeCifar(Path.of(path)) && all.size() > 5000) {
                    s = DataSplit.tail(all, 5000);
                } else {
                    s = DataSplit.stratified(all, 0.1, seed);
                }
            }
            default -> {
                if (split.startsWith("tail:")) {
                    s = DataSplit.tail(all, Integer.parseInt(split.substring(5)));
                } else {
                    s = DataSplit.stratified(all, Double.parseDouble(split.substring(9)), seed);
                }
            }
        }
        ChannelStats stats;
        if (config.isSet("normalize_mean") || config.isSet("normalize_std")) {
            double[] mean = config.getDoubles("normalize_mean");
            double[] std = config.getDoubles("normalize_std");
            if (mean == null || std == null) {
                throw new ConfigException("normalize_mean and normalize_std must be set together");
            }
            if (mean.length != all.channels() || std.length != all.channels()) {
                throw new ConfigException(
                        "normalize_mean and normalize_std need "
                                + all.channels()
                                + " values (one per channel), got "
                                + mean.length
                                + " and "
                                + std.length);
            }
            try {
                stats = new ChannelStats(mean, std);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("normalize_std: " + e.getMessage());
            }
        } else if (presetStats != null && s.train() == all) {
            stats = presetStats;
        } else {
            stats = ChannelStats.of(s.train());
        }
        return new TrainData(s.train(), s.val(), stats, s.rule());
    }

    /**
     * A CRC-32 of an image set's labels and pixels, stored in checkpoints so that a resumed run can
     * tell whether it sees the same data.
     *
     * @param set the images (null gives 0)
     * @return the checksum
     */
    public static long fingerprint(ImageSet set) {
        if (set == null) {
            return 0;
        }
        CRC32 crc = new CRC32();
        for (int i = 0; i < set.size(); i++) {
            crc.update(set.label(i));
            crc.update(set.image(i));
        }
        return crc.getValue() ^ ((long) set.size() << 32);
    }
}
