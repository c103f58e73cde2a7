package org.fourier4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.fourier4j.inference.ImagePreprocessor;
import org.fourier4j.inference.Preprocessing;
import org.junit.jupiter.api.Test;

/** What the decoder accepts (RGB, grey, with or without alpha) and what it refuses, and why. */
class ImageDecoderTest {

    static byte[] encode(BufferedImage im, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(im, format, out), "no writer for " + format);
        return out.toByteArray();
    }

    @Test
    void greyIsReplicatedToRgb() throws Exception {
        BufferedImage grey = new BufferedImage(5, 4, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 5; x++) {
                grey.getRaster().setSample(x, y, 0, 10 * x + 40 * y);
            }
        }
        ImageDecoder.Pixels p = ImageDecoder.decode(encode(grey, "png"));
        assertEquals(5, p.width());
        assertEquals(4, p.height());
        for (int i = 0; i < p.argb().length; i++) {
            int v = p.argb()[i];
            int r = (v >> 16) & 0xFF;
            assertEquals(r, (v >> 8) & 0xFF, "pixel " + i);
            assertEquals(r, v & 0xFF, "pixel " + i);
        }
        // sRGB conversion of a linear grey ramp keeps it monotone and spans black to light
        assertEquals(0, p.argb()[0] & 0xFF);
        assertTrue((p.argb()[p.argb().length - 1] & 0xFF) > (p.argb()[1] & 0xFF));
    }

    @Test
    void alphaIsIgnoredByThePreprocessing() throws Exception {
        BufferedImage opaque = new BufferedImage(6, 6, BufferedImage.TYPE_INT_RGB);
        BufferedImage clear = new BufferedImage(6, 6, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 6; y++) {
            for (int x = 0; x < 6; x++) {
                int rgb = (x * 40) << 16 | (y * 40) << 8 | (x * y);
                opaque.setRGB(x, y, rgb);
                clear.setRGB(x, y, ((x + y) % 2 == 0 ? 0 : 0x80) << 24 | rgb);
            }
        }
        ImagePreprocessor pre =
                new ImagePreprocessor(
                        Preprocessing.trained(
                                4, new double[] {0.5, 0.5, 0.5}, new double[] {1, 1, 1}));
        ImageDecoder.Pixels a = ImageDecoder.decode(encode(opaque, "png"));
        ImageDecoder.Pixels b = ImageDecoder.decode(encode(clear, "png"));
        assertArrayEquals(
                pre.pixels(a.argb(), a.width(), a.height()),
                pre.pixels(b.argb(), b.width(), b.height()));
    }

    @Test
    void undecodableEmptyCmykAndHugeImagesAreRefusedWithTheReason() {
        String junk =
                assertThrows(
                                ImageDecoder.ImageDecodeException.class,
                                () ->
                                        ImageDecoder.decode(
                                                "not an image".getBytes(StandardCharsets.UTF_8)))
                        .getMessage();
        assertTrue(junk.contains("cannot be decoded as an image"), junk);
        String empty =
                assertThrows(
                                ImageDecoder.ImageDecodeException.class,
                                () -> ImageDecoder.decode(new byte[0]))
                        .getMessage();
        assertTrue(empty.contains("no image bytes"), empty);
        String cmyk =
                assertThrows(
                                ImageDecoder.ImageDecodeException.class,
                                () -> ImageDecoder.decode(cmykTiff(4, 3)))
                        .getMessage();
        assertTrue(cmyk.contains("colour space CMYK is not RGB or grey"), cmyk);
        String huge =
                assertThrows(
                                ImageDecoder.ImageDecodeException.class,
                                () -> ImageDecoder.decode(pngHeaderOnly(20_000, 20_000)))
                        .getMessage();
        assertTrue(huge.contains("20000x20000 pixels is larger than the limit"), huge);
        String truncated =
                assertThrows(
                                ImageDecoder.ImageDecodeException.class,
                                () -> ImageDecoder.decode(pngHeaderOnly(8, 8)))
                        .getMessage();
        assertTrue(truncated.contains("cannot be decoded as an image"), truncated);
    }

    /** An uncompressed CMYK (photometric "separated") TIFF, which ImageIO decodes as CMYK. */
    static byte[] cmykTiff(int w, int h) {
        int entries = 10;
        int ifd = 8;
        int bitsAt = ifd + 2 + entries * 12 + 4;
        int dataAt = bitsAt + 8;
        ByteBuffer b = ByteBuffer.allocate(dataAt + w * h * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(ifd);
        b.putShort((short) entries);
        tiffEntry(b, 256, 1, w); // width
        tiffEntry(b, 257, 1, h); // height
        tiffEntry(b, 258, 4, bitsAt); // bits per sample: 8, 8, 8, 8 at bitsAt
        tiffEntry(b, 259, 1, 1); // no compression
        tiffEntry(b, 262, 1, 5); // photometric: separated (CMYK)
        tiffLong(b, 273, dataAt); // strip offset
        tiffEntry(b, 277, 1, 4); // samples per pixel
        tiffEntry(b, 278, 1, h); // rows per strip
        tiffLong(b, 279, w * h * 4); // strip bytes
        tiffEntry(b, 284, 1, 1); // interleaved
        b.putInt(0);
        for (int i = 0; i < 4; i++) {
            b.putShort((short) 8);
        }
        for (int i = 0; i < w * h * 4; i++) {
            b.put((byte) (i * 7));
        }
        return b.array();
    }

    private static void tiffEntry(ByteBuffer b, int tag, int count, int value) {
        b.putShort((short) tag).putShort((short) 3).putInt(count);
        if (count == 1) {
            b.putShort((short) value).putShort((short) 0);
        } else {
            b.putInt(value);
        }
    }

    private static void tiffLong(ByteBuffer b, int tag, int value) {
        b.putShort((short) tag).putShort((short) 4).putInt(1).putInt(value);
    }

    /** A PNG signature and header chunk, no pixel data. */
    static byte[] pngHeaderOnly(int w, int h) {
        ByteBuffer b = ByteBuffer.allocate(8 + 25).order(ByteOrder.BIG_ENDIAN);
        b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteBuffer chunk = ByteBuffer.allocate(17);
        chunk.put("IHDR".getBytes(StandardCharsets.US_ASCII));
        chunk.putInt(w).putInt(h).put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0);
        chunk.put((byte) 0);
        CRC32 crc = new CRC32();
        crc.update(chunk.array());
        b.putInt(13).put(chunk.array()).putInt((int) crc.getValue());
        return b.array();
    }
}
