package org.fourier4j.spark;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes image bytes (any format ImageIO reads: PNG, JPEG, BMP, GIF, TIFF, WBMP) to packed RGB
 * pixels, as {@code ImageIO.read} and {@code BufferedImage.getRGB} give them to the single-JVM
 * predictor: grey images come out replicated to RGB and alpha is ignored by the preprocessing.
 * Images of another colour space (CMYK, Lab, XYZ, ...) and images larger than {@link #MAX_PIXELS}
 * are refused: each failure is an {@link ImageDecodeException} whose message says why, so that a
 * caller can turn it into an error row.
 */
public final class ImageDecoder {

    /**
     * The largest image accepted, in pixels: PIL's decompression-bomb limit ({@code
     * Image.MAX_IMAGE_PIXELS}), checked from the header before any pixel is decoded.
     */
    public static final long MAX_PIXELS = 89_478_485L;

    private ImageDecoder() {}

    /** Decoded pixels. */
    public record Pixels(int[] argb, int width, int height) {}

    /** Why some bytes are not an image this predictor takes. */
    public static final class ImageDecodeException extends Exception {
        private static final long serialVersionUID = 1L;

        ImageDecodeException(String message) {
            super(message);
        }

        ImageDecodeException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Decodes one image.
     *
     * @param bytes the file's bytes
     * @return the pixels, row-major {@code 0xAARRGGBB}
     * @throws ImageDecodeException if the bytes are not a readable image of an RGB or grey colour
     *     space within {@link #MAX_PIXELS}
     */
    public static Pixels decode(byte[] bytes) throws ImageDecodeException {
        if (bytes == null || bytes.length == 0) {
            throw new ImageDecodeException("no image bytes (empty file)");
        }
        BufferedImage image;
        // in memory: ImageIO.createImageInputStream would cache a stream to a temporary file
        try (ImageInputStream in =
                new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new ImageDecodeException(
                        "cannot be decoded as an image (not PNG, JPEG, BMP, GIF, TIFF or WBMP)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long w = reader.getWidth(0);
                long h = reader.getHeight(0);
                if (w * h > MAX_PIXELS) {
                    throw new ImageDecodeException(
                            String.format(
                                    Locale.ROOT,
                                    "image of %dx%d pixels is larger than the limit of %d pixels",
                                    w,
                                    h,
                                    MAX_PIXELS));
                }
                image = reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw new ImageDecodeException(
                    "cannot be decoded as an image (" + firstLine(e.getMessage()) + ")", e);
        }
        int space = image.getColorModel().getColorSpace().getType();
        if (space != ColorSpace.TYPE_RGB && space != ColorSpace.TYPE_GRAY) {
            throw new ImageDecodeException(
                    "colour space "
                            + spaceName(space)
                            + " is not RGB or grey (convert the image to RGB first)");
        }
        int w = image.getWidth();
        int h = image.getHeight();
        return new Pixels(image.getRGB(0, 0, w, h, null, 0, w), w, h);
    }

    private static String spaceName(int type) {
        return switch (type) {
            case ColorSpace.TYPE_CMYK -> "CMYK";
            case ColorSpace.TYPE_CMY -> "CMY";
            case ColorSpace.TYPE_Lab -> "Lab";
            case ColorSpace.TYPE_XYZ -> "XYZ";
            case ColorSpace.TYPE_YCbCr -> "YCbCr";
            case ColorSpace.TYPE_HSV -> "HSV";
            case ColorSpace.TYPE_HLS -> "HLS";
            case ColorSpace.TYPE_Luv -> "Luv";
            case ColorSpace.TYPE_Yxy -> "Yxy";
            default -> "type " + type;
        };
    }

    private static String firstLine(String message) {
        if (message == null || message.isBlank()) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
