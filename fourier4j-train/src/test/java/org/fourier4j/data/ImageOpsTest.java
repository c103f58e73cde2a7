package org.fourier4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Each pixel operation on small images whose result is worked out by hand. */
class ImageOpsTest {

    private static byte[] b(int... v) {
        byte[] out = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (byte) v[i];
        }
        return out;
    }

    private static int[] u(byte[] v) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] & 0xFF;
        }
        return out;
    }

    private static final byte[] NINE = b(1, 2, 3, 4, 5, 6, 7, 8, 9);

    @Test
    void padCropShiftsAndFillsWithZero() {
        assertArrayEquals(
                new int[] {0, 0, 0, 0, 1, 2, 0, 4, 5}, u(ImageOps.padCrop(NINE, 1, 3, 3, 1, 0, 0)));
        assertArrayEquals(
                new int[] {5, 6, 0, 8, 9, 0, 0, 0, 0}, u(ImageOps.padCrop(NINE, 1, 3, 3, 1, 2, 2)));
        assertArrayEquals(u(NINE), u(ImageOps.padCrop(NINE, 1, 3, 3, 1, 1, 1)));
        assertArrayEquals(
                new int[] {0, 0, 0, 2, 3, 0, 5, 6, 0}, u(ImageOps.padCrop(NINE, 1, 3, 3, 1, 0, 2)));
        // two channels move together
        byte[] two = b(1, 2, 3, 4, 10, 20, 30, 40);
        assertArrayEquals(
                new int[] {0, 0, 0, 1, 0, 0, 0, 10}, u(ImageOps.padCrop(two, 2, 2, 2, 1, 0, 0)));
    }

    @Test
    void flipMirrorsEachRow() {
        assertArrayEquals(
                new int[] {3, 2, 1, 6, 5, 4},
                u(ImageOps.flipHorizontal(b(1, 2, 3, 4, 5, 6), 1, 2, 3)));
    }

    @Test
    void autoContrastStretchesEachChannelAndLeavesConstantOnes() {
        byte[] img = b(50, 100, 150, 7, 7, 7);
        assertArrayEquals(new int[] {0, 127, 255, 7, 7, 7}, u(ImageOps.autoContrast(img, 2, 1, 3)));
    }

    @Test
    void equalizeUsesTheCumulativeHistogram() {
        // 1020 pixels: 255 zeros, 255 of 100, 510 of 200 -> step (1020 - 510) / 255 = 2,
        // lut[0] = (0 + 1) / 2 = 0, lut[100] = (255 + 1) / 2 = 128, lut[200] = (510 + 1) / 2 = 255
        byte[] img = new byte[1020];
        for (int i = 255; i < 510; i++) {
            img[i] = 100;
        }
        for (int i = 510; i < 1020; i++) {
            img[i] = (byte) 200;
        }
        int[] out = u(ImageOps.equalize(img, 1, 30, 34));
        assertEquals(0, out[0]);
        assertEquals(128, out[300]);
        assertEquals(255, out[1000]);
        // too few distinct pixels (step 0): unchanged
        assertArrayEquals(
                new int[] {0, 0, 128, 255}, u(ImageOps.equalize(b(0, 0, 128, 255), 1, 2, 2)));
    }

    @Test
    void solarizeInvertsAtOrAboveTheThreshold() {
        assertArrayEquals(
                new int[] {0, 127, 127, 0}, u(ImageOps.solarize(b(0, 127, 128, 255), 128)));
        assertArrayEquals(
                new int[] {0, 127, 128, 0}, u(ImageOps.solarize(b(0, 127, 128, 255), 212.5)));
    }

    @Test
    void posterizeKeepsTheTopBits() {
        assertArrayEquals(
                new int[] {0xC0, 0x40, 0x40, 0x00},
                u(ImageOps.posterize(b(0xFF, 0x7F, 0x40, 0x3F), 2)));
        assertArrayEquals(new int[] {0xFE, 0x7E}, u(ImageOps.posterize(b(0xFF, 0x7F), 7)));
        assertThrows(IllegalArgumentException.class, () -> ImageOps.posterize(NINE, 9));
    }

    @Test
    void brightnessScalesTruncatesAndClamps() {
        assertArrayEquals(new int[] {0, 150, 255}, u(ImageOps.brightness(b(0, 100, 200), 1.5)));
        assertArrayEquals(new int[] {0, 50, 127}, u(ImageOps.brightness(b(0, 101, 255), 0.5)));
    }

    @Test
    void greyColorAndContrastOnPrimaryColours() {
        // one pixel per colour: red, green, blue (3 channels, 1x3)
        byte[] rgb = b(255, 0, 0, 0, 255, 0, 0, 0, 255);
        assertArrayEquals(new int[] {76, 149, 29}, ImageOps.grey(rgb, 1, 3));
        // factor 0: grey everywhere
        assertArrayEquals(
                new int[] {76, 149, 29, 76, 149, 29, 76, 149, 29},
                u(ImageOps.color(rgb, 3, 1, 3, 0)));
        assertArrayEquals(u(rgb), u(ImageOps.color(rgb, 3, 1, 3, 1)));
        // factor 2 on red: R = 2*255 - 76 -> 255, G = B = -76 -> 0
        int[] sat = u(ImageOps.color(rgb, 3, 1, 3, 2));
        assertEquals(255, sat[0]);
        assertEquals(0, sat[3]);
        // contrast 0: mean grey (76 + 149 + 29) / 3 = 84.67 -> 84 everywhere
        int[] flat = u(ImageOps.contrast(rgb, 3, 1, 3, 0));
        for (int v : flat) {
            assertEquals(84, v);
        }
        // contrast 0.5 on red's R: 0.5 * 255 + 0.5 * 84.667 = 169.8 -> 169
        assertEquals(169, u(ImageOps.contrast(rgb, 3, 1, 3, 0.5))[0]);
        assertThrows(IllegalArgumentException.class, () -> ImageOps.color(NINE, 1, 3, 3, 1));
    }

    @Test
    void sharpnessBlendsWithTheSmoothedInterior() {
        byte[] img = b(0, 0, 0, 0, 130, 0, 0, 0, 0);
        // smoothed centre: (5 * 130) / 13 = 50; borders are never smoothed
        assertArrayEquals(
                new int[] {0, 0, 0, 0, 50, 0, 0, 0, 0}, u(ImageOps.sharpness(img, 1, 3, 3, 0)));
        assertArrayEquals(
                new int[] {0, 0, 0, 0, 210, 0, 0, 0, 0}, u(ImageOps.sharpness(img, 1, 3, 3, 2)));
        assertArrayEquals(u(img), u(ImageOps.sharpness(img, 1, 3, 3, 1)));
    }

    @Test
    void rotateQuarterTurnsExactly() {
        assertArrayEquals(
                new int[] {3, 6, 9, 2, 5, 8, 1, 4, 7}, u(ImageOps.rotate(NINE, 1, 3, 3, 90)));
        assertArrayEquals(
                new int[] {7, 4, 1, 8, 5, 2, 9, 6, 3}, u(ImageOps.rotate(NINE, 1, 3, 3, -90)));
        assertArrayEquals(
                new int[] {9, 8, 7, 6, 5, 4, 3, 2, 1}, u(ImageOps.rotate(NINE, 1, 3, 3, 180)));
        // even size: the centre is between pixels, a quarter turn is still a permutation
        byte[] four = b(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16);
        assertArrayEquals(
                new int[] {4, 8, 12, 16, 3, 7, 11, 15, 2, 6, 10, 14, 1, 5, 9, 13},
                u(ImageOps.rotate(four, 1, 4, 4, 90)));
        // a small angle leaves the centre pixel in place and loses corners to the fill
        int[] small = u(ImageOps.rotate(NINE, 1, 3, 3, 5));
        assertEquals(5, small[4]);
    }

    @Test
    void shearAndTranslate() {
        assertArrayEquals(
                new int[] {1, 2, 3, 5, 6, 0, 9, 0, 0}, u(ImageOps.shearX(NINE, 1, 3, 3, 1)));
        assertArrayEquals(
                new int[] {1, 5, 9, 4, 8, 0, 7, 0, 0}, u(ImageOps.shearY(NINE, 1, 3, 3, 1)));
        assertArrayEquals(
                new int[] {0, 1, 2, 0, 4, 5, 0, 7, 8}, u(ImageOps.translate(NINE, 1, 3, 3, 1, 0)));
        assertArrayEquals(
                new int[] {4, 5, 6, 7, 8, 9, 0, 0, 0}, u(ImageOps.translate(NINE, 1, 3, 3, 0, -1)));
    }

    @Test
    void operationsDoNotModifyTheirInput() {
        byte[] rgb = TestImages.cifar(1, 3).image(0).clone();
        byte[] copy = rgb.clone();
        for (RandAugment.Op op : RandAugment.Op.values()) {
            RandAugment.apply(op, 0.5, rgb, 3, 32, 32);
        }
        ImageOps.padCrop(rgb, 3, 32, 32, 4, 0, 0);
        ImageOps.flipHorizontal(rgb, 3, 32, 32);
        assertArrayEquals(copy, rgb);
    }
}
