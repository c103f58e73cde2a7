package org.fourier4j.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Reads CIFAR-10 and CIFAR-100 in the official binary format, from a directory of batch files
 * ({@code data_batch_1.bin .. data_batch_5.bin}, {@code test_batch.bin}, or {@code train.bin},
 * {@code test.bin}), from a single batch file, or straight out of the official {@code .tar.gz}
 * archive without unpacking it to disk.
 *
 * <p>Every file is checked: its size must be a whole number of records, every label must be in
 * range, the class-names file must list one name per class. A violation throws a {@link
 * DataException} naming the file and the value.
 */
public final class CifarReader {

    private static final Pattern CIFAR10_TRAIN = Pattern.compile("data_batch_(\\d{1,9})\\.bin");
    private static final String CIFAR10_TEST = "test_batch.bin";
    private static final String CIFAR100_TRAIN = "train.bin";
    private static final String CIFAR100_TEST = "test.bin";
    private static final List<String> SUBFOLDERS =
            List.of("cifar-10-batches-bin", "cifar-100-binary");
    private static final List<String> ARCHIVES =
            List.of("cifar-10-binary.tar.gz", "cifar-100-binary.tar.gz");

    private CifarReader() {}

    /**
     * Reads a CIFAR data set with the fine CIFAR-100 labels.
     *
     * @param path a directory, a batch file or a {@code .tar.gz} archive
     * @return the training and test images that are present
     * @throws DataException on a missing path or bad content
     */
    public static CifarData read(Path path) {
        return read(path, CifarFormat.Labels.FINE);
    }

