package org.fourier4j.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
import org.fourier4j.inference.ImageResize;

/**
 * Reads the common layout of user data sets: a root folder with one sub-folder per class, each
 * holding JPEG or PNG images ({@code root/cat/001.jpg}, {@code root/dog/x.png}). Classes are the
 * sub-folder names in sorted order; files are read in sorted order.
 *
 * <p>Every image is decoded up front (in parallel), converted to RGB, scaled so that its shorter
 * side matches the target and centre-cropped to the target size ({@link ImageResize}), and kept in
 * memory as 8-bit pixels ({@code 3 * H * W} bytes per image). Decoding everything first means that
 * a broken file is reported before training starts, not hours into it.
 *
 * <p>Hidden files (names starting with a dot) are ignored. Any other file that is not a {@code
 * .jpg}, {@code .jpeg} or {@code .png}, and any image that does not decode, is an error naming the
 * file: silently skipping data is worse than asking the user to remove a stray file.
 */
public final class ImageFolderReader {

    private static final List<String> EXTENSIONS = List.of(".jpg", ".jpeg", ".png");

    private ImageFolderReader() {}

    /**
     * Reads a folder, taking the classes from its sub-folders.
     *
     * @param root the folder with one sub-folder per class
     * @param height target rows
     * @param width target columns
     * @param threads decoding threads (at least 1)
     * @return the images
     * @throws DataException for a missing folder, an empty class, a non-image or undecodable file
     */
    public static ImageSet read(Path root, int height, int width, int threads) {
        return read(root, height, width, threads, null);
    }

