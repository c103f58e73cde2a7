package org.fourier4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.fourier4j.inference.ImageResize;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderReaderTest {

    @TempDir Path tmp;

    private static BufferedImage solid(int w, int h, int rgb) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rgb);
            }
        }
        return img;
    }

    private static void save(BufferedImage img, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        String n = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        ImageIO.write(img, n.endsWith(".png") ? "png" : "jpg", file.toFile());
    }

    @Test
    void readsClassFoldersInSortedOrderAndResizes() throws IOException {
        Path root = tmp.resolve("set");
        save(solid(8, 8, 0xFF0000), root.resolve("zebra/b.png"));
        save(solid(8, 8, 0x00FF00), root.resolve("zebra/a.PNG"));
        save(solid(16, 16, 0x0000FF), root.resolve("ant/x.png"));
        save(solid(20, 10, 0x808080), root.resolve("ant/y.jpg"));
        Files.writeString(root.resolve("zebra/.DS_Store"), "hidden files are ignored");

        ImageSet set = ImageFolderReader.read(root, 4, 4, 2);

        assertEquals(List.of("ant", "zebra"), set.classes());
        assertEquals(4, set.size());
        assertArrayEquals(new int[] {0, 0, 1, 1}, set.labels());
        assertEquals(3 * 4 * 4, set.imageBytes());
        // ant/x.png: blue, 16x16 -> 4x4 by averaging; exact for a constant image
        byte[] blue = set.image(0);
        assertEquals(0, blue[0]);
        assertEquals(0, blue[16]);
        assertEquals(255, blue[32] & 0xFF);
        // zebra/a.PNG (sorted before b.png): green
        assertEquals(255, set.image(2)[16] & 0xFF);
        assertEquals(255, set.image(3)[0] & 0xFF);
        // the JPEG decodes to grey within JPEG error
        assertTrue(Math.abs((set.image(1)[5] & 0xFF) - 128) <= 3);
    }

    @Test
    void keepsTheAspectRatioByCroppingTheCentre() throws IOException {
        // 40x20: left quarter red, middle half green, right quarter blue -> 20x20 centre is green
        BufferedImage img = new BufferedImage(40, 20, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 40; x++) {
                img.setRGB(x, y, x < 10 ? 0xFF0000 : x < 30 ? 0x00FF00 : 0x0000FF);
            }
        }
        Path f = tmp.resolve("c/wide.png");
        save(img, f);
        byte[] px = ImageFolderReader.decode(f, 20, 20);
        for (int p = 0; p < 400; p++) {
            assertEquals(0, px[p]);
            assertEquals(255, px[400 + p] & 0xFF);
            assertEquals(0, px[800 + p]);
        }
    }

    @Test
    void sameSizeIsAnExactCopy() throws IOException {
        BufferedImage img = new BufferedImage(5, 3, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 5; x++) {
                img.setRGB(x, y, (x * 40) << 16 | (y * 70) << 8 | (x + y));
            }
        }
        Path f = tmp.resolve("c/exact.png");
        save(img, f);
        byte[] px = ImageFolderReader.decode(f, 3, 5);
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 5; x++) {
                assertEquals(x * 40, px[y * 5 + x] & 0xFF);
                assertEquals(y * 70, px[15 + y * 5 + x] & 0xFF);
                assertEquals(x + y, px[30 + y * 5 + x] & 0xFF);
            }
        }
    }

    @Test
    void halvingAveragesNeighbours() {
        // 4x1 row 0, 100, 200, 255 -> 2x1: each output averages a pair with a triangle filter
        int[] argb = {0x000000, 0x646464, 0xC8C8C8, 0xFFFFFF, 0, 0x646464, 0xC8C8C8, 0xFFFFFF};
        byte[] out = ImageResize.resizeCenterCrop(argb, 4, 2, 1, 2);
        int left = out[0] & 0xFF;
        int right = out[1] & 0xFF;
        assertTrue(left > 20 && left < 80, "left " + left);
        assertTrue(right > 180 && right < 240, "right " + right);
    }

    @Test
    void missingFolder() {
        Path missing = tmp.resolve("nope");
        DataException e =
                assertThrows(DataException.class, () -> ImageFolderReader.read(missing, 8, 8, 1));
        assertEquals("image folder not found: " + missing + " does not exist", e.getMessage());
    }

    @Test
    void folderWithoutClasses() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("flat"));
        save(solid(4, 4, 0), root.resolve("a.png"));
        DataException e =
                assertThrows(DataException.class, () -> ImageFolderReader.read(root, 8, 8, 1));
        assertEquals(
                "image folder "
                        + root
                        + " has no class sub-folders (expected root/<class>/<image>.jpg)",
                e.getMessage());
    }

    @Test
    void nonImageFileIsNamed() throws IOException {
        Path root = tmp.resolve("mixed");
        save(solid(4, 4, 0), root.resolve("cat/a.png"));
        Path notes = Files.writeString(root.resolve("cat/notes.txt"), "not an image");
        DataException e =
                assertThrows(DataException.class, () -> ImageFolderReader.read(root, 8, 8, 1));
        assertEquals(notes + ": not an image file (expected .jpg, .jpeg or .png)", e.getMessage());
    }

    @Test
    void undecodableImageIsNamed() throws IOException {
        Path root = tmp.resolve("broken");
        save(solid(4, 4, 0), root.resolve("cat/a.png"));
        save(solid(4, 4, 0), root.resolve("dog/a.png"));
        Path bad = Files.write(root.resolve("dog/b.jpg"), "garbage, not a JPEG".getBytes());
        DataException e =
                assertThrows(DataException.class, () -> ImageFolderReader.read(root, 8, 8, 2));
        assertEquals(
                bad + ": cannot be decoded as an image (not a readable JPEG or PNG)",
                e.getMessage());

        // a PNG cut in half: ImageIO fails part way
        byte[] png = Files.readAllBytes(root.resolve("cat/a.png"));
        Path cut = Files.write(root.resolve("dog/c.png"), java.util.Arrays.copyOf(png, 30));
        Files.delete(bad);
        DataException e2 =
                assertThrows(DataException.class, () -> ImageFolderReader.read(root, 8, 8, 1));
        assertTrue(
                e2.getMessage().startsWith(cut + ": cannot be decoded as an image"),
                e2.getMessage());
    }

    @Test
    void emptyClassFolder() throws IOException {
        Path root = tmp.resolve("empty-class");
        save(solid(4, 4, 0), root.resolve("cat/a.png"));
        Path dog = Files.createDirectories(root.resolve("dog"));
        DataException e =
                assertThrows(DataException.class, () -> ImageFolderReader.read(root, 8, 8, 1));
        assertEquals("class folder " + dog + " has no images", e.getMessage());
    }

    @Test
    void validationFolderMustUseTheTrainingClasses() throws IOException {
        Path val = tmp.resolve("val");
        save(solid(4, 4, 0), val.resolve("dog/a.png"));
        save(solid(4, 4, 0), val.resolve("emu/a.png"));
        ImageSet ok = ImageFolderReader.read(val, 4, 4, 1, List.of("cat", "dog", "emu"));
        assertArrayEquals(new int[] {1, 2}, ok.labels());
        DataException e =
                assertThrows(
                        DataException.class,
                        () -> ImageFolderReader.read(val, 4, 4, 1, List.of("cat", "dog")));
        assertEquals(
                "image folder "
                        + val
                        + " has class 'emu' that is not among the training classes"
                        + " [cat, dog]",
                e.getMessage());
    }
}