    /**
     * Reads a CIFAR data set.
     *
     * @param path a directory, a batch file or a {@code .tar.gz} archive
     * @param labels which CIFAR-100 labels to use (ignored for CIFAR-10)
     * @return the training and test images that are present
     * @throws DataException on a missing path or bad content
     */
    public static CifarData read(Path path, CifarFormat.Labels labels) {
        if (!Files.exists(path)) {
            throw new DataException("CIFAR data not found: " + path + " does not exist");
        }
        try {
            if (Files.isDirectory(path)) {
                return readDirectory(path, labels);
            }
            String name = path.getFileName().toString();
            if (name.endsWith(".tar.gz") || name.endsWith(".tgz")) {
                return readArchive(path, labels);
            }
            return readSingleFile(path, labels);
        } catch (IOException e) {
            throw new DataException("cannot read CIFAR data " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Tells whether a directory or file looks like CIFAR data (by file names only).
     *
     * @param path a path
     * @return true if {@link #read(Path)} would find batch files there
     */
    public static boolean looksLikeCifar(Path path) {
        if (Files.isRegularFile(path)) {
            String n = path.getFileName().toString();
            return n.endsWith(".tar.gz") || n.endsWith(".tgz") || formatOf(n) != null;
        }
        if (!Files.isDirectory(path)) {
            return false;
        }
        try (Stream<Path> s = Files.list(path)) {
            return s.anyMatch(
                    p -> {
                        String n = p.getFileName().toString();
                        return formatOf(n) != null
                                || (SUBFOLDERS.contains(n) && Files.isDirectory(p))
                                || ARCHIVES.contains(n);
                    });
        } catch (IOException e) {
            return false;
        }
    }

    private static CifarFormat formatOf(String fileName) {
        if (CIFAR10_TRAIN.matcher(fileName).matches() || fileName.equals(CIFAR10_TEST)) {
            return CifarFormat.CIFAR10;
        }
        if (fileName.equals(CIFAR100_TRAIN) || fileName.equals(CIFAR100_TEST)) {
            return CifarFormat.CIFAR100;
        }
        return null;
    }

    /** Collects the pieces of a data set found in a directory or archive. */
    private static final class Collector {
        final String where;
        final CifarFormat.Labels labels;
        CifarFormat format;
        final TreeMap<Integer, RawBatch> trainBatches = new TreeMap<>();
        RawBatch test;
        final Map<String, String> textFiles = new HashMap<>();

        Collector(String where, CifarFormat.Labels labels) {
            this.where = where;
            this.labels = labels;
        }

        boolean wants(String fileName) {
            return formatOf(fileName) != null
                    || fileName.equals("batches.meta.txt")
                    || fileName.equals("fine_label_names.txt")
                    || fileName.equals("coarse_label_names.txt");
        }

        void add(String fileName, String displayName, long size, InputStream in)
                throws IOException {
            CifarFormat f = formatOf(fileName);
            if (f == null) {
                if (wants(fileName)) {
                    textFiles.put(fileName, readText(in, size, displayName));
                }
                return;
            }
            if (format != null && format != f) {
                throw new DataException(
                        where
                                + " mixes "
                                + format
                                + " and "
                                + f
                                + " batch files ("
                                + displayName
                                + ")");
            }
            format = f;
            RawBatch batch = readRecords(in, size, displayName, f, labels);
            Matcher m = CIFAR10_TRAIN.matcher(fileName);
            if (m.matches()) {
                trainBatches.put(Integer.parseInt(m.group(1)), batch);
            } else if (fileName.equals(CIFAR100_TRAIN)) {
                trainBatches.put(1, batch);
            } else {
                test = batch;
            }
        }

        CifarData build() {
            if (format == null) {
                throw new DataException(
                        "no CIFAR batch files in "
                                + where
                                + ": expected data_batch_1.bin .. data_batch_5.bin and/or"
                                + " test_batch.bin (CIFAR-10), or train.bin and/or test.bin"
                                + " (CIFAR-100)");
            }
            String namesFile = format.classNamesFile(labels);
            List<String> classes =
                    textFiles.containsKey(namesFile)
                            ? parseClassNames(
                                    textFiles.get(namesFile),
                                    where + "/" + namesFile,
                                    format,
                                    labels)
                            : format.defaultClassNames(labels);
            ImageSet train = null;
            if (!trainBatches.isEmpty()) {
                List<ImageSet> parts = new ArrayList<>();
                for (RawBatch b : trainBatches.values()) {
                    parts.add(b.toImageSet(classes));
                }
                train =
                        parts.size() == 1
                                ? parts.get(0)
                                : ImageSet.concat(parts, where + " (training batches)");
            }
            ImageSet testSet = test == null ? null : test.toImageSet(classes);
            return new CifarData(format, train, testSet);
        }
    }

    private static CifarData readDirectory(Path dir, CifarFormat.Labels labels) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.sorted(Comparator.comparing(Path::toString)).toList();
        }
        Collector c = new Collector(dir.toString(), labels);
        boolean any = false;
        for (Path f : files) {
            String n = f.getFileName().toString();
            if (Files.isRegularFile(f) && c.wants(n)) {
                any |= formatOf(n) != null;
                try (InputStream in = Files.newInputStream(f)) {
                    c.add(n, f.toString(), Files.size(f), in);
                }
            }
        }
        if (!any) {
            for (String sub : SUBFOLDERS) {
                if (Files.isDirectory(dir.resolve(sub))) {
                    return readDirectory(dir.resolve(sub), labels);
                }
            }
            for (String archive : ARCHIVES) {
                if (Files.isRegularFile(dir.resolve(archive))) {
                    return readArchive(dir.resolve(archive), labels);
                }
            }
        }
        return c.build();
    }

    private static CifarData readSingleFile(Path file, CifarFormat.Labels labels)
            throws IOException {
        String n = file.getFileName().toString();
        if (formatOf(n) == null) {
            throw new DataException(
                    file
                            + ": not a CIFAR batch file name (expected data_batch_N.bin,"
                            + " test_batch.bin, train.bin, test.bin or a .tar.gz archive)");
        }
        Collector c = new Collector(file.toString(), labels);
        try (InputStream in = Files.newInputStream(file)) {
            c.add(n, file.toString(), Files.size(file), in);
        }
        return c.build();
    }

    private static CifarData readArchive(Path archive, CifarFormat.Labels labels)
            throws IOException {
        Collector c = new Collector(archive.toString(), labels);
        InputStream raw = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
        try (raw) {
            GzipCompressorInputStream gz;
            try {
                gz = new GzipCompressorInputStream(raw);
            } catch (IOException e) {
                throw new DataException(
                        archive + ": not a gzip-compressed tar archive (" + e.getMessage() + ")",
                        e);
            }
            try (TarArchiveInputStream tar = new TarArchiveInputStream(gz)) {
                TarArchiveEntry e;
                while ((e = tar.getNextEntry()) != null) {
                    if (!e.isFile()) {
                        continue;
                    }
                    String base = e.getName().substring(e.getName().lastIndexOf('/') + 1);
                    if (c.wants(base)) {
                        c.add(base, archive + "!" + e.getName(), e.getSize(), tar);
                    }
                }
            }
        } catch (DataException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new DataException(
                    archive
                            + ": corrupt or truncated .tar.gz archive ("
                            + (e.getMessage() != null ? e.getMessage() : e.toString())
                            + ")",
                    e);
        }
        return c.build();
    }

    /** The largest class-names file read: 100 names fit in a few kilobytes. */
    static final int MAX_TEXT_BYTES = 1 << 20;

    private static String readText(InputStream in, long size, String name) throws IOException {
        if (size > MAX_TEXT_BYTES) {
            throw new DataException(
                    name
                            + ": "
                            + size
                            + " bytes is too large for a class-names file (at most "
                            + MAX_TEXT_BYTES
                            + ")");
        }
        byte[] b = in.readNBytes(MAX_TEXT_BYTES + 1);
        if (b.length > MAX_TEXT_BYTES) {
            throw new DataException(
                    name + ": too large for a class-names file (at most " + MAX_TEXT_BYTES + ")");
        }
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Records of one batch file before class names are attached. */
    private record RawBatch(String name, byte[][] images, int[] labels) {
        ImageSet toImageSet(List<String> classes) {
            return new ImageSet(
                    3, CifarFormat.SIZE, CifarFormat.SIZE, images, labels, classes, name);
        }
    }

    private static RawBatch readRecords(
            InputStream in, long size, String name, CifarFormat f, CifarFormat.Labels labels)
            throws IOException {
        int rb = f.recordBytes();
        if (size <= 0) {
            throw new DataException(name + ": empty file, expected " + f + " records");
        }
        if (size % rb != 0) {
            throw new DataException(
                    String.format(
                            "%s: size %d bytes is not a whole number of %s records of %d bytes"
                                    + " (%d records and %d bytes left over): the file is"
                                    + " truncated or not a %s batch",
                            name, size, f, rb, size / rb, size % rb, f));
        }
        if (size / rb > Integer.MAX_VALUE) {
            throw new DataException(name + ": too many records (" + size / rb + ")");
        }
        // the count comes from a size the file (or an archive's header) claims: the arrays grow
        // with the records actually read, so a claim beyond the data is a truncation error, not an
        // allocation of the claimed size
        int n = (int) (size / rb);
        int[] limits = f == CifarFormat.CIFAR10 ? new int[] {10} : new int[] {20, 100};
        String[] what =
                f == CifarFormat.CIFAR10
                        ? new String[] {"label"}
                        : new String[] {"coarse label", "fine label"};
        int labelIndex = f == CifarFormat.CIFAR100 && labels == CifarFormat.Labels.FINE ? 1 : 0;
        List<byte[]> images = new ArrayList<>(Math.min(n, 1 << 12));
        int[] lab = new int[Math.min(n, 1 << 12)];
        byte[] head = new byte[f.labelBytes()];
        DataInputStream din = new DataInputStream(new BufferedInputStream(in, 1 << 20));
        for (int i = 0; i < n; i++) {
            byte[] px = new byte[CifarFormat.PIXEL_BYTES];
            din.readFully(head);
            din.readFully(px);
            images.add(px);
            if (i == lab.length) {
                lab = Arrays.copyOf(lab, Math.min(n, 2 * lab.length));
            }
            for (int b = 0; b < head.length; b++) {
                int v = head[b] & 0xFF;
                if (v >= limits[b]) {
                    throw new DataException(
                            String.format(
                                    "%s: record %d (byte offset %d) has %s %d; %s %ss are 0..%d",
                                    name,
                                    i,
                                    (long) i * rb + b,
                                    what[b],
                                    v,
                                    f,
                                    what[b],
                                    limits[b] - 1));
                }
            }
            lab[i] = head[labelIndex] & 0xFF;
        }
        return new RawBatch(name, images.toArray(new byte[0][]), lab);
    }

    /**
     * Parses a class-names file: one name per non-empty line.
     *
     * @param text file content
     * @param name file name for messages
     * @param f format
     * @param labels which labels
     * @return the names
     */
    static List<String> parseClassNames(
            String text, String name, CifarFormat f, CifarFormat.Labels labels) {
        List<String> names = new ArrayList<>();
        for (String line : text.split("\\R")) {
            if (!line.isBlank()) {
                names.add(line.strip());
            }
        }
        if (names.size() != f.numClasses(labels)) {
            throw new DataException(
                    name
                            + ": lists "
                            + names.size()
                            + " class names, "
                            + f
                            + " has "
                            + f.numClasses(labels));
        }
        return names;
    }

    /**
     * Reads one batch file of a known format from a stream (for example a class-path resource).
     *
     * @param in the records
     * @param size the number of bytes in the stream
     * @param name a name for messages
     * @param f the format
     * @param labels which CIFAR-100 labels
     * @param classes class names
     * @return the images
     * @throws IOException on a read error
     */
    public static ImageSet readBatch(
            InputStream in,
            long size,
            String name,
            CifarFormat f,
            CifarFormat.Labels labels,
            List<String> classes)
            throws IOException {
        if (classes.size() != f.numClasses(labels)) {
            throw new IllegalArgumentException(
                    classes.size() + " class names for " + f + " with " + f.numClasses(labels));
        }
        return readRecords(in, size, name, f, labels).toImageSet(classes);
    }

    /**
     * Writes images as CIFAR-10 records (1 label byte, then the 3,072 pixel bytes).
     *
     * @param out destination
     * @param set 3x32x32 images with labels below 256
     * @throws IOException on a write error
     */
    public static void writeCifar10(OutputStream out, ImageSet set) throws IOException {
        checkWritable(set);
        for (int i = 0; i < set.size(); i++) {
            out.write(set.label(i));
            out.write(set.image(i));
        }
    }

    /**
     * Writes images as CIFAR-100 records (coarse label byte, fine label byte, pixels).
     *
     * @param out destination
     * @param set 3x32x32 images whose labels are the fine labels
     * @param coarse the coarse label of each image
     * @throws IOException on a write error
     */
    public static void writeCifar100(OutputStream out, ImageSet set, int[] coarse)
            throws IOException {
        checkWritable(set);
        for (int i = 0; i < set.size(); i++) {
            out.write(coarse[i]);
            out.write(set.label(i));
            out.write(set.image(i));
        }
    }

    private static void checkWritable(ImageSet set) {
        if (set.channels() != 3
                || set.height() != CifarFormat.SIZE
                || set.width() != CifarFormat.SIZE) {
            throw new IllegalArgumentException("CIFAR records hold 3x32x32 images, got " + set);
        }
    }
}
