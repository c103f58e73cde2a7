package org.fourier4j.train;

import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;
import org.fourier4j.data.BundledSample;
import org.fourier4j.data.ChannelStats;
import org.fourier4j.data.CifarData;
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
     * @param config its data section and seed
     * @param modelInput the model's {@code (C, H, W)} (image folders are resized to it)
     * @return the data
     * @throws DataException on missing or bad data
     */
    public static TrainData load(TrainConfig config, Shape modelInput) {
        DataSection cfg = config.data();
        String path = cfg.datasetPath();
        ValSplit split = cfg.valSplit();
        long seed = config.run().seed();
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
                CifarData d = CifarReader.read(p, cfg.cifar100Labels());
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
                int threads = Math.max(1, cfg.numWorkers());
                all = ImageFolderReader.read(p, h, w, threads);
                if (cfg.valPath() != null) {
                    presetVal =
                            ImageFolderReader.read(
                                    Path.of(cfg.valPath()), h, w, threads, all.classes());
                    presetRule = "the image folder val_path " + cfg.valPath();
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
        switch (split.kind()) {
            case NONE -> s = new DataSplit.Split(all, null, "no validation");
            case TEST -> {
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
            case AUTO -> {
                if (presetVal != null) {
                    s = new DataSplit.Split(all, presetVal, presetRule);
                } else if (CifarReader.looksLikeCifar(Path.of(path)) && all.size() > 5000) {
                    s = DataSplit.tail(all, 5000);
                } else {
                    s = DataSplit.stratified(all, 0.1, seed);
                }
            }
            case TAIL -> s = DataSplit.tail(all, split.count());
            default -> s = DataSplit.stratified(all, split.fraction(), seed);
        }
        ChannelStats stats;
        if (cfg.normalizeMean() != null || cfg.normalizeStd() != null) {
            double[] mean = doubles(cfg.normalizeMean());
            double[] std = doubles(cfg.normalizeStd());
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

    private static double[] doubles(List<Double> values) {
        return values == null ? null : values.stream().mapToDouble(Double::doubleValue).toArray();
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