    /**
     * Reads a folder whose classes must be among the given ones (a validation folder read with the
     * classes of its training folder; a class may be missing, an extra one is an error).
     *
     * @param root the folder with one sub-folder per class
     * @param height target rows
     * @param width target columns
     * @param threads decoding threads (at least 1)
     * @param classes the class names in label order, or null to take the sub-folders
     * @return the images
     */
    public static ImageSet read(
            Path root, int height, int width, int threads, List<String> classes) {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException(
                    "image size must be positive, got " + height + "x" + width);
        }
        if (!Files.isDirectory(root)) {
            throw new DataException(
                    "image folder not found: "
                            + root
                            + (Files.exists(root) ? " is not a directory" : " does not exist"));
        }
        List<Path> classDirs;
        try (Stream<Path> s = Files.list(root)) {
            classDirs =
                    s.filter(Files::isDirectory)
                            .filter(p -> !p.getFileName().toString().startsWith("."))
                            .sorted()
                            .toList();
        } catch (IOException e) {
            throw new DataException("cannot list image folder " + root + ": " + e.getMessage(), e);
        }
        if (classDirs.isEmpty()) {
            throw new DataException(
                    "image folder "
                            + root
                            + " has no class sub-folders (expected root/<class>/<image>.jpg)");
        }
        List<String> names = classes;
        if (names == null) {
            names = classDirs.stream().map(p -> p.getFileName().toString()).toList();
        }
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (Path dir : classDirs) {
            String cls = dir.getFileName().toString();
            int label = names.indexOf(cls);
            if (label < 0) {
                throw new DataException(
                        "image folder "
                                + root
                                + " has class '"
                                + cls
                                + "' that is not among the training classes "
                                + names);
            }
            List<Path> images;
            try (Stream<Path> s = Files.list(dir)) {
                images =
                        s.filter(p -> !p.getFileName().toString().startsWith("."))
                                .filter(p -> !Files.isDirectory(p))
                                .sorted()
                                .toList();
            } catch (IOException e) {
                throw new DataException("cannot list " + dir + ": " + e.getMessage(), e);
            }
            for (Path f : images) {
                String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
                if (EXTENSIONS.stream().noneMatch(n::endsWith)) {
                    throw new DataException(
                            f + ": not an image file (expected .jpg, .jpeg or .png)");
                }
                files.add(f);
                labels.add(label);
            }
            if (images.isEmpty()) {
                throw new DataException("class folder " + dir + " has no images");
            }
        }
        byte[][] pixels = decodeAll(files, height, width, Math.max(1, threads));
        int[] lab = labels.stream().mapToInt(Integer::intValue).toArray();
        return new ImageSet(3, height, width, pixels, lab, names, root.toString());
    }

    /**
     * Tells whether a directory looks like an image folder (has a non-hidden sub-folder).
     *
     * @param path a path
     * @return true if it is a directory with at least one sub-folder
     */
    public static boolean looksLikeImageFolder(Path path) {
        if (!Files.isDirectory(path)) {
            return false;
        }
        try (Stream<Path> s = Files.list(path)) {
            return s.anyMatch(
                    p -> Files.isDirectory(p) && !p.getFileName().toString().startsWith("."));
        } catch (IOException e) {
            return false;
        }
    }

    private static byte[][] decodeAll(List<Path> files, int height, int width, int threads) {
        byte[][] out = new byte[files.size()][];
        if (threads == 1 || files.size() < 2) {
            for (int i = 0; i < files.size(); i++) {
                out[i] = decode(files.get(i), height, width);
            }
            return out;
        }
        ExecutorService pool =
                Executors.newFixedThreadPool(
                        threads,
                        r -> {
                            Thread t = new Thread(r, "fourier4j-decode");
                            t.setDaemon(true);
                            return t;
                        });
        try {
            List<Future<byte[]>> futures = new ArrayList<>(files.size());
            for (Path f : files) {
                futures.add(pool.submit(() -> decode(f, height, width)));
            }
            for (int i = 0; i < futures.size(); i++) {
                try {
                    out[i] = futures.get(i).get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new DataException(files.get(i) + ": " + e.getCause(), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new DataException("interrupted while decoding " + files.get(i), e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return out;
    }

    /**
     * The largest image decoded, in pixels (50 megapixels, e.g. 8660 x 5773): a header announcing
     * more is refused before any pixel memory is allocated, since decoding needs about 30 bytes per
     * pixel.
     */
    public static final long MAX_PIXELS = 50_000_000L;

    /**
     * Decodes one image file to {@code 3 x height x width} bytes. Only JPEG and PNG are accepted,
     * whatever the file name says; the dimensions in the header are checked against {@link
     * #MAX_PIXELS} before decoding.
     *
     * @param file a JPEG or PNG file
     * @param height target rows
     * @param width target columns
     * @return channel-first pixels
     * @throws DataException if the file cannot be read or decoded, is not a JPEG or PNG, or is
     *     larger than {@link #MAX_PIXELS}
     */
    public static byte[] decode(Path file, int height, int width) {
        BufferedImage img = read(file);
        int w = img.getWidth();
        int h = img.getHeight();
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        return ImageResize.resizeCenterCrop(argb, w, h, height, width);
    }

    /**
     * Decodes one image file as it is (no resizing), e.g. for a model's own preprocessing, with the
     * checks of {@link #decode(Path, int, int)}.
     *
     * @param file a JPEG or PNG file
     * @return the image
     * @throws DataException if the file cannot be read or decoded, is not a JPEG or PNG, or is
     *     larger than {@link #MAX_PIXELS}
     */
    public static BufferedImage read(Path file) {
        // a file stream, not ImageIO.read(File): no disk cache, nothing written
        try (ImageInputStream in = new FileImageInputStream(file.toFile())) {
            return decode(in, file);
        } catch (DataException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new DataException(
                    file + ": cannot be decoded as an image (" + e.getMessage() + ")", e);
        }
    }

    private static BufferedImage decode(ImageInputStream in, Path file) throws IOException {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        ImageReader reader = null;
        while (readers.hasNext() && reader == null) {
            ImageReader r = readers.next();
            String format = r.getFormatName().toLowerCase(Locale.ROOT);
            if (format.equals("png") || format.equals("jpeg")) {
                reader = r;
            }
        }
        if (reader == null) {
            throw new DataException(
                    file + ": cannot be decoded as an image (not a readable JPEG or PNG)");
        }
        try {
            reader.setInput(in, true, true);
            long w = reader.getWidth(0);
            long h = reader.getHeight(0);
            if (w < 1 || h < 1 || w * h > MAX_PIXELS) {
                throw new DataException(
                        String.format(
                                "%s: %d x %d pixels (%s header) is beyond the limit of %d pixels",
                                file, w, h, reader.getFormatName(), MAX_PIXELS));
            }
            return reader.read(0);
        } finally {
            reader.dispose();
        }
    }
}
